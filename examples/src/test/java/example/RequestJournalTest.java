package example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.s3ite.junit.S3iteBucket;
import io.github.s3ite.junit.S3iteExtension;
import io.github.s3ite.server.RecordedRequest;
import io.github.s3ite.server.S3iteServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the code under test sent, asserted from the server's request journal: which operations,
 * with which headers, in which order. The extension empties the journal before each test, and
 * prints a failed test's requests beside its bucket copies.
 */
@ExtendWith(S3iteExtension.class)
@S3iteBucket(name = "archive")
class RequestJournalTest {

    @Test
    void archivingAReportIsOnePutWithItsContentType(S3iteServer server) throws Exception {
        try (ReportArchive archive = new ReportArchive(server.getEndpoint(), server.getRegion(),
                server.getAccessKey(), server.getSecretKey(), "archive")) {
            archive.archive("2026-11.csv", "day,total\n1,42\n");
        }

        RecordedRequest put = server.takeRequest(Duration.ofSeconds(1));

        assertEquals("PutObject", put.operation());
        assertEquals("reports/2026-11.csv", put.key());
        assertEquals("text/csv", put.header("Content-Type"));
        assertEquals(200, put.status());
    }

    @Test
    void countingReportsListsOnceAndWritesNothing(S3iteServer server) {
        try (ReportArchive archive = new ReportArchive(server.getEndpoint(), server.getRegion(),
                server.getAccessKey(), server.getSecretKey(), "archive")) {
            archive.count();
        }

        List<String> operations = server.getRequests().stream().map(RecordedRequest::operation).toList();

        assertEquals(List.of("ListObjectsV2"), operations);
    }
}
