package io.github.s3ite.server.storage;

import io.github.s3ite.server.checksum.ChecksumType;
/**
 * A flexible checksum kept with an object or a part.
 *
 * @param algorithm {@code CRC32}, {@code CRC32C}, {@code CRC64NVME}, {@code SHA1} or {@code SHA256}
 * @param value     base64 of the checksum bytes; for a composite multipart checksum, followed by {@code -N}
 * @param type      what it covers
 */
public record StoredChecksum(String algorithm, String value, ChecksumType type) {
}
