package io.github.s3ite.server.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * What an HTTPS listener presents (its private key and certificate chain) and what a client needs
 * to trust it: the certificates, as PEM, as a PKCS12 trust store, as trust managers, as an
 * {@link SSLContext}. Either generated ({@link #selfSigned}) or read from a key store of the user's.
 */
public final class TlsIdentity {
    /** How long a generated certificate is valid: long enough for any server to run, within what clients accept. */
    public static final Duration GENERATED_VALIDITY = Duration.ofDays(365);
    /** Guards the generated key in memory only; the key is never written. */
    private static final char[] IN_MEMORY_PASSWORD = "s3ite".toCharArray();

    private final KeyStore keys;
    private final char[] keyPassword;
    private final List<X509Certificate> certificates;

    private TlsIdentity(KeyStore keys, char[] keyPassword, List<X509Certificate> certificates) {
        this.keys = keys;
        this.keyPassword = keyPassword;
        this.certificates = List.copyOf(certificates);
    }

    /**
     * A new key and a self-signed certificate for {@code names} (see {@link SelfSignedCertificate}),
     * valid from an hour before {@code now} (for clocks a little behind) for {@link #GENERATED_VALIDITY}.
     */
    public static TlsIdentity selfSigned(List<String> names, Instant now) {
        Instant notBefore = now.truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
        SelfSignedCertificate generated = SelfSignedCertificate.generate(names, notBefore,
                notBefore.plus(GENERATED_VALIDITY));
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("s3ite", generated.privateKey(), IN_MEMORY_PASSWORD,
                    new Certificate[] {generated.certificate()});
            return new TlsIdentity(keys, IN_MEMORY_PASSWORD, List.of(generated.certificate()));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot keep a generated key in a PKCS12 key store", e);
        }
    }

    /**
     * The key entries of a PKCS12 or JKS key store (the type is recognised from the file), each key
     * protected by the store's password. Clients are told to trust every certificate of their chains.
     *
     * @throws IllegalArgumentException when the file cannot be read with that password, or holds no key
     */
    public static TlsIdentity fromKeyStore(Path file, char[] password) {
        KeyStore keys;
        try {
            keys = KeyStore.getInstance(file.toFile(), password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot read the key store " + file + " with the password given: "
                    + e.getMessage(), e);
        }
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            for (String alias : Collections.list(keys.aliases())) {
                if (!keys.isKeyEntry(alias) || keys.getCertificateChain(alias) == null) {
                    continue;
                }
                for (Certificate certificate : keys.getCertificateChain(alias)) {
                    if (certificate instanceof X509Certificate x509 && !certificates.contains(x509)) {
                        certificates.add(x509);
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot read the entries of the key store " + file, e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("The key store " + file
                    + " holds no private key with an X.509 certificate chain to serve HTTPS with");
        }
        return new TlsIdentity(keys, password.clone(), certificates);
    }

    /** What the server's listener is built with: its key managers, no client authentication. */
    public SSLContext serverContext() {
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, keyPassword);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(factory.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot serve HTTPS with this key: " + e.getMessage(), e);
        }
    }

    /** The certificates a client should trust: the generated one, or those of the key store's chains. */
    public List<X509Certificate> certificates() {
        return certificates;
    }

    /** A PKCS12 store that holds {@link #certificates()} as trusted certificates, and nothing else. */
    public KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("s3ite-" + i, certificates.get(i));
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot make a PKCS12 trust store", e);
        }
    }

    /** Trust managers that accept {@link #certificates()} and nothing else. */
    public TrustManager[] trustManagers() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trustStore());
            return factory.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot make trust managers", e);
        }
    }

    /** A client's {@link SSLContext} that trusts {@link #certificates()} and nothing else. */
    public SSLContext clientContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot make a client SSLContext", e);
        }
    }

    /** {@link #certificates()} as PEM: one {@code BEGIN CERTIFICATE} block each, lines of 64 characters. */
    public String pem() {
        Base64.Encoder encoder = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                pem.append("-----BEGIN CERTIFICATE-----\n")
                        .append(encoder.encodeToString(certificate.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Cannot encode a certificate", e);
            }
        }
        return pem.toString();
    }

    /** Writes {@link #pem()} to {@code file}. */
    public void writePem(Path file) {
        try {
            Files.writeString(file, pem(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the certificate to " + file, e);
        }
    }

    /** Writes {@link #trustStore()} to {@code file}, protected by {@code password}. */
    public void writeTrustStore(Path file, char[] password) {
        try (OutputStream out = Files.newOutputStream(file)) {
            trustStore().store(out, password);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the trust store " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot write the trust store " + file, e);
        }
    }
}
