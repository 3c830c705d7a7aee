package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3ite.junit.S3iteExtension;
import io.github.s3ite.server.S3iteServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A server that speaks HTTPS, for code that insists on {@code https} endpoints. The server makes
 * a certificate for 127.0.0.1 and localhost at start; the injected clients trust it, and clients
 * built by hand trust it through the trust store (or the PEM file, or the SSLContext) the server gives.
 */
class HttpsTest {

    @RegisterExtension
    static S3iteExtension s3 = new S3iteExtension(server -> server.withHttps()).withBucket("invoices");

    @Test
    void theInjectedClientSpeaksHttps(S3Client client, S3iteServer server) {
        client.putObject(put -> put.bucket("invoices").key("2026/03.pdf"), RequestBody.fromString("%PDF-1.7"));

        assertEquals("https", server.getEndpoint().getScheme());
        assertTrue(server.getRequests("PutObject").get(0).secureTransport());
    }

    @Test
    void aClientBuiltByTheCodeUnderTestTrustsTheServersTrustStore(S3iteServer server) throws Exception {
        // what an application does with a trust store path and password from its configuration
        KeyStore trustStore = KeyStore.getInstance(server.getTrustStore().toFile(),
                server.getTrustStorePassword().toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);

        // the SDK's other HTTP clients (ApacheHttpClient, UrlConnectionHttpClient, NettyNioAsyncHttpClient) take
        // trust managers the same way
        try (S3Client own = S3Client.builder()
                .endpointOverride(server.getEndpoint())
                .region(Region.of(server.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(server.getAccessKey(), server.getSecretKey())))
                .forcePathStyle(true)
                .httpClientBuilder(Apache5HttpClient.builder().tlsTrustManagersProvider(trust::getTrustManagers))
                .build()) {
            own.putObject(put -> put.bucket("invoices").key("2026/04.pdf"), RequestBody.fromString("%PDF-1.7"));
            assertEquals(1, own.listObjectsV2(list -> list.bucket("invoices")).keyCount());
        }
    }

    @Test
    void aPresignedUrlIsFetchedWithTheServersSslContext(S3Client client, S3Presigner presigner, S3iteServer server)
            throws Exception {
        client.putObject(put -> put.bucket("invoices").key("shared.pdf"), RequestBody.fromString("%PDF-1.7"));
        URI url = presigner.presignGetObject(get -> get.signatureDuration(Duration.ofMinutes(5))
                .getObjectRequest(object -> object.bucket("invoices").key("shared.pdf"))).url().toURI();

        HttpClient browserLike = HttpClient.newBuilder().sslContext(server.getClientSslContext()).build();
        HttpResponse<String> response = browserLike.send(HttpRequest.newBuilder(url).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals("https", url.getScheme());
        assertEquals("%PDF-1.7", response.body());
    }
}
