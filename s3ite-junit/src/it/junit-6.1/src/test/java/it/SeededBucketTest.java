package it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.s3ite.junit.S3iteBucket;
import io.github.s3ite.junit.S3iteExtension;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

@ExtendWith(S3iteExtension.class)
@S3iteBucket(name = "photos", seed = "seeds/photos.sqlite3")
class SeededBucketTest {

    private static final List<String> SEEDED_IMAGES =
            List.of("images/2023/06/ferret.png", "images/cat.jpg", "images/dog.jpg");

    @Test
    void readsTheSeededObjects(S3Client s3) {
        assertEquals(SEEDED_IMAGES, images(s3));
        assertEquals("hello world", s3.getObjectAsBytes(get -> get.bucket("photos").key("hello.txt")).asUtf8String());
    }

    @RepeatedTest(2)
    void eachTestStartsFromTheSeed(S3Client s3) {
        assertEquals(SEEDED_IMAGES, images(s3));

        s3.putObject(put -> put.bucket("photos").key("images/new.jpg"), RequestBody.fromString("new"));
        s3.deleteObject(delete -> delete.bucket("photos").key("images/cat.jpg"));

        assertEquals(List.of("images/2023/06/ferret.png", "images/dog.jpg", "images/new.jpg"), images(s3));
    }

    private static List<String> images(S3Client s3) {
        return s3.listObjectsV2(list -> list.bucket("photos").prefix("images/")).contents().stream()
                .map(S3Object::key)
                .toList();
    }
}
