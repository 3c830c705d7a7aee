package io.github.s3ite.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key and certificates of an HTTPS listener, and the forms clients take them in. */
class TlsIdentityTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:15:30.250Z");

    @Test
    void aGeneratedIdentityIsValidFromAnHourAgoForAYear() {
        X509Certificate certificate = TlsIdentity.selfSigned(List.of("localhost"), NOW).certificates().get(0);
        Instant notBefore = Instant.parse("2026-03-01T09:15:30Z");
        assertEquals(notBefore, certificate.getNotBefore().toInstant());
        assertEquals(notBefore.plus(Duration.ofDays(365)), certificate.getNotAfter().toInstant());
    }

    @Test
    void thePemParsesBackToTheSameCertificates() throws Exception {
        TlsIdentity identity = TlsIdentity.selfSigned(List.of("localhost", "127.0.0.1"), NOW);
        String pem = identity.pem();
        assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----\n") && pem.endsWith("-----END CERTIFICATE-----\n"), pem);
        for (String line : pem.split("\n")) {
            assertTrue(line.length() <= 64, "PEM lines are at most 64 characters: " + line);
        }
        assertEquals(identity.certificates(), List.copyOf(CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))));
    }

    @Test
    void theTrustStoreFileHoldsTheCertificatesAndNoKey(@TempDir Path dir) throws Exception {
        TlsIdentity identity = TlsIdentity.selfSigned(List.of("localhost"), NOW);
        Path file = dir.resolve("trust.p12");
        identity.writeTrustStore(file, "pw".toCharArray());
        KeyStore store = KeyStore.getInstance(file.toFile(), "pw".toCharArray());
        assertEquals(1, store.size());
        String alias = store.aliases().nextElement();
        assertTrue(store.isCertificateEntry(alias));
        assertEquals(identity.certificates().get(0), store.getCertificate(alias));
    }

    @Test
    void aKeyStoreOfTheUsersServesItsKeyAndHasClientsTrustItsChain(@TempDir Path dir) throws Exception {
        SelfSignedCertificate own = SelfSignedCertificate.generate(List.of("s3.test"), NOW, NOW.plus(Duration.ofDays(2)));
        Path file = dir.resolve("server.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", own.privateKey(), "secret".toCharArray(), new Certificate[] {own.certificate()});
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, "secret".toCharArray());
        }

        TlsIdentity identity = TlsIdentity.fromKeyStore(file, "secret".toCharArray());

        assertEquals(List.of(own.certificate()), identity.certificates());
        assertEquals("TLS", identity.serverContext().getProtocol());
    }

    @Test
    void aKeyStoreThatCannotBeReadOrHoldsNoKeyIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        TlsIdentity identity = TlsIdentity.selfSigned(List.of("localhost"), NOW);
        Path certificatesOnly = dir.resolve("certificates-only.p12");
        identity.writeTrustStore(certificatesOnly, "pw".toCharArray());

        IllegalArgumentException wrongPassword = assertThrows(IllegalArgumentException.class,
                () -> TlsIdentity.fromKeyStore(certificatesOnly, "wrong".toCharArray()));
        assertTrue(wrongPassword.getMessage().contains("certificates-only.p12"), wrongPassword.getMessage());
        IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class,
                () -> TlsIdentity.fromKeyStore(certificatesOnly, "pw".toCharArray()));
        assertTrue(noKey.getMessage().contains("no private key"), noKey.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> TlsIdentity.fromKeyStore(dir.resolve("missing.p12"), "pw".toCharArray()));
    }
}
