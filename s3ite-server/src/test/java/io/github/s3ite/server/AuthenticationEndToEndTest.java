package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/** SigV4 through real clients: header signatures, presigned URLs, wrong and missing credentials. */
class AuthenticationEndToEndTest {
    private static S3iteServer server;
    private static S3Client s3;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = new S3iteServer().withCredentials("AKIDEXAMPLE", "correct-secret").withBucket("auth").start();
        s3 = server.createClient();
        s3.putObject(b -> b.bucket("auth").key("doc.txt"), RequestBody.fromString("secret content"));
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static S3Client clientWith(String accessKey, String secretKey, boolean chunkedEncoding) {
        return S3Client.builder()
                .endpointOverride(server.getEndpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(() -> AwsBasicCredentials.create(accessKey, secretKey))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true)
                        .chunkedEncodingEnabled(chunkedEncoding).build())
                .build();
    }

    @Test
    void wrongSecretIsSignatureDoesNotMatch() {
        try (S3Client wrong = clientWith("AKIDEXAMPLE", "wrong-secret", true)) {
            S3Exception error = assertThrows(S3Exception.class, () -> wrong.listBuckets());
            assertEquals(403, error.statusCode());
            assertEquals("SignatureDoesNotMatch", error.awsErrorDetails().errorCode());
        }
    }

    @Test
    void unknownAccessKeyIsInvalidAccessKeyId() {
        try (S3Client unknown = clientWith("AKIDUNKNOWN", "correct-secret", true)) {
            S3Exception error = assertThrows(S3Exception.class,
                    () -> unknown.getObjectAsBytes(b -> b.bucket("auth").key("doc.txt")));
            assertEquals(403, error.statusCode());
            assertEquals("InvalidAccessKeyId", error.awsErrorDetails().errorCode());
        }
    }

    @Test
    void wrongSecretCannotWriteEvenWithAStreamingBody() {
        try (S3Client wrong = clientWith("AKIDEXAMPLE", "wrong-secret", true)) {
            assertThrows(S3Exception.class, () -> wrong.putObject(b -> b.bucket("auth").key("doc.txt"),
                    RequestBody.fromString("overwritten")));
        }
        assertEquals("secret content", s3.getObjectAsBytes(b -> b.bucket("auth").key("doc.txt")).asUtf8String());
    }

    @Test
    void signedPayloadWithoutChunkingIsAccepted() {
        try (S3Client plain = clientWith("AKIDEXAMPLE", "correct-secret", false)) {
            plain.putObject(b -> b.bucket("auth").key("plain.txt"), RequestBody.fromString("plain"));
            assertEquals("plain", plain.getObjectAsBytes(b -> b.bucket("auth").key("plain.txt")).asUtf8String());
        }
    }

    @Test
    void unsignedRequestIsAccessDenied() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(server.getEndpoint() + "/auth/doc.txt")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, response.statusCode());
        assertTrue(response.body().contains("<Code>AccessDenied</Code>"), response.body());
        assertTrue(response.body().contains("<RequestId>"), response.body());
    }

    @Test
    void presignedGetAndPutWorkWithAPlainHttpClient() throws Exception {
        try (S3Presigner presigner = server.createPresigner()) {
            PresignedGetObjectRequest get = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket("auth").key("doc.txt")));
            HttpResponse<String> got = HTTP.send(HttpRequest.newBuilder(get.url().toURI()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, got.statusCode());
            assertEquals("secret content", got.body());

            PresignedPutObjectRequest put = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(o -> o.bucket("auth").key("presigned-put.txt")));
            HttpResponse<String> putResponse = HTTP.send(HttpRequest.newBuilder(put.url().toURI())
                    .PUT(HttpRequest.BodyPublishers.ofString("via presigned put")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, putResponse.statusCode(), putResponse.body());
            assertEquals("via presigned put",
                    s3.getObjectAsBytes(b -> b.bucket("auth").key("presigned-put.txt")).asUtf8String());
        }
    }

    @Test
    void tamperedPresignedUrlIsSignatureDoesNotMatch() throws Exception {
        try (S3Presigner presigner = server.createPresigner()) {
            URI url = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket("auth").key("doc.txt"))).url().toURI();
            URI tampered = URI.create(url.toString().replace("/doc.txt", "/plain.txt"));
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(tampered).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, response.statusCode());
            assertTrue(response.body().contains("SignatureDoesNotMatch"), response.body());
        }
    }

    @Test
    void expiredPresignedUrlIsAccessDenied() throws Exception {
        try (S3Presigner presigner = server.createPresigner()) {
            URI url = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofSeconds(1))
                    .getObjectRequest(g -> g.bucket("auth").key("doc.txt"))).url().toURI();
            Thread.sleep(2100);
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(url).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, response.statusCode());
            assertTrue(response.body().contains("<Code>AccessDenied</Code>"), response.body());
            assertTrue(response.body().contains("expired"), response.body());
        }
    }

    @Test
    void anonymousServerServesUnsignedRequests() throws Exception {
        try (S3iteServer open = new S3iteServer().withAnonymousAccess().withBucket("open").start()) {
            HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(open.getEndpoint() + "/open/hello"))
                    .PUT(HttpRequest.BodyPublishers.ofString("hi")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, put.statusCode(), put.body());
            HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create(open.getEndpoint() + "/open/hello"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("hi", get.body());
            assertEquals("hi", open.createClient().getObjectAsBytes(b -> b.bucket("open").key("hello")).asUtf8String());
        }
    }
}
