package example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.s3ite.junit.S3iteBucket;
import io.github.s3ite.junit.S3iteExtension;
import io.github.s3ite.server.S3iteServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Each kind of parameter the extension injects, into constructors, lifecycle methods and tests:
 * {@link S3Client}, {@link S3AsyncClient}, {@code S3Presigner} (see {@link PresignedUrlTest}) and
 * the {@link S3iteServer} itself.
 */
@ExtendWith(S3iteExtension.class)
@S3iteBucket(name = "documents")
class ClientInjectionTest {
    private final S3Client s3;

    ClientInjectionTest(S3Client s3) {
        this.s3 = s3;
    }

    @BeforeEach
    void addAReadme() {
        s3.putObject(put -> put.bucket("documents").key("README"), RequestBody.fromString("read me"));
    }

    @Test
    void theAsyncClientTalksToTheSameServer(S3AsyncClient async) {
        async.putObject(put -> put.bucket("documents").key("async.txt"), AsyncRequestBody.fromString("async")).join();

        String readme = async.getObject(get -> get.bucket("documents").key("README"), AsyncResponseTransformer.toBytes())
                .join().asUtf8String();

        assertEquals("read me", readme);
        assertEquals(2, s3.listObjectsV2(list -> list.bucket("documents")).keyCount());
    }

    @Test
    void theServerTellsWhereItIs(S3iteServer server) {
        assertEquals("127.0.0.1", server.getEndpoint().getHost());
        assertEquals("us-east-1", server.getRegion());
    }
}
