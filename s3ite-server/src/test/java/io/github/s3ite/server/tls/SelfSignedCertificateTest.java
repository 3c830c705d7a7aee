package io.github.s3ite.server.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.SignatureException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The certificate we encode ourselves, read back by the JDK: what a TLS client will check in it. */
class SelfSignedCertificateTest {
    private static final Instant NOT_BEFORE = Instant.parse("2026-03-01T10:15:30Z");
    private static final Instant NOT_AFTER = Instant.parse("2027-03-01T10:15:30Z");

    private static SelfSignedCertificate generate(List<String> names) {
        return SelfSignedCertificate.generate(names, NOT_BEFORE, NOT_AFTER);
    }

    @Test
    void theJdkReadsItBackAsAVersion3CertificateNamedS3ite() throws Exception {
        X509Certificate certificate = generate(List.of("localhost")).certificate();
        // parsed again from its bytes, so nothing the generator still holds is what is checked
        X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate.getEncoded()));
        assertEquals(3, parsed.getVersion());
        assertEquals("CN=s3ite", parsed.getSubjectX500Principal().getName());
        assertEquals(parsed.getSubjectX500Principal(), parsed.getIssuerX500Principal());
        assertEquals("SHA256withECDSA", parsed.getSigAlgName());
        assertTrue(parsed.getPublicKey() instanceof ECPublicKey);
        assertEquals(1, parsed.getSerialNumber().signum());
        assertTrue(parsed.getSerialNumber().bitLength() <= 159, "at most 20 bytes, positive");
    }

    @Test
    void itIsSignedByItsOwnKeyAndByNoOther() throws Exception {
        SelfSignedCertificate one = generate(List.of("localhost"));
        SelfSignedCertificate other = generate(List.of("localhost"));
        one.certificate().verify(one.certificate().getPublicKey());
        assertThrows(SignatureException.class, () -> one.certificate().verify(other.certificate().getPublicKey()));
    }

    @Test
    void itNamesLocalhostAndTheLoopbackAddressesAsSubjectAlternativeNames() throws Exception {
        X509Certificate certificate = generate(List.of("localhost", "127.0.0.1", "::1", "*.s3.test")).certificate();
        List<List<?>> names = new ArrayList<>();
        for (List<?> name : certificate.getSubjectAlternativeNames()) {
            names.add(List.copyOf(name));
        }
        assertEquals(List.of(List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"),
                List.of(2, "*.s3.test")), names);
    }

    @Test
    void itIsValidExactlyFromNotBeforeToNotAfter() {
        X509Certificate certificate = generate(List.of("localhost")).certificate();
        assertEquals(NOT_BEFORE, certificate.getNotBefore().toInstant());
        assertEquals(NOT_AFTER, certificate.getNotAfter().toInstant());
    }

    @Test
    void datesFrom2050OnAreGeneralizedTimeAndReadBackTheSame() {
        Instant notAfter = Instant.parse("2051-01-02T03:04:05Z");
        X509Certificate certificate = SelfSignedCertificate.generate(List.of("localhost"), NOT_BEFORE, notAfter)
                .certificate();
        assertEquals(notAfter, certificate.getNotAfter().toInstant());
    }

    @Test
    void itIsAServerCertificateAndNotACertificateAuthority() throws Exception {
        X509Certificate certificate = generate(List.of("localhost")).certificate();
        assertEquals(-1, certificate.getBasicConstraints());
        assertTrue(certificate.getKeyUsage()[0], "digitalSignature");
        for (int bit = 1; bit < certificate.getKeyUsage().length; bit++) {
            assertTrue(!certificate.getKeyUsage()[bit], "only digitalSignature, not bit " + bit);
        }
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), certificate.getExtendedKeyUsage());
        assertEquals(Set.of("2.5.29.19", "2.5.29.15"), certificate.getCriticalExtensionOIDs());
        assertEquals(Set.of("2.5.29.37", "2.5.29.17"), certificate.getNonCriticalExtensionOIDs());
    }

    @Test
    void manyNamesNeedLongFormLengthsAndStillParse() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            names.add("host-" + i + ".s3.test");
        }
        X509Certificate certificate = generate(names).certificate();
        assertTrue(certificate.getEncoded().length > 0xFF, "lengths of two bytes were needed");
        assertEquals(300, certificate.getSubjectAlternativeNames().size());
        certificate.verify(certificate.getPublicKey());
    }

    @Test
    void whatIsNeitherADnsNameNorAnIpAddressIsRefusedWithoutALookup() {
        assertThrows(IllegalArgumentException.class, () -> generate(List.of("300.1.1.1")));
        assertThrows(IllegalArgumentException.class, () -> generate(List.of("not:an:address:zz")));
        assertThrows(IllegalArgumentException.class, () -> generate(List.of("two words")));
        assertThrows(IllegalArgumentException.class, () -> generate(List.of("b\u00fccher.test")));
        assertThrows(IllegalArgumentException.class, () -> generate(List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> SelfSignedCertificate.generate(List.of("localhost"), NOT_AFTER, NOT_BEFORE));
    }

    @Test
    void derEncodesObjectIdentifiersIntegersAndLengthsAsX690Says() {
        HexFormat hex = HexFormat.of();
        assertEquals("06082a8648ce3d040302", hex.formatHex(Der.objectIdentifier("1.2.840.10045.4.3.2")));
        assertEquals("0603551d11", hex.formatHex(Der.objectIdentifier("2.5.29.17")));
        assertEquals("020100", hex.formatHex(Der.integer(BigInteger.ZERO)));
        assertEquals("02020080", hex.formatHex(Der.integer(BigInteger.valueOf(128))), "a leading zero keeps it positive");
        assertEquals("0101ff", hex.formatHex(Der.bool(true)));
        assertEquals("3000", hex.formatHex(Der.sequence()));
        assertArrayEquals(hex.parseHex("0481c8"), java.util.Arrays.copyOf(Der.octetString(new byte[200]), 3));
        assertArrayEquals(hex.parseHex("0482012c"), java.util.Arrays.copyOf(Der.octetString(new byte[300]), 4));
        assertEquals("170d3236303330313130313533305a", hex.formatHex(Der.time(NOT_BEFORE)));
    }
}
