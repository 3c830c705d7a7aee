package io.github.s3ite.server.storage;

/**
 * How a version is encrypted, as S3 reports it. Server-side encryption with S3 or KMS keys is
 * recorded and reported only (the bytes are stored as sent); with a customer key (SSE-C) the value
 * is stored AES-256-CTR encrypted with that key and {@code iv}, and only the key's MD5 is kept.
 *
 * @param serverSideEncryption {@code AES256}, {@code aws:kms} or {@code aws:kms:dsse}; null for SSE-C
 * @param kmsKeyId             the KMS key named by the request or the bucket default, or null
 * @param bucketKeyEnabled     whether an S3 Bucket Key was asked for (SSE-KMS only)
 * @param kmsContext           the encryption context as sent (base64 JSON), or null
 * @param customerAlgorithm    {@code AES256} for SSE-C, else null
 * @param customerKeyMd5       the base64 MD5 of the customer key (SSE-C), else null
 * @param iv                   the 16-byte initial counter the value was encrypted with (SSE-C), else null
 */
public record ObjectEncryption(
        String serverSideEncryption,
        String kmsKeyId,
        boolean bucketKeyEnabled,
        String kmsContext,
        String customerAlgorithm,
        String customerKeyMd5,
        byte[] iv) {

    /** What S3 applies to every object since January 2023 when nothing else is asked for. */
    public static final ObjectEncryption SSE_S3 = new ObjectEncryption("AES256", null, false, null, null, null, null);

    public static ObjectEncryption serverSide(String algorithm, String kmsKeyId, boolean bucketKeyEnabled, String context) {
        return new ObjectEncryption(algorithm, kmsKeyId, bucketKeyEnabled, context, null, null, null);
    }

    public static ObjectEncryption customer(String keyMd5, byte[] iv) {
        return new ObjectEncryption(null, null, false, null, "AES256", keyMd5, iv.clone());
    }

    /** Whether the stored value is ciphertext under a customer key. */
    public boolean isCustomerKey() {
        return customerKeyMd5 != null;
    }

    /** Whether this is plain SSE-S3, which needs no row: a version without one is reported so. */
    boolean isDefault() {
        return "AES256".equals(serverSideEncryption) && kmsKeyId == null && !bucketKeyEnabled && kmsContext == null
                && customerKeyMd5 == null;
    }
}
