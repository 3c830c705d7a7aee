package io.github.s3ite.server.storage;

/**
 * What a read found: the object's content (or, for a {@link ByteRange.Part}, the part's),
 * "not modified", or a delete marker. A key or version
 * that does not exist is an S3Exception (NoSuchKey, NoSuchVersion), a failed condition too
 * (PreconditionFailed), and so is a range that does not fit (InvalidRange) or a part the
 * version does not have (InvalidPartNumber).
 */
public sealed interface ReadResult permits ObjectContent, ObjectPartContent, ReadResult.NotModified, ReadResult.DeleteMarker {
    ObjectInfo info();

    /** The conditions said 304. */
    record NotModified(ObjectInfo info) implements ReadResult {
    }

    /**
     * The version asked for is a delete marker: the current version when {@code byVersionId} is
     * false (S3 answers 404), the one named by a version id otherwise (S3 answers 405).
     */
    record DeleteMarker(ObjectInfo info, boolean byVersionId) implements ReadResult {
    }
}
