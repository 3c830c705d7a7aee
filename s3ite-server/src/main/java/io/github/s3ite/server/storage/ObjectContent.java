package io.github.s3ite.server.storage;

/**
 * An object read in one consistent snapshot: its description and the requested bytes.
 *
 * @param offset the position of {@code bytes[0]} in the object
 */
public record ObjectContent(ObjectInfo info, long offset, byte[] bytes) {
}
