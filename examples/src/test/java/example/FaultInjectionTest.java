package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.s3ite.junit.S3iteBucket;
import io.github.s3ite.junit.S3iteExtension;
import io.github.s3ite.server.S3Fault;
import io.github.s3ite.server.S3iteServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3 misbehaving on purpose, to test what the code under test (and the SDK under it) does about
 * it: a throttling error that a retry gets past, and one that does not go away. The extension
 * clears injected faults before each test.
 */
@ExtendWith(S3iteExtension.class)
@S3iteBucket(name = "archive")
class FaultInjectionTest {

    @Test
    void oneSlowDownIsRetriedAndTheReportIsStored(S3iteServer server) {
        server.injectFault(S3Fault.error(503, "SlowDown").on("PutObject").times(1));

        try (ReportArchive archive = new ReportArchive(server.getEndpoint(), server.getRegion(),
                server.getAccessKey(), server.getSecretKey(), "archive")) {
            archive.archive("2026-11.csv", "day,total\n1,42\n");
            assertEquals(1, archive.count());
        }
        assertEquals(2, server.getRequests("PutObject").size(), "the SDK tried twice");
    }

    @Test
    void aLastingOutageReachesTheCaller(S3iteServer server) {
        server.injectFault(S3Fault.error(503, "ServiceUnavailable").on("PutObject"));

        try (ReportArchive archive = new ReportArchive(server.getEndpoint(), server.getRegion(),
                server.getAccessKey(), server.getSecretKey(), "archive")) {
            S3Exception error = assertThrows(S3Exception.class, () -> archive.archive("2026-11.csv", "day,total\n"));
            assertEquals(503, error.statusCode());
        }
    }
}
