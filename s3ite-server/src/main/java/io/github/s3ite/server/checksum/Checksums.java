package io.github.s3ite.server.checksum;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;

/**
 * Base64 encoding of checksums, and S3's composite and full-object checksums of a multipart object
 * from the checksums of its parts.
 */
public final class Checksums {
    private static final CrcCombination CRC32 = new CrcCombination(32, 0xedb88320L);
    private static final CrcCombination CRC32C = new CrcCombination(32, 0x82f63b78L);
    private static final CrcCombination CRC64NVME = new CrcCombination(64, 0x9a6c9329ac4bc9b5L);

    private Checksums() {
    }

    public static String base64(byte[] raw) {
        return Base64.getEncoder().encodeToString(raw);
    }

    /** @throws S3Exception InvalidDigest when not base64 of a checksum of that algorithm */
    public static byte[] fromBase64(String value, ChecksumAlgorithm algorithm) {
        try {
            byte[] raw = Base64.getDecoder().decode(value.trim());
            if (raw.length != algorithm.length()) {
                throw new IllegalArgumentException("length " + raw.length);
            }
            return raw;
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "Value for x-amz-checksum-" + algorithm.name().toLowerCase(java.util.Locale.ROOT)
                            + " header is invalid.");
        }
    }

    /** S3's composite checksum: the checksum of the concatenated part checksums, then {@code -N}. */
    public static String composite(ChecksumAlgorithm algorithm, List<byte[]> partChecksums) {
        ChecksumDigest digest = algorithm.newDigest();
        for (byte[] part : partChecksums) {
            digest.update(part, 0, part.length);
        }
        return base64(digest.digest()) + "-" + partChecksums.size();
    }

    /**
     * The full-object checksum of parts joined in order, from each part's checksum and size: what
     * digesting all their bytes would give, without them.
     *
     * @param partChecksums each part's raw checksum of {@code algorithm}
     * @param sizes         each part's length in bytes
     * @throws IllegalArgumentException for an algorithm without full-object checksums (the SHAs)
     */
    public static byte[] fullObject(ChecksumAlgorithm algorithm, List<byte[]> partChecksums, List<Long> sizes) {
        CrcCombination crc = switch (algorithm) {
            case CRC32 -> CRC32;
            case CRC32C -> CRC32C;
            case CRC64NVME -> CRC64NVME;
            case SHA1, SHA256 -> throw new IllegalArgumentException(algorithm + " has no full-object checksum of parts");
        };
        if (partChecksums.isEmpty()) {
            return algorithm.newDigest().digest();
        }
        long combined = toLong(partChecksums.get(0));
        for (int i = 1; i < partChecksums.size(); i++) {
            combined = crc.combine(combined, toLong(partChecksums.get(i)), sizes.get(i));
        }
        return algorithm.length() == 4 ? ByteBuffer.allocate(4).putInt((int) combined).array()
                : ByteBuffer.allocate(8).putLong(combined).array();
    }

    private static long toLong(byte[] raw) {
        return raw.length == 4 ? ByteBuffer.wrap(raw).getInt() & 0xffffffffL : ByteBuffer.wrap(raw).getLong();
    }
}
