package io.github.s3ite.server.storage;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;

/**
 * Which bytes a read wants, said before the object's size is known; storage resolves it against
 * the size of the version it finds, in the same snapshot as it reads them.
 */
public sealed interface ByteRange {
    /** The whole object. */
    ByteRange WHOLE = new Whole();

    /**
     * @throws S3Exception InvalidRange (416) when the range does not fit the object
     */
    ByteSlice resolve(long size);

    /** The whole object. */
    record Whole() implements ByteRange {
        @Override
        public ByteSlice resolve(long size) {
            return ByteSlice.whole(size);
        }
    }

    /** GetObject's {@code bytes=first-last} ({@code last} may be past the end, or Long.MAX_VALUE for {@code bytes=first-}). */
    record FromTo(long first, long last) implements ByteRange {
        @Override
        public ByteSlice resolve(long size) {
            if (first >= size) {
                throw unsatisfiable(size);
            }
            long end = Math.min(last, size - 1);
            return new ByteSlice(first, end - first + 1);
        }
    }

    /** GetObject's {@code bytes=-length}: the last bytes of the object. */
    record Suffix(long length) implements ByteRange {
        @Override
        public ByteSlice resolve(long size) {
            if (length <= 0 || size == 0) {
                throw unsatisfiable(size);
            }
            long taken = Math.min(length, size);
            return new ByteSlice(size - taken, taken);
        }
    }

    /** UploadPartCopy's {@code x-amz-copy-source-range}: must lie wholly within the source. */
    record Within(long first, long last, String requested) implements ByteRange {
        @Override
        public ByteSlice resolve(long size) {
            if (last >= size) {
                throw new S3Exception(S3ErrorCode.INVALID_RANGE, "The requested range is not satisfiable")
                        .with("RangeRequested", requested).with("ActualObjectSize", Long.toString(size));
            }
            return new ByteSlice(first, last - first + 1);
        }
    }

    /**
     * GetObject's {@code partNumber}: the bytes of that part. Storage resolves it against the part
     * boundaries of the current object when it was completed from parts; any other version (a
     * single PUT, a copy, a non-current version, an object written by the original) is one part,
     * which is what {@link #resolve} says.
     */
    record Part(int number) implements ByteRange {
        /** @throws S3Exception InvalidPartNumber (416) for any part but 1 */
        @Override
        public ByteSlice resolve(long size) {
            if (number != 1) {
                throw new S3Exception(S3ErrorCode.INVALID_PART_NUMBER);
            }
            return ByteSlice.whole(size);
        }
    }

    private static S3Exception unsatisfiable(long size) {
        return new S3Exception(S3ErrorCode.INVALID_RANGE).with("ActualObjectSize", Long.toString(size));
    }
}
