package io.github.s3ite.server.storage;

import io.github.s3ite.server.checksum.ChecksumAlgorithm;
import io.github.s3ite.server.checksum.ChecksumType;
import io.github.s3ite.server.checksum.Checksums;
import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.util.Locale;

/** The whole-object checksum a CompleteMultipartUpload request may carry, checked against the assembled object. */
final class WholeObjectChecksum {
    private WholeObjectChecksum() {
    }

    /**
     * @param expected what the client sent: a full-object checksum, or a composite one ({@code ...-N})
     * @throws S3Exception BadDigest when it does not match; InvalidRequest when it names another
     *                     algorithm than the upload's, or a composite checksum the upload does not have
     */
    static void verify(StoredChecksum expected, MultipartAssembly.Assembled assembled, UploadInfo upload) {
        if (expected == null) {
            return;
        }
        ChecksumAlgorithm algorithm = ChecksumAlgorithm.fromName(expected.algorithm());
        StoredChecksum stored = assembled.checksum();
        boolean composite = expected.type() == ChecksumType.COMPOSITE;
        if (upload.checksumAlgorithm() != null && !upload.checksumAlgorithm().equals(algorithm.name())) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Checksum Type mismatch occurred, expected checksum Type: "
                    + upload.checksumAlgorithm().toLowerCase(Locale.ROOT) + ", actual checksum Type: "
                    + algorithm.name().toLowerCase(Locale.ROOT));
        }
        String actual = null;
        if (stored != null && stored.algorithm().equals(algorithm.name()) && stored.type() == expected.type()) {
            actual = stored.value();
        } else if (!composite) {
            // null for what an SSE-C object's parts have no checksum of: its bytes are ciphertext
            byte[] raw = assembled.fullObjectChecksum(algorithm);
            actual = raw == null ? null : Checksums.base64(raw);
        }
        if (actual == null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The upload was created using the "
                    + (stored == null ? ChecksumType.FULL_OBJECT : stored.type()).name() + " checksum mode. The complete request must use"
                    + " the same checksum mode.");
        }
        if (!withoutPartCount(actual).equals(withoutPartCount(expected.value()))) {
            throw new S3Exception(S3ErrorCode.BAD_DIGEST, "The " + algorithm.name().toLowerCase(Locale.ROOT)
                    + " you specified for the whole object did not match what was calculated.");
        }
    }

    private static String withoutPartCount(String checksum) {
        int dash = checksum.lastIndexOf('-');
        return dash < 0 ? checksum : checksum.substring(0, dash);
    }
}
