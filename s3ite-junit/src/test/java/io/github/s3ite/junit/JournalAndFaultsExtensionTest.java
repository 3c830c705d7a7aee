package io.github.s3ite.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.s3ite.server.S3Fault;
import io.github.s3ite.server.S3iteServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The extension and the server's request journal and faults: cleared before each test, printed on failure. */
class JournalAndFaultsExtensionTest {
    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

    @BeforeEach
    void forget() {
        SEEN.clear();
    }

    private static EngineExecutionResults run(Class<?> type) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(type)).execute();
    }

    @Test
    void eachTestStartsWithAnEmptyJournalAndNoFaults() {
        EngineExecutionResults results = run(LeavesRequestsAndFaults.class);

        assertEquals(2, results.testEvents().succeeded().count(), results.testEvents().failed().list().toString());
        assertEquals(0, SEEN.get("requests seen by the second test"));
        assertEquals(0, SEEN.get("faults seen by the second test"));
    }

    @Test
    void aFailedTestsRequestsArePrintedAndPublished() {
        EngineExecutionResults results = run(FailsAfterRequests.class);

        assertEquals(1, results.testEvents().failed().count());
        List<String> reported = results.allEvents().reportingEntryPublished().stream()
                .map(event -> event.getRequiredPayload(org.junit.platform.engine.reporting.ReportEntry.class))
                .map(entry -> entry.getKeyValuePairs().get(S3iteExtension.FAILED_TEST_REQUESTS))
                .filter(java.util.Objects::nonNull)
                .toList();
        assertEquals(1, reported.size(), "one report entry of the failed test's requests");
        String requests = reported.get(0);
        assertTrue(requests.contains("PutObject journal/evidence -> 200"), requests);
        assertTrue(requests.contains("GetObject journal/missing -> 404 NoSuchKey"), requests);
    }

    @ExtendWith(S3iteExtension.class)
    @S3iteBucket(name = "journal")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class LeavesRequestsAndFaults {
        @Test
        @Order(1)
        void leaves(S3Client s3, S3iteServer server) {
            s3.putObject(b -> b.bucket("journal").key("k"), RequestBody.fromString("v"));
            server.injectFault(S3Fault.error(503, "SlowDown").on("GetObject"));
        }

        @Test
        @Order(2)
        void findsNothingLeft(S3Client s3, S3iteServer server) {
            SEEN.put("requests seen by the second test", server.getRequests().size());
            SEEN.put("faults seen by the second test", server.getFaults().size());
        }
    }

    @ExtendWith(S3iteExtension.class)
    @S3iteBucket(name = "journal")
    static class FailsAfterRequests {
        @Test
        void fails(S3Client s3) {
            s3.putObject(b -> b.bucket("journal").key("evidence"), RequestBody.fromString("v"));
            try {
                s3.getObjectAsBytes(b -> b.bucket("journal").key("missing"));
            } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException expected) {
                // part of what the journal shows
            }
            throw new AssertionError("the code under test misbehaved");
        }
    }
}
