package io.github.s3ite.server.storage;

/** Which bytes of an object to read: {@code length} bytes from {@code offset}. */
public record ByteSlice(long offset, long length) {

    /** The whole of an object of the given size. */
    public static ByteSlice whole(long size) {
        return new ByteSlice(0, size);
    }

    /** Nothing: only the object's description is wanted (HEAD, 304, 412). */
    public static final ByteSlice NONE = new ByteSlice(0, 0);
}
