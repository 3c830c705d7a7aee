package io.github.s3ite.server.operations;

import io.github.s3ite.server.storage.StoredChecksum;

/**
 * A request body read whole and verified.
 *
 * @param md5      the raw MD5 of the bytes
 * @param checksum the verified flexible checksum the client sent (or the default one computed), or null
 */
record Payload(byte[] bytes, byte[] md5, StoredChecksum checksum) {
}
