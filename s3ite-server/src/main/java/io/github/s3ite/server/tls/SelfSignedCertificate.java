package io.github.s3ite.server.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;

/**
 * A self-signed TLS server certificate made with the JDK alone: a new EC P-256 key pair, the
 * certificate signed with it (SHA256withECDSA), X.509 v3 with subject {@value #SUBJECT} and these
 * extensions: basic constraints (critical, not a CA), key usage (critical, digital signature),
 * extended key usage (TLS server authentication) and the subject alternative names given, DNS names
 * and IP addresses. A client that trusts the certificate itself accepts it for those names.
 *
 * @param privateKey  the key the certificate's public key belongs to; never written anywhere
 * @param certificate the certificate, as the JDK parsed it back
 */
public record SelfSignedCertificate(PrivateKey privateKey, X509Certificate certificate) {
    public static final String SUBJECT = "CN=s3ite";

    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    private static final String SUBJECT_ALTERNATIVE_NAME = "2.5.29.17";
    private static final String SERVER_AUTHENTICATION = "1.3.6.1.5.5.7.3.1";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A new key pair and a certificate for {@code names}, valid from {@code notBefore} to
     * {@code notAfter} (whole seconds).
     *
     * @param names DNS names ({@code localhost}, {@code *.s3.test}) and IP address literals
     *              ({@code 127.0.0.1}, {@code ::1}), in that order in the certificate
     * @throws IllegalArgumentException for no names, or a name that is neither
     */
    public static SelfSignedCertificate generate(List<String> names, Instant notBefore, Instant notAfter) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("A certificate needs at least one name");
        }
        if (!notBefore.isBefore(notAfter)) {
            throw new IllegalArgumentException("notBefore must be before notAfter: " + notBefore + ", " + notAfter);
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            KeyPair pair = generator.generateKeyPair();
            return new SelfSignedCertificate(pair.getPrivate(), sign(pair, names, notBefore, notAfter));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JDK cannot make an EC P-256 certificate", e);
        }
    }

    private static X509Certificate sign(KeyPair pair, List<String> names, Instant notBefore, Instant notAfter)
            throws GeneralSecurityException {
        byte[] algorithm = Der.sequence(Der.objectIdentifier(ECDSA_WITH_SHA256));
        byte[] name = new X500Principal(SUBJECT).getEncoded();
        byte[] tbsCertificate = Der.sequence(
                Der.explicit(0, Der.integer(BigInteger.TWO)), // version 3
                Der.integer(serialNumber()),
                algorithm,
                name,
                Der.sequence(Der.time(notBefore), Der.time(notAfter)),
                name,
                pair.getPublic().getEncoded(), // SubjectPublicKeyInfo, as the JDK encodes it
                Der.explicit(3, Der.sequence(
                        extension(BASIC_CONSTRAINTS, true, Der.sequence()), // cA FALSE: the default, left out
                        extension(KEY_USAGE, true, Der.bitString(7, new byte[] {(byte) 0x80})), // digitalSignature
                        extension(EXTENDED_KEY_USAGE, false, Der.sequence(Der.objectIdentifier(SERVER_AUTHENTICATION))),
                        extension(SUBJECT_ALTERNATIVE_NAME, false, generalNames(names)))));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(pair.getPrivate(), RANDOM);
        signer.update(tbsCertificate);
        byte[] certificate = Der.sequence(tbsCertificate, algorithm, Der.bitString(0, signer.sign()));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate));
    }

    /** 16 random bytes, positive and without a leading zero byte, as RFC 5280 asks (at most 20). */
    private static BigInteger serialNumber() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        bytes[0] = (byte) ((bytes[0] & 0x3F) | 0x40);
        return new BigInteger(1, bytes);
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical
                ? Der.sequence(Der.objectIdentifier(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.objectIdentifier(oid), Der.octetString(value)); // critical DEFAULT FALSE
    }

    private static byte[] generalNames(List<String> names) {
        ByteArrayOutputStream sequence = new ByteArrayOutputStream();
        for (String name : names) {
            byte[] address = ipAddress(name);
            // GeneralName: dNSName [2] IA5String, iPAddress [7] OCTET STRING
            sequence.writeBytes(address != null ? Der.implicit(7, address) : Der.implicit(2, dnsName(name)));
        }
        return Der.sequence(sequence.toByteArray());
    }

    /** The address of an IP literal, or null for anything else; never a DNS lookup. */
    private static byte[] ipAddress(String name) {
        String literal = name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
        if (IPV4.matcher(literal).matches()) {
            String[] parts = literal.split("\\.");
            byte[] address = new byte[4];
            for (int i = 0; i < 4; i++) {
                int part = Integer.parseInt(parts[i]);
                if (part > 255) {
                    throw new IllegalArgumentException("Not an IP address: " + name);
                }
                address[i] = (byte) part;
            }
            return address;
        }
        if (!literal.contains(":")) {
            return null;
        }
        try {
            // in brackets, an IPv6 literal is only parsed, never looked up
            return InetAddress.getByName("[" + literal + "]").getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Not an IP address: " + name, e);
        }
    }

    private static byte[] dnsName(String name) {
        if (name.isEmpty() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new IllegalArgumentException("Not a DNS name: '" + name + "'");
        }
        return name.getBytes(StandardCharsets.US_ASCII);
    }
}
