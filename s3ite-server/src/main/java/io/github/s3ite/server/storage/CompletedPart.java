package io.github.s3ite.server.storage;

/**
 * A part named in CompleteMultipartUpload.
 *
 * @param etag     as the client sent it, quotes removed
 * @param checksum the base64 checksum the client sent for this part, or null
 */
public record CompletedPart(int partNumber, String etag, String checksum) {
}
