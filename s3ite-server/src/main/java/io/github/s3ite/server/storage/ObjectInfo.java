package io.github.s3ite.server.storage;

import java.time.Instant;
import java.util.Map;

/**
 * What is known of a stored object version without its content.
 *
 * @param etag          the ETag without quotes: the MD5 hex, or {@code <md5 of part md5s>-N} for a multipart object
 * @param md5           lower-case hex MD5 of the whole value, or null (a directory marker written by the original)
 * @param userMetadata  user metadata, names lower-case without the {@code x-amz-meta-} prefix; never null
 * @param headers       system headers; never null
 * @param checksum      the flexible checksum, or null
 * @param partsCount    number of parts of a multipart object, or 0
 * @param tags          the object's tag set; never null
 * @param versionId     the version id, {@code null} (the text) for S3's null version
 * @param deleteMarker  whether this version is a delete marker (then it has no content)
 * @param encryption    how the version is encrypted; null when it is plain SSE-S3 (or a delete marker)
 */
public record ObjectInfo(
        String key,
        long size,
        String etag,
        String md5,
        Instant lastModified,
        Map<String, String> userMetadata,
        ObjectHeaders headers,
        StoredChecksum checksum,
        int partsCount,
        Map<String, String> tags,
        String versionId,
        boolean deleteMarker,
        ObjectEncryption encryption) {

    public ObjectInfo(String key, long size, String etag, String md5, Instant lastModified,
                      Map<String, String> userMetadata, ObjectHeaders headers, StoredChecksum checksum, int partsCount,
                      Map<String, String> tags, String versionId, boolean deleteMarker) {
        this(key, size, etag, md5, lastModified, userMetadata, headers, checksum, partsCount, tags, versionId,
                deleteMarker, null);
    }

    /** This version, encrypted as {@code encryption} says. */
    public ObjectInfo withEncryption(ObjectEncryption encryption) {
        return new ObjectInfo(key, size, etag, md5, lastModified, userMetadata, headers, checksum, partsCount, tags,
                versionId, deleteMarker, encryption);
    }

    static ObjectInfo deleteMarker(String key, String versionId, Instant lastModified) {
        return new ObjectInfo(key, 0, "", null, lastModified, Map.of(), ObjectHeaders.NONE, null, 0, Map.of(),
                versionId, true);
    }
}
