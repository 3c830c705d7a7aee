package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.s3ite.junit.S3iteBucket;
import io.github.s3ite.junit.S3iteExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Tests that begin from known data: {@code src/test/resources/fixtures/photos.sqlite3} is a bucket
 * file checked into the repository, made with the sqlite3 shell from {@code photos.sql} beside it
 * ({@code sqlite3 photos.sqlite3 < photos.sql}). Every test gets a fresh copy; the file itself is
 * never written.
 */
@ExtendWith(S3iteExtension.class)
@S3iteBucket(name = "photos", seed = "fixtures/photos.sqlite3")
class SeededFixtureTest {

    @Test
    void theFixtureIsThere(S3Client s3) {
        List<String> images = s3.listObjectsV2(list -> list.bucket("photos").prefix("images/")).contents().stream()
                .map(S3Object::key)
                .toList();

        assertEquals(List.of("images/2023/06/ferret.png", "images/cat.jpg", "images/dog.jpg"), images);
        assertEquals("cat", s3.headObject(head -> head.bucket("photos").key("images/cat.jpg")).metadata().get("label"));
    }

    @Test
    void aTestMayChangeTheBucket(S3Client s3) {
        s3.deleteObject(delete -> delete.bucket("photos").key("hello.txt"));

        assertThrows(NoSuchKeyException.class, () -> s3.headObject(head -> head.bucket("photos").key("hello.txt")));
    }

    @Test
    void andTheNextOneStillSeesTheFixture(S3Client s3) {
        assertEquals("hello world", s3.getObjectAsBytes(get -> get.bucket("photos").key("hello.txt")).asUtf8String());
    }
}
