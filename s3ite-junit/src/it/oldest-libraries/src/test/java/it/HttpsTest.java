package it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.s3ite.junit.S3iteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/** HTTPS on the oldest Undertow, and trusted by the oldest SDK's HTTP clients (Apache 4, Netty). */
class HttpsTest {

    @RegisterExtension
    static S3iteExtension s3 = new S3iteExtension(server -> server.withHttps()).withBucket("secure");

    @Test
    void theInjectedClientsTrustTheGeneratedCertificate(S3Client client, S3AsyncClient async) {
        client.putObject(put -> put.bucket("secure").key("k"), RequestBody.fromString("sync"));
        async.putObject(put -> put.bucket("secure").key("a"), AsyncRequestBody.fromString("async")).join();

        assertEquals("https", s3.getServer().getEndpoint().getScheme());
        assertEquals("async", client.getObjectAsBytes(get -> get.bucket("secure").key("a")).asUtf8String());
        assertEquals("sync", async.getObject(get -> get.bucket("secure").key("k"),
                AsyncResponseTransformer.toBytes()).join().asUtf8String());
    }
}
