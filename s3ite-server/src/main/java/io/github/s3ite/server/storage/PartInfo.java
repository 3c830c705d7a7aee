package io.github.s3ite.server.storage;

import java.time.Instant;

/**
 * An uploaded part.
 *
 * @param etag     the part's MD5 hex, without quotes
 * @param checksum the part's flexible checksum, or null
 */
public record PartInfo(int partNumber, String etag, long size, Instant lastModified, StoredChecksum checksum) {
}
