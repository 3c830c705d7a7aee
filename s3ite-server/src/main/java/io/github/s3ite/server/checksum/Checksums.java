package io.github.s3ite.server.checksum;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.util.Base64;
import java.util.List;

/** Base64 encoding of checksums and S3's composite checksum of a multipart object. */
public final class Checksums {
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
}
