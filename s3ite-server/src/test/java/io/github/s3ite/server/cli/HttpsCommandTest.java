package io.github.s3ite.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.s3ite.server.tls.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone server's HTTPS options, as a user runs them, with the clients a user has. */
class HttpsCommandTest {
    private static final Pattern CERTIFICATE = Pattern.compile("the HTTPS certificate to trust is in (\\S+)");

    private static Path certificateFile(StandaloneProcess server) {
        Matcher matcher = CERTIFICATE.matcher(server.output());
        assertTrue(matcher.find(), "the certificate's path is printed:\n" + server.output());
        return Path.of(matcher.group(1));
    }

    /** What {@code curl --cacert FILE} does: trust the certificates of a PEM file, and no others. */
    private static HttpClient trusting(Path pem) throws Exception {
        KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
        trustStore.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trustStore.setCertificateEntry("c" + i++, certificate);
            }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static int status(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    @Test
    void httpsServesInsteadOfPlainHttpWithTheCertificateInThePrintedFile(@TempDir Path dir) throws Exception {
        Path certificate;
        try (StandaloneProcess server = new StandaloneProcess(dir, "--https")) {
            assertEquals("https", server.endpoint().getScheme());
            certificate = certificateFile(server);
            assertTrue(Files.readString(certificate).startsWith("-----BEGIN CERTIFICATE-----"));

            assertEquals(200, status(trusting(certificate), server.endpoint().resolve("/")));
            URI byName = URI.create("https://localhost:" + server.endpoint().getPort() + "/");
            assertEquals(200, status(trusting(certificate), byName));
            HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            assertThrows(SSLHandshakeException.class, () -> status(untrusting, server.endpoint().resolve("/")));
            assertEquals(143, server.terminate());
        }
        assertTrue(Files.notExists(certificate), "the temporary certificate file goes with the server");
    }

    @Test
    void anHttpsPortServesBesidePlainHttpAndTheCertificateGoesWhereAsked(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("out/s3ite.pem");
        Files.createDirectories(pem.getParent());
        Path data = Files.createDirectories(dir.resolve("data"));
        try (StandaloneProcess server = new StandaloneProcess(data, "--https-port", "0",
                "--https-certificate-out", pem.toString())) {
            assertEquals("http", server.endpoint().getScheme());
            assertNotNull(server.httpsEndpoint(), server.output());
            assertNotEquals(server.endpoint().getPort(), server.httpsEndpoint().getPort());
            assertEquals(pem.toAbsolutePath(), certificateFile(server));

            assertEquals(200, status(HttpClient.newHttpClient(), server.endpoint().resolve("/")));
            assertEquals(200, status(trusting(pem), server.httpsEndpoint().resolve("/")));
        }
        assertTrue(Files.exists(pem), "a file asked for is the user's: it stays");
    }

    @Test
    void aKeyStoreOfTheUsersIsServed(@TempDir Path dir) throws Exception {
        SelfSignedCertificate own = SelfSignedCertificate.generate(List.of("127.0.0.1"), Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(1)));
        Path keyStore = dir.resolve("server.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", own.privateKey(), "pw".toCharArray(), new Certificate[] {own.certificate()});
        try (OutputStream out = Files.newOutputStream(keyStore)) {
            store.store(out, "pw".toCharArray());
        }
        Path pem = dir.resolve("own.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(own.certificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        Path data = Files.createDirectories(dir.resolve("data"));

        try (StandaloneProcess server = new StandaloneProcess(data, "--https-keystore", keyStore.toString(),
                "--https-keystore-password", "pw")) {
            assertEquals("https", server.endpoint().getScheme());
            assertEquals(200, status(trusting(pem), server.endpoint().resolve("/")));
        }
    }

    @Test
    void theHttpsOptionsAreCheckedBeforeAnythingStarts(@TempDir Path dir) {
        CommandRun noPassword = run(dir.toString(), "--https-keystore", dir.resolve("server.p12").toString());
        assertNotEquals(0, noPassword.exitCode());
        assertTrue(noPassword.err().contains("--https-keystore-password"), noPassword.err());

        CommandRun noHttps = run(dir.toString(), "--https-certificate-out", dir.resolve("s3ite.pem").toString());
        assertNotEquals(0, noHttps.exitCode());
        assertTrue(noHttps.err().contains("--https"), noHttps.err());

        CommandRun unreadable = run(dir.toString(), "--port", "0", "--https-keystore", dir.resolve("missing.p12").toString(),
                "--https-keystore-password", "pw");
        assertNotEquals(0, unreadable.exitCode());
        assertTrue(unreadable.err().contains("missing.p12"), unreadable.err());

        CommandRun help = run("--help");
        for (String option : new String[] {"--https", "--https-port", "--https-keystore", "--https-keystore-password",
            "--https-certificate-out"}) {
            assertTrue(help.out().contains(option), option + " in:\n" + help.out());
        }
    }

    @Test
    void theAwsCliTalksToItOverHttpsWithTheCertificateAsItsCaBundle(@TempDir Path dir) throws Exception {
        assumeTrue(awsCliInstalled(), "the aws cli is not installed on this machine: install it (pip install awscli) to run this test");
        Path data = Files.createDirectories(dir.resolve("data"));
        Path home = Files.createDirectories(dir.resolve("home"));
        Path upload = dir.resolve("upload.txt");
        Files.writeString(upload, "over TLS, from botocore\n");
        try (StandaloneProcess server = new StandaloneProcess(data, "--https", "--access-key", "AKIAHTTPS",
                "--secret-key", "https-secret")) {
            String bundle = certificateFile(server).toString();
            aws(server, home, "--ca-bundle", bundle, "s3", "mb", "s3://secure");
            aws(server, home, "--ca-bundle", bundle, "s3", "cp", upload.toString(), "s3://secure/upload.txt");
            assertEquals("over TLS, from botocore\n",
                    aws(server, home, "--ca-bundle", bundle, "s3", "cp", "s3://secure/upload.txt", "-"));
        }
    }

    private static boolean awsCliInstalled() {
        try {
            Process process = new ProcessBuilder("aws", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String aws(StandaloneProcess server, Path home, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", server.endpoint().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("AWS_ACCESS_KEY_ID", "AKIAHTTPS");
        env.put("AWS_SECRET_ACCESS_KEY", "https-secret");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_CONFIG_FILE", home.resolve("config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_PAGER", "");
        env.remove("AWS_PROFILE");
        env.remove("AWS_CA_BUNDLE");
        // stdout is the object's bytes for `cp ... -`: the errors go elsewhere
        Path errors = Files.createTempFile(home, "aws", ".err");
        Process process = builder.redirectError(errors.toFile()).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("aws " + String.join(" ", args) + " hung");
        }
        assertEquals(0, process.exitValue(), "aws " + String.join(" ", args) + " failed:\n" + output
                + Files.readString(errors) + "\nserver:\n" + server.output());
        return output;
    }
}
