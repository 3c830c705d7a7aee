package io.github.s3ite.server.storage;

/**
 * An object read in one consistent snapshot: its description and the requested bytes.
 *
 * @param slice the bytes asked for, resolved against the object's size (empty when none were wanted)
 * @param bytes the bytes of {@code slice}
 */
public record ObjectContent(ObjectInfo info, ByteSlice slice, byte[] bytes) implements ReadResult {
}
