package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3ite.server.tls.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The HTTPS listener, over real TLS sockets on 127.0.0.1: the clients the server makes trust its
 * generated certificate, clients built by hand trust it through the PEM, the trust store or the
 * SSLContext it gives, a client that does not trust it cannot talk to it, and the edge's limits
 * hold over TLS as over plain HTTP.
 */
class HttpsEndToEndTest {

    private static HttpClient httpClient(SSLContext tls) {
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theSdksSyncAndAsyncClientsPutAndGetOverHttps() {
        try (S3iteServer server = new S3iteServer().withHttps().withBucket("tls").start()) {
            assertEquals("https", server.getEndpoint().getScheme());
            assertEquals(server.getPort(), server.getHttpsPort(), "HTTPS replaces plain HTTP on the port");

            S3Client s3 = server.createClient();
            s3.putObject(b -> b.bucket("tls").key("sync"), RequestBody.fromString("over TLS"));
            assertEquals("over TLS", s3.getObjectAsBytes(b -> b.bucket("tls").key("sync")).asUtf8String());

            S3AsyncClient async = server.createAsyncClient();
            async.putObject(b -> b.bucket("tls").key("async"), AsyncRequestBody.fromString("over TLS too")).join();
            assertEquals("over TLS too", async.getObject(b -> b.bucket("tls").key("async"),
                    AsyncResponseTransformer.toBytes()).join().asUtf8String());

            List<RecordedRequest> requests = server.getRequests();
            assertEquals(4, requests.size());
            assertTrue(requests.stream().allMatch(RecordedRequest::secureTransport), requests.toString());
        }
    }

    @Test
    void aPresignedUrlIsHttpsAndWorksWithTheServersSslContext() throws Exception {
        try (S3iteServer server = new S3iteServer().withHttps().withBucket("tls").start()) {
            server.createClient().putObject(b -> b.bucket("tls").key("shared.txt"), RequestBody.fromString("presigned"));
            URI url = server.createPresigner().presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket("tls").key("shared.txt"))).url().toURI();
            assertEquals("https", url.getScheme());

            HttpResponse<String> response = get(httpClient(server.getClientSslContext()), url);

            assertEquals(200, response.statusCode());
            assertEquals("presigned", response.body());
        }
    }

    @Test
    void javasHttpClientTrustsTheServerThroughTheExportedTrustStore() throws Exception {
        try (S3iteServer server = new S3iteServer().withAnonymousAccess().withHttps().withBucket("tls").start()) {
            KeyStore trustStore = KeyStore.getInstance(server.getTrustStore().toFile(),
                    server.getTrustStorePassword().toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);

            HttpResponse<String> listing = get(httpClient(tls), server.getEndpoint().resolve("/"));

            assertEquals(200, listing.statusCode());
            assertTrue(listing.body().contains("<Name>tls</Name>"), listing.body());
        }
    }

    @Test
    void httpsUrlConnectionTrustsTheServerThroughThePemFile() throws Exception {
        try (S3iteServer server = new S3iteServer().withAnonymousAccess().withHttps().withBucket("tls").start()) {
            server.createClient().putObject(b -> b.bucket("tls").key("k"), RequestBody.fromString("from the PEM"));
            assertEquals(server.getCertificatePem(), Files.readString(server.getCertificateFile()));
            KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
            trustStore.load(null, null);
            try (InputStream pem = Files.newInputStream(server.getCertificateFile())) {
                int i = 0;
                for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(pem)) {
                    trustStore.setCertificateEntry("s3ite-" + i++, certificate);
                }
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);

            HttpsURLConnection connection = (HttpsURLConnection) server.getEndpoint().resolve("/tls/k").toURL().openConnection();
            connection.setSSLSocketFactory(tls.getSocketFactory());
            try (InputStream body = connection.getInputStream()) {
                assertEquals(200, connection.getResponseCode());
                assertEquals("from the PEM", new String(body.readAllBytes(), StandardCharsets.UTF_8));
            } finally {
                connection.disconnect();
            }
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateFailsTheHandshake() {
        try (S3iteServer server = new S3iteServer().withAnonymousAccess().withHttps().withBucket("tls").start()) {
            // the JDK's default trust: the public certificate authorities, none of which signed ours
            HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            assertThrows(SSLHandshakeException.class, () -> get(untrusting, server.getEndpoint().resolve("/")));

            try (S3Client sdkDefault = S3Client.builder()
                    .endpointOverride(server.getEndpoint())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(() -> AwsBasicCredentials.create("any", "any"))
                    .forcePathStyle(true)
                    .build()) {
                SdkClientException refused = assertThrows(SdkClientException.class, sdkDefault::listBuckets);
                assertTrue(causedBy(refused, SSLHandshakeException.class), refused.toString());
            }
            // and the generated certificate of another server is not this one's
            try (S3iteServer other = new S3iteServer().withHttps().start()) {
                assertThrows(SSLHandshakeException.class,
                        () -> get(httpClient(other.getClientSslContext()), server.getEndpoint().resolve("/")));
            }
        }
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void sseCObjectsArePutAndReadOverHttps() throws Exception {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) 7);
        String customerKey = Base64.getEncoder().encodeToString(key);
        String keyMd5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(key));
        try (S3iteServer server = new S3iteServer().withHttps().withBucket("tls").start()) {
            S3Client s3 = server.createClient();
            s3.putObject(b -> b.bucket("tls").key("secret").sseCustomerAlgorithm("AES256").sseCustomerKey(customerKey)
                    .sseCustomerKeyMD5(keyMd5), RequestBody.fromString("for my key only"));

            var read = s3.getObjectAsBytes(b -> b.bucket("tls").key("secret").sseCustomerAlgorithm("AES256")
                    .sseCustomerKey(customerKey).sseCustomerKeyMD5(keyMd5));

            assertEquals("for my key only", read.asUtf8String());
            GetObjectResponse response = read.response();
            assertEquals(keyMd5, response.sseCustomerKeyMD5());
            assertTrue(server.getRequests("PutObject").get(0).secureTransport());
        }
    }

    @Test
    void anHttpsPortOfItsOwnServesBesidePlainHttp() throws Exception {
        try (S3iteServer server = new S3iteServer().withAnonymousAccess().withHttpsPort(0).withBucket("both").start()) {
            assertNotEquals(server.getPort(), server.getHttpsPort());
            assertEquals(server.getHttpsEndpoint(), server.getEndpoint(), "clients are pointed at HTTPS");
            assertEquals("http", server.getHttpEndpoint().getScheme());

            assertEquals(200, get(HttpClient.newHttpClient(), server.getHttpEndpoint().resolve("/both")).statusCode());
            assertEquals(200, get(httpClient(server.getClientSslContext()), server.getHttpsEndpoint().resolve("/both"))
                    .statusCode());

            List<RecordedRequest> requests = server.getRequests("ListObjects");
            assertEquals(2, requests.size());
            assertFalse(requests.get(0).secureTransport(), "plain HTTP is not secure transport");
            assertTrue(requests.get(1).secureTransport());
        }
    }

    @Test
    void httpsAloneLeavesNoPlainHttpListening() throws Exception {
        try (S3iteServer server = new S3iteServer().withAnonymousAccess().withHttps().start()) {
            assertThrows(IllegalStateException.class, server::getHttpEndpoint);
            URI plainOnTheSamePort = URI.create("http://127.0.0.1:" + server.getPort() + "/");
            assertThrows(IOException.class, () -> get(HttpClient.newHttpClient(), plainOnTheSamePort));
        }
    }

    @Test
    void overPlainHttpTheCertificateGettersSayHttpsIsOff() {
        try (S3iteServer server = new S3iteServer().start()) {
            assertEquals("http", server.getEndpoint().getScheme());
            assertThrows(IllegalStateException.class, server::getHttpsEndpoint);
            assertThrows(IllegalStateException.class, server::getCertificatePem);
            assertThrows(IllegalStateException.class, server::getTrustStore);
            assertThrows(IllegalStateException.class, server::getClientSslContext);
        }
    }

    @Test
    void theCertificateIsForTheLoopbackNamesAndItsFilesGoAtStop() throws Exception {
        Path certificate;
        Path trustStore;
        try (S3iteServer server = new S3iteServer().withHttps().withDomainName("s3.test").start()) {
            certificate = server.getCertificateFile();
            trustStore = server.getTrustStore();
            X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(server.getCertificatePem().getBytes(StandardCharsets.US_ASCII)));
            List<Object> names = new ArrayList<>();
            parsed.getSubjectAlternativeNames().forEach(name -> names.add(name.get(1)));
            assertEquals(List.of("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1", "s3.test", "*.s3.test"), names);
            assertTrue(parsed.getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(300))));

            // by name as well as by address
            URI byName = URI.create("https://localhost:" + server.getHttpsPort() + "/");
            assertEquals(403, get(httpClient(server.getClientSslContext()), byName).statusCode(),
                    "an unsigned request, answered over a trusted connection");
        }
        assertFalse(Files.exists(certificate));
        assertFalse(Files.exists(trustStore));
    }

    @Test
    void aKeyStoreOfTheUsersIsServedAndTrustedByTheServersClients(@TempDir Path dir) throws Exception {
        SelfSignedCertificate own = SelfSignedCertificate.generate(List.of("127.0.0.1"), Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(1)));
        Path file = dir.resolve("server.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", own.privateKey(), "changeit".toCharArray(), new Certificate[] {own.certificate()});
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, "changeit".toCharArray());
        }
        try (S3iteServer server = new S3iteServer().withHttps(file, "changeit".toCharArray()).withBucket("own").start()) {
            server.createClient().putObject(b -> b.bucket("own").key("k"), RequestBody.fromString("own certificate"));
            assertEquals("own certificate", server.createClient().getObjectAsBytes(b -> b.bucket("own").key("k")).asUtf8String());
            X509Certificate served = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new java.io.ByteArrayInputStream(server.getCertificatePem().getBytes(StandardCharsets.US_ASCII)));
            assertEquals(own.certificate(), served);
        }
    }

    @Test
    void aKeyStoreThatCannotBeReadFailsTheStartAndLeavesNothingBehind(@TempDir Path dir) {
        S3iteServer server = new S3iteServer().withHttps(dir.resolve("missing.p12"), "x".toCharArray());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, server::start);
        assertTrue(refused.getMessage().contains("missing.p12"), refused.getMessage());
        assertFalse(server.isRunning());
    }

    @Test
    void connectionsBeyondTheCapGetSlowDownOverTlsToo() throws Exception {
        String list = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        try (S3iteServer server = new S3iteServer().withAnonymousAccess().withHttps().withMaxConnections(2).start()) {
            SSLContext tls = server.getClientSslContext();
            try (RawHttp first = new RawHttp(server.getEndpoint(), tls);
                 RawHttp second = new RawHttp(server.getEndpoint(), tls)) {
                assertEquals(200, first.send(list).read().status());
                assertEquals(200, second.send(list).read().status());
                try (RawHttp beyond = new RawHttp(server.getEndpoint(), tls)) {
                    RawHttp.Response refused = beyond.send(list).read();
                    assertEquals(503, refused.status());
                    assertTrue(refused.body().contains("<Code>SlowDown</Code>"), refused.body());
                    assertTrue(beyond.closedByServer());
                }
                assertEquals(200, first.send(list).read().status());
            }
        }
    }

    @Test
    void aRequestHeadSentByteByByteOverTlsIsCutOff() throws Exception {
        try (S3iteServer server = new S3iteServer().withAnonymousAccess().withHttps()
                .withRequestHeadTimeout(Duration.ofMillis(800)).start();
             RawHttp connection = new RawHttp(server.getEndpoint(), server.getClientSslContext())) {
            String head = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "a".repeat(200) + "\r\n\r\n";
            assertTimeoutPreemptively(Duration.ofSeconds(8), () -> {
                boolean cutOff = false;
                for (int i = 0; i < head.length() - 2 && !cutOff; i++) {
                    try {
                        connection.send(head.substring(i, i + 1));
                    } catch (IOException e) {
                        cutOff = true;
                    }
                    Thread.sleep(50);
                }
                connection.timeout(2000);
                assertTrue(cutOff || connection.closedByServer(), "the server never closed a connection still sending its head");
            });
        }
    }

    @Test
    void theAdminEndpointAndJournalSayWhichRequestsCameOverTls() throws Exception {
        try (S3iteServer server = new S3iteServer().withAnonymousAccess().withHttps().withAdminEndpoint(true).start()) {
            HttpClient client = httpClient(server.getClientSslContext());
            get(client, server.getEndpoint().resolve("/"));
            String journal = get(client, server.getEndpoint().resolve("/_s3ite/requests")).body();
            assertTrue(journal.contains("\"secureTransport\":true"), journal);
        }
    }
}
