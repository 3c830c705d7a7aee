package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Faults injected on purpose: S3's errors, late answers, closed connections, cut bodies. */
class FaultInjectionEndToEndTest {
    private static S3iteServer server;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        server = new S3iteServer().withBucket("faults").start();
        s3 = server.createClient();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void clear() {
        server.clearFaults();
        server.clearRequests();
    }

    private static S3Client withoutRetries() {
        return S3Client.builder()
                .endpointOverride(server.getEndpoint())
                .region(software.amazon.awssdk.regions.Region.of(server.getRegion()))
                .credentialsProvider(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                        server.getAccessKey(), server.getSecretKey()))
                .forcePathStyle(true)
                .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none()))
                .build();
    }

    @Test
    void oneSlowDownIsRetriedByTheSdkAndTheJournalShowsBothAttempts() {
        server.injectFault(S3Fault.error(503, "SlowDown").on("PutObject").times(1));

        s3.putObject(b -> b.bucket("faults").key("retried"), RequestBody.fromString("stored"));

        assertEquals("stored", s3.getObjectAsBytes(b -> b.bucket("faults").key("retried")).asUtf8String());
        List<RecordedRequest> puts = server.getRequests("PutObject");
        assertEquals(2, puts.size());
        assertEquals(503, puts.get(0).status());
        assertEquals("SlowDown", puts.get(0).errorCode());
        assertNotNull(puts.get(0).fault());
        assertEquals(200, puts.get(1).status());
        assertTrue(server.getFaults().isEmpty(), "a fault for one request is gone once used");
    }

    @Test
    void anInjectedErrorIsS3sErrorBodyAndTheOperationIsNotCarriedOut() {
        server.injectFault(S3Fault.error(500, "InternalError", "injected").on("PutObject").inBucket("faults"));
        try (S3Client client = withoutRetries()) {
            S3Exception error = assertThrows(S3Exception.class, () -> client.putObject(
                    b -> b.bucket("faults").key("never"), RequestBody.fromString("x")));
            assertEquals(500, error.statusCode());
            assertEquals("InternalError", error.awsErrorDetails().errorCode());
            assertEquals("injected", error.awsErrorDetails().errorMessage());
        }
        server.clearFaults();
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket("faults").key("never")));
    }

    @Test
    void faultsMatchByOperationBucketAndKeyPrefixOnly() {
        server.injectFault(S3Fault.error(403, "AccessDenied").on("GetObject").withKeyPrefix("private/"));
        s3.putObject(b -> b.bucket("faults").key("private/a"), RequestBody.fromString("a"));
        s3.putObject(b -> b.bucket("faults").key("public/a"), RequestBody.fromString("a"));
        assertEquals("a", s3.getObjectAsBytes(b -> b.bucket("faults").key("public/a")).asUtf8String());
        S3Exception denied = assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(b -> b.bucket("faults").key("private/a")));
        assertEquals("AccessDenied", denied.awsErrorDetails().errorCode());
    }

    @Test
    void aDelayedAnswerComesNoSoonerThanTheDelay() {
        server.injectFault(S3Fault.delay(Duration.ofMillis(700)).on("HeadBucket"));
        long started = System.nanoTime();
        s3.headBucket(b -> b.bucket("faults"));
        assertTrue(System.nanoTime() - started >= 700_000_000L);
        server.clearFaults();
        assertEquals(200, server.getRequests("HeadBucket").get(0).status());
    }

    @Test
    void aClosedConnectionIsAnIoErrorForTheClientAndNothingIsStored() {
        server.injectFault(S3Fault.closeConnection().on("PutObject"));
        try (S3Client client = withoutRetries()) {
            assertThrows(SdkClientException.class, () -> client.putObject(b -> b.bucket("faults").key("lost"),
                    RequestBody.fromString("x")));
        }
        server.clearFaults();
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket("faults").key("lost")));
    }

    @Test
    void aTruncatedBodyEndsBeforeItsContentLength() throws Exception {
        try (S3iteServer open = new S3iteServer().withAnonymousAccess().withBucket("cut").start()) {
            open.createClient().putObject(b -> b.bucket("cut").key("k"), RequestBody.fromBytes(new byte[10_000]));
            open.injectFault(S3Fault.truncateBody().on("GetObject"));
            URI endpoint = open.getEndpoint();
            try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
                socket.setSoTimeout(5000);
                socket.getOutputStream().write("GET /cut/k HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                byte[] answer = readUntilClosed(socket.getInputStream());
                String text = new String(answer, StandardCharsets.ISO_8859_1);
                assertTrue(text.startsWith("HTTP/1.1 200"), text.substring(0, 40));
                assertTrue(text.contains("Content-Length: 10000"), text);
                int bodyStart = text.indexOf("\r\n\r\n") + 4;
                assertEquals(5000, answer.length - bodyStart);
            }
        }
    }

    @Test
    void aShareOfRequestsMeetsAFault() {
        server.injectFault(S3Fault.error(503, "SlowDown").on("HeadBucket").share(0.5));
        int refused = 0;
        try (S3Client client = withoutRetries()) {
            for (int i = 0; i < 60; i++) {
                try {
                    client.headBucket(b -> b.bucket("faults"));
                } catch (S3Exception e) {
                    refused++;
                }
            }
        }
        assertTrue(refused > 5 && refused < 55, "refused " + refused + " of 60");
    }

    @Test
    void theAdminEndpointTakesFaultsAndShowsTheJournalAsJson() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (S3iteServer admin = new S3iteServer().withAdminEndpoint(true).withBucket("admin").start();
             S3iteServer closed = new S3iteServer().start()) {
            String base = admin.getEndpoint() + "/_s3ite/";
            HttpResponse<String> added = http.send(HttpRequest.newBuilder(URI.create(base + "faults"))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"kind\":\"ERROR\",\"status\":404,\"errorCode\":\"NoSuchBucket\",\"operation\":\"ListObjectsV2\",\"times\":1}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(204, added.statusCode(), added.body());
            assertEquals(1, admin.getFaults().size());

            S3Client client = admin.createClient();
            S3Exception error = assertThrows(S3Exception.class, () -> client.listObjectsV2(b -> b.bucket("admin")));
            assertEquals("NoSuchBucket", error.awsErrorDetails().errorCode());

            HttpResponse<String> journal = http.send(HttpRequest.newBuilder(URI.create(base + "requests")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, journal.statusCode());
            assertTrue(journal.body().contains("\"operation\":\"ListObjectsV2\""), journal.body());
            assertTrue(journal.body().contains("\"errorCode\":\"NoSuchBucket\""), journal.body());

            HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(base + "faults"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"EXPLODE\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, bad.statusCode());

            HttpResponse<String> unreachable = http.send(HttpRequest.newBuilder(
                    URI.create(closed.getEndpoint() + "/_s3ite/requests")).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(unreachable.statusCode() >= 400, "the admin path is off unless enabled");
            assertTrue(unreachable.body().contains("<Error>"), unreachable.body());
        }
    }

    private static byte[] readUntilClosed(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                all.write(buffer, 0, n);
            }
        } catch (java.net.SocketException e) {
            // a reset after the cut is a closed connection too
        }
        return all.toByteArray();
    }

    @Test
    void aFaultForAnOperationThatDoesNotExistIsRefused() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> server.injectFault(S3Fault.error(503, "SlowDown").on("GetObjects")));
        assertTrue(error.getMessage().contains("GetObjects"), error.getMessage());
    }

    @Test
    void theAdminPathIsAKeyLikeAnyOtherInAVirtualHostedRequest() throws Exception {
        try (S3iteServer admin = new S3iteServer().withAnonymousAccess().withAdminEndpoint(true)
                .withDomainName("s3.test").withBucket("site").start()) {
            admin.createClient().putObject(b -> b.bucket("site").key("_s3ite/requests"), RequestBody.fromString("a page"));
            URI endpoint = admin.getEndpoint();
            try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
                socket.setSoTimeout(5000);
                socket.getOutputStream().write(("GET /_s3ite/requests HTTP/1.1\r\nHost: site.s3.test\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                String answer = new String(readUntilClosed(socket.getInputStream()), StandardCharsets.ISO_8859_1);
                assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
                assertTrue(answer.endsWith("a page"), answer);
            }
        }
    }
}
