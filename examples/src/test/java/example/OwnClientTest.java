package example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.s3ite.junit.S3iteBucket;
import io.github.s3ite.junit.S3iteExtension;
import io.github.s3ite.junit.S3iteSystemProperties;
import io.github.s3ite.server.S3iteServer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Code under test that builds its own client: hand it the server's endpoint and credentials, or
 * let the AWS SDK's system properties point its default chains at the server.
 */
class OwnClientTest {

    @Nested
    @ExtendWith(S3iteExtension.class)
    @S3iteBucket(name = "reports")
    class ConfiguredByTheTest {
        @Test
        void theApplicationGetsTheEndpointAndCredentials(S3iteServer server, S3Client s3) {
            try (ReportArchive archive = new ReportArchive(server.getEndpoint(), server.getRegion(),
                    server.getAccessKey(), server.getSecretKey(), "reports")) {
                archive.archive("november.csv", "day,total\n1,3\n");
                assertEquals(1, archive.count());
            }
            assertEquals("text/csv", s3.headObject(head -> head.bucket("reports").key("reports/november.csv")).contentType());
        }
    }

    /** {@code aws.endpointUrl}, {@code aws.region}, {@code aws.accessKeyId} and {@code aws.secretAccessKey} are set for the class. */
    @Nested
    @ExtendWith(S3iteExtension.class)
    @S3iteSystemProperties
    @S3iteBucket(name = "reports")
    class ConfiguredBySystemProperties {
        @Test
        void theApplicationsDefaultClientReachesTheServer() {
            try (ReportArchive archive = new ReportArchive("reports")) {
                archive.archive("december.csv", "day,total\n1,5\n");
                assertEquals(1, archive.count());
            }
        }
    }
}
