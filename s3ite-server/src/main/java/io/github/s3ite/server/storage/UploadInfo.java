package io.github.s3ite.server.storage;

import io.github.s3ite.server.checksum.ChecksumType;
import java.time.Instant;
import java.util.Map;

/**
 * An unfinished multipart upload.
 *
 * @param uploadId     the upload id as clients see it: the UUID in its canonical hyphenated form
 * @param accessKey    the access key that started it, or null
 * @param userMetadata and the other fields: what CreateMultipartUpload asked the final object to carry
 * @param checksumAlgorithm the algorithm named at creation ({@code CRC32} ...), or null
 * @param checksumType or null when no algorithm was named
 */
public record UploadInfo(
        String uploadId,
        String key,
        Instant initiated,
        String accessKey,
        Map<String, String> userMetadata,
        ObjectHeaders headers,
        Map<String, String> tags,
        String checksumAlgorithm,
        ChecksumType checksumType) {
}
