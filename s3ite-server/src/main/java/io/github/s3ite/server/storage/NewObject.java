package io.github.s3ite.server.storage;

import java.util.Map;

/**
 * An object about to be written: its content and everything kept beside it. The MD5 and size are
 * computed by storage from {@code value}.
 *
 * @param value        the content, never null (an empty object is a zero-length array)
 * @param userMetadata names lower-case without the {@code x-amz-meta-} prefix
 * @param checksum     the verified flexible checksum, or null
 * @param tags         the tag set, never null
 * @param encryption   how it is encrypted (for SSE-C, {@code value} is already the ciphertext), or
 *                     null for plain SSE-S3
 * @param acl          its ACL, the {@code AccessControlPolicy} document GetObjectAcl answers, or null
 *                     for the bucket owner's private one
 */
public record NewObject(
        String key,
        byte[] value,
        Map<String, String> userMetadata,
        ObjectHeaders headers,
        StoredChecksum checksum,
        Map<String, String> tags,
        ObjectEncryption encryption,
        String acl) {

    public NewObject(String key, byte[] value, Map<String, String> userMetadata, ObjectHeaders headers,
                     StoredChecksum checksum, Map<String, String> tags) {
        this(key, value, userMetadata, headers, checksum, tags, null, null);
    }

    public NewObject(String key, byte[] value, Map<String, String> userMetadata, ObjectHeaders headers,
                     StoredChecksum checksum, Map<String, String> tags, ObjectEncryption encryption) {
        this(key, value, userMetadata, headers, checksum, tags, encryption, null);
    }

    /** This object with the ACL {@code document}. */
    public NewObject withAcl(String document) {
        return new NewObject(key, value, userMetadata, headers, checksum, tags, encryption, document);
    }
}
