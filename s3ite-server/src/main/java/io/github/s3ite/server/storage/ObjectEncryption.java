package io.github.s3ite.server.storage;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.util.List;

/**
 * How a version is encrypted, as S3 reports it. Server-side encryption with S3 or KMS keys is
 * recorded and reported only (the bytes are stored as sent); with a customer key (SSE-C) the value
 * is stored AES-256-CTR encrypted with that key, from the initial counters of {@code segments},
 * and only the key's MD5 is kept.
 *
 * @param serverSideEncryption {@code AES256}, {@code aws:kms} or {@code aws:kms:dsse}; null for SSE-C
 * @param kmsKeyId             the KMS key named by the request or the bucket default, or null
 * @param bucketKeyEnabled     whether an S3 Bucket Key was asked for (SSE-KMS only)
 * @param kmsContext           the encryption context as sent (base64 JSON), or null
 * @param customerAlgorithm    {@code AES256} for SSE-C, else null
 * @param customerKeyMd5       the base64 MD5 of the customer key (SSE-C), else null
 * @param segments             SSE-C: where each run of ciphertext starts and its initial counter,
 *                             by offset, the first at 0: one for an object written whole, one per
 *                             part for an object completed from parts (each part was encrypted
 *                             when it was uploaded); none for an upload, or without SSE-C
 */
public record ObjectEncryption(
        String serverSideEncryption,
        String kmsKeyId,
        boolean bucketKeyEnabled,
        String kmsContext,
        String customerAlgorithm,
        String customerKeyMd5,
        List<Segment> segments) {

    /** What S3 applies to every object since January 2023 when nothing else is asked for. */
    public static final ObjectEncryption SSE_S3 = new ObjectEncryption("AES256", null, false, null, null, null, List.of());

    public ObjectEncryption {
        segments = List.copyOf(segments);
    }

    /**
     * Bytes of the value from {@code offset} (up to the next segment's) encrypted AES-256-CTR from
     * the 16-byte initial counter {@code iv}.
     */
    public record Segment(long offset, byte[] iv) {
        public Segment {
            iv = iv.clone();
        }

        @Override
        public byte[] iv() {
            return iv.clone();
        }
    }

    public static ObjectEncryption serverSide(String algorithm, String kmsKeyId, boolean bucketKeyEnabled, String context) {
        return new ObjectEncryption(algorithm, kmsKeyId, bucketKeyEnabled, context, null, null, List.of());
    }

    /** SSE-C under the key of that MD5, the value encrypted in {@code segments} (none yet for an upload). */
    public static ObjectEncryption customer(String keyMd5, List<Segment> segments) {
        return new ObjectEncryption(null, null, false, null, "AES256", keyMd5, segments);
    }

    /** SSE-C under the key of that MD5, the whole value encrypted from {@code iv}. */
    public static ObjectEncryption customer(String keyMd5, byte[] iv) {
        return customer(keyMd5, List.of(new Segment(0, iv)));
    }

    /** Whether the stored value is ciphertext under a customer key. */
    public boolean isCustomerKey() {
        return customerKeyMd5 != null;
    }

    /**
     * Checks the customer key a request of an upload (UploadPart, UploadPartCopy, and a
     * CompleteMultipartUpload that carries one) brings against the upload's encryption: an SSE-C
     * upload needs its own key, any other upload none.
     *
     * @param upload      how the upload's object is to be encrypted; null for plain SSE-S3
     * @param givenKeyMd5 the base64 MD5 of the key the request brings, or null
     * @throws S3Exception InvalidRequest for a missing, unneeded or different key
     */
    public static void checkUploadKey(ObjectEncryption upload, String givenKeyMd5) {
        boolean encrypted = upload != null && upload.isCustomerKey();
        if (encrypted != (givenKeyMd5 != null)) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The multipart upload initiate requested encryption."
                    + " Subsequent part requests must include the appropriate encryption parameters.");
        }
        if (encrypted && !givenKeyMd5.equals(upload.customerKeyMd5())) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "The provided encryption parameters did not match the ones used originally.");
        }
    }

    /** Whether this is plain SSE-S3, which needs no row: a version without one is reported so. */
    boolean isDefault() {
        return "AES256".equals(serverSideEncryption) && kmsKeyId == null && !bucketKeyEnabled && kmsContext == null
                && customerKeyMd5 == null;
    }
}
