package example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.s3ite.junit.S3iteBucket;
import io.github.s3ite.junit.S3iteExtension;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A fixture made from a plain directory with the CLI, then checked in:
 * <pre>
 * ./s3ite import examples/src/test/resources/website examples/src/test/resources/fixtures/website.sqlite3
 * </pre>
 * Every file became an object, its key the relative path, its content type guessed from its name.
 */
@ExtendWith(S3iteExtension.class)
@S3iteBucket(name = "website", seed = "fixtures/website.sqlite3")
class ImportedFixtureTest {

    @Test
    void everyFileIsAnObject(S3Client s3) {
        List<String> keys = s3.listObjectsV2(list -> list.bucket("website")).contents().stream()
                .map(S3Object::key).toList();

        assertEquals(List.of("css/site.css", "img/logo.svg", "index.html"), keys);
    }

    @Test
    void contentAndContentTypeComeFromTheFiles(S3Client s3) throws Exception {
        var page = s3.getObjectAsBytes(get -> get.bucket("website").key("index.html"));

        assertEquals("text/html", page.response().contentType());
        assertEquals("text/css", s3.headObject(head -> head.bucket("website").key("css/site.css")).contentType());
        try (InputStream original = getClass().getResourceAsStream("/website/index.html")) {
            assertArrayEquals(original.readAllBytes(), page.asByteArray());
        }
    }
}
