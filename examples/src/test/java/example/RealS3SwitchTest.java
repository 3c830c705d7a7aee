package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3ite.junit.S3iteBucket;
import io.github.s3ite.junit.S3iteExtension;
import io.github.s3ite.server.S3iteServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One switch to a real S3. By default this class runs against the in-JVM s3ite, like every other
 * example. Given an endpoint, the same class runs, unchanged, against it: MinIO, AWS S3, or another
 * s3ite.
 *
 * <pre>
 * docker run -p 9000:9000 minio/minio server /data
 * mvn test -Ds3ite.endpoint=http://localhost:9000 -Ds3ite.accessKey=minioadmin -Ds3ite.secretKey=minioadmin
 *
 * S3ITE_ENDPOINT=https://s3.eu-west-1.amazonaws.com S3ITE_REGION=eu-west-1 mvn test   # AWS credentials as usual
 * </pre>
 *
 * The extension then creates the bucket there (or takes an empty one of that name), uploads the
 * seed's objects, brings it back to them before each test, and deletes it at the end. On AWS a
 * bucket name is global: choose one nobody else has.
 */
@ExtendWith(S3iteExtension.class)
@S3iteBucket(name = "s3ite-example-switch", seed = "fixtures/photos.sqlite3")
class RealS3SwitchTest {

    @Test
    void readsTheSeed(S3Client s3) {
        assertEquals("hello world",
                s3.getObjectAsBytes(get -> get.bucket("s3ite-example-switch").key("hello.txt")).asUtf8String());
    }

    @Test
    void writesWhatItLikes(S3Client s3) {
        s3.putObject(put -> put.bucket("s3ite-example-switch").key("hello.txt"), RequestBody.fromString("changed"));
        s3.deleteObject(delete -> delete.bucket("s3ite-example-switch").key("labels.csv"));

        assertEquals(7, s3.listObjectsV2(list -> list.bucket("s3ite-example-switch")).keyCount());
    }

    @Test
    void findsTheSeedAgainWhateverRanBefore(S3Client s3) {
        assertEquals(8, s3.listObjectsV2(list -> list.bucket("s3ite-example-switch")).keyCount());
    }

    /** Only the local server can copy a bucket to a file: against a real S3 this test is skipped, with the reason. */
    @Test
    void snapshotsALiveBucket(S3iteServer server, @TempDir Path directory) throws Exception {
        Path copy = directory.resolve("switch.sqlite3");

        server.snapshot("s3ite-example-switch", copy);

        assertTrue(Files.size(copy) > 0);
    }
}
