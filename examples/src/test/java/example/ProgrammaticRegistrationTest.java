package example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.s3ite.junit.S3iteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Configuration in code, for suites that need it: the server's configuration given as one value
 * (any of {@code S3iteServer}'s {@code withX} methods), the buckets declared on the extension, and
 * the server reachable through {@link S3iteExtension#getServer()}. A static field is one server
 * for the class; an instance field would be one per test.
 */
class ProgrammaticRegistrationTest {

    @RegisterExtension
    static final S3iteExtension S3 = new S3iteExtension(server -> server
            .withCredentials("AKIAEXAMPLETEST", "example-secret")
            .withRegion("eu-central-1"))
            .withBucket("invoices")
            .withBucket("photos", "fixtures/photos.sqlite3");

    @Test
    void aClientBuiltByHandReachesTheServer() {
        try (S3Client s3 = S3Client.builder()
                .endpointOverride(S3.getServer().getEndpoint())
                .region(Region.EU_CENTRAL_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIAEXAMPLETEST", "example-secret")))
                .forcePathStyle(true)
                .build()) {
            s3.putObject(put -> put.bucket("invoices").key("2026/11/42.pdf"), RequestBody.fromString("%PDF"));

            assertEquals(1, s3.listObjectsV2(list -> list.bucket("invoices").prefix("2026/")).keyCount());
            assertEquals(8, s3.listObjectsV2(list -> list.bucket("photos")).keyCount());
        }
    }
}
