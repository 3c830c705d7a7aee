package io.github.s3ite.server.storage;

import java.util.Map;

/**
 * An object about to be written: its content and everything kept beside it. The size is taken, and
 * the MD5 computed (unless given), by storage from {@code value}.
 *
 * @param value        the content, never null (an empty object is a zero-length array)
 * @param userMetadata names lower-case without the {@code x-amz-meta-} prefix
 * @param checksum     the verified flexible checksum, or null
 * @param tags         the tag set, never null
 * @param encryption   how it is encrypted (for SSE-C, {@code value} is already the ciphertext), or
 *                     null for plain SSE-S3
 * @param acl          its ACL, the {@code AccessControlPolicy} document GetObjectAcl answers, or null
 *                     for the bucket owner's private one
 * @param valueMd5     the MD5 of {@code value} when the caller computed it already (as it read the
 *                     body), or null for storage to compute it
 */
public record NewObject(
        String key,
        byte[] value,
        Map<String, String> userMetadata,
        ObjectHeaders headers,
        StoredChecksum checksum,
        Map<String, String> tags,
        ObjectEncryption encryption,
        String acl,
        byte[] valueMd5) {

    public NewObject(String key, byte[] value, Map<String, String> userMetadata, ObjectHeaders headers,
                     StoredChecksum checksum, Map<String, String> tags) {
        this(key, value, userMetadata, headers, checksum, tags, null, null, null);
    }

    public NewObject(String key, byte[] value, Map<String, String> userMetadata, ObjectHeaders headers,
                     StoredChecksum checksum, Map<String, String> tags, ObjectEncryption encryption) {
        this(key, value, userMetadata, headers, checksum, tags, encryption, null, null);
    }

    /** This object with the ACL {@code document}. */
    public NewObject withAcl(String document) {
        return new NewObject(key, value, userMetadata, headers, checksum, tags, encryption, document, valueMd5);
    }

    /** This object with the MD5 of its value, computed as it was read, so that storage need not compute it again. */
    public NewObject withValueMd5(byte[] md5) {
        return new NewObject(key, value, userMetadata, headers, checksum, tags, encryption, acl, md5);
    }
}
