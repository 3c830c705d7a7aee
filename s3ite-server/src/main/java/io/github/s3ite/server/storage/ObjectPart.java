package io.github.s3ite.server.storage;

/**
 * One part of an object completed from a multipart upload: where its bytes lie in the object.
 *
 * @param partNumber the number the part was uploaded with
 * @param offset     the part's first byte in the object
 * @param etag       the part's MD5 hex, without quotes
 * @param checksum   the part's flexible checksum (the object's algorithm), or null
 */
public record ObjectPart(int partNumber, long offset, long size, String etag, StoredChecksum checksum) {

    /** The bytes of the object this part is. */
    public ByteSlice slice() {
        return new ByteSlice(offset, size);
    }
}
