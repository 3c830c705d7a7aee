package example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.s3ite.junit.S3iteBucket;
import io.github.s3ite.junit.S3iteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The shortest start: a server for the class, an empty bucket before each test, a client injected. */
@ExtendWith(S3iteExtension.class)
@S3iteBucket(name = "uploads")
class QuickStartTest {

    @Test
    void storesAndReadsAnObject(S3Client s3) {
        s3.putObject(put -> put.bucket("uploads").key("hello.txt"), RequestBody.fromString("Hello, S3!"));

        String content = s3.getObjectAsBytes(get -> get.bucket("uploads").key("hello.txt")).asUtf8String();

        assertEquals("Hello, S3!", content);
    }

    @Test
    void everyTestStartsWithAnEmptyBucket(S3Client s3) {
        assertEquals(0, s3.listObjectsV2(list -> list.bucket("uploads")).keyCount());
    }
}
