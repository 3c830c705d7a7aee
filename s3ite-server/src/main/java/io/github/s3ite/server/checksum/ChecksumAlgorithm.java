package io.github.s3ite.server.checksum;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/** S3's flexible checksum algorithms. */
public enum ChecksumAlgorithm {
    CRC32(4, true, true),
    CRC32C(4, true, true),
    CRC64NVME(8, true, false),
    SHA1(20, false, true),
    SHA256(32, false, true);

    private final int length;
    private final boolean fullObject;
    private final boolean composite;
    private final String headerName;

    ChecksumAlgorithm(int length, boolean fullObject, boolean composite) {
        this.length = length;
        this.fullObject = fullObject;
        this.composite = composite;
        this.headerName = "x-amz-checksum-" + name().toLowerCase(Locale.ROOT);
    }

    /** The algorithm of that name, in any case ({@code crc32c}, {@code CRC64NVME}); null if none. */
    public static ChecksumAlgorithm fromName(String name) {
        if (name == null) {
            return null;
        }
        String wanted = name.trim().toUpperCase(Locale.ROOT);
        for (ChecksumAlgorithm algorithm : values()) {
            if (algorithm.name().equals(wanted)) {
                return algorithm;
            }
        }
        return null;
    }

    /** The algorithm whose {@code x-amz-checksum-*} header this is; null if none. */
    public static ChecksumAlgorithm fromHeaderName(String lowerCaseHeader) {
        for (ChecksumAlgorithm algorithm : values()) {
            if (algorithm.headerName.equals(lowerCaseHeader)) {
                return algorithm;
            }
        }
        return null;
    }

    /** {@code x-amz-checksum-crc32} and so on. */
    public String headerName() {
        return headerName;
    }

    /** Length of the raw checksum in bytes. */
    public int length() {
        return length;
    }

    public boolean supportsFullObject() {
        return fullObject;
    }

    public boolean supportsComposite() {
        return composite;
    }

    public ChecksumDigest newDigest() {
        return switch (this) {
            case CRC32 -> new Crc32Digest(new CRC32());
            case CRC32C -> new Crc32Digest(new CRC32C());
            case CRC64NVME -> new Crc64Nvme();
            case SHA1 -> new MessageDigestAdapter("SHA-1");
            case SHA256 -> new MessageDigestAdapter("SHA-256");
        };
    }

    private static final class Crc32Digest implements ChecksumDigest {
        private final Checksum checksum;

        Crc32Digest(Checksum checksum) {
            this.checksum = checksum;
        }

        @Override
        public void update(byte[] bytes, int offset, int length) {
            checksum.update(bytes, offset, length);
        }

        @Override
        public byte[] digest() {
            return ByteBuffer.allocate(4).putInt((int) checksum.getValue()).array();
        }
    }

    private static final class MessageDigestAdapter implements ChecksumDigest {
        private final MessageDigest digest;

        MessageDigestAdapter(String algorithm) {
            try {
                this.digest = MessageDigest.getInstance(algorithm);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(algorithm + " is required of every JVM", e);
            }
        }

        @Override
        public void update(byte[] bytes, int offset, int length) {
            digest.update(bytes, offset, length);
        }

        @Override
        public byte[] digest() {
            return digest.digest();
        }
    }
}
