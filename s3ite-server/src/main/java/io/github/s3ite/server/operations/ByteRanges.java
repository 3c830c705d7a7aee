package io.github.s3ite.server.operations;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.storage.ByteSlice;

/** The single byte ranges S3 serves: {@code bytes=a-b}, {@code bytes=a-} and {@code bytes=-n}. */
final class ByteRanges {
    private ByteRanges() {
    }

    /**
     * @return the slice the Range header asks for, or null when there is no usable Range header
     *         (S3 ignores a header it cannot parse, and several ranges, and serves the whole object)
     * @throws S3Exception InvalidRange (416) when the range starts beyond the object
     */
    static ByteSlice parse(String header, long size) {
        if (header == null) {
            return null;
        }
        String value = header.trim();
        if (!value.startsWith("bytes=") || value.indexOf(',') >= 0) {
            return null;
        }
        String spec = value.substring("bytes=".length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String first = spec.substring(0, dash).trim();
        String last = spec.substring(dash + 1).trim();
        try {
            if (first.isEmpty()) {
                if (last.isEmpty()) {
                    return null;
                }
                long suffix = Long.parseLong(last);
                if (suffix <= 0 || size == 0) {
                    throw unsatisfiable(size);
                }
                long length = Math.min(suffix, size);
                return new ByteSlice(size - length, length);
            }
            long start = Long.parseLong(first);
            long end = last.isEmpty() ? Long.MAX_VALUE : Long.parseLong(last);
            if (start < 0 || end < start) {
                return null;
            }
            if (start >= size) {
                throw unsatisfiable(size);
            }
            end = Math.min(end, size - 1);
            return new ByteSlice(start, end - start + 1);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The slice a range-taking copy ({@code x-amz-copy-source-range}) names; it must lie within the source. */
    static ByteSlice parseCopyRange(String header, long size) {
        if (header == null) {
            return null;
        }
        String value = header.trim();
        int dash = value.indexOf('-');
        if (!value.startsWith("bytes=") || dash < 0) {
            throw invalidCopyRange();
        }
        try {
            long start = Long.parseLong(value.substring(6, dash).trim());
            long end = Long.parseLong(value.substring(dash + 1).trim());
            if (start < 0 || end < start) {
                throw invalidCopyRange();
            }
            if (end >= size) {
                throw new S3Exception(S3ErrorCode.INVALID_RANGE, "The requested range is not satisfiable")
                        .with("RangeRequested", value).with("ActualObjectSize", Long.toString(size));
            }
            return new ByteSlice(start, end - start + 1);
        } catch (NumberFormatException e) {
            throw invalidCopyRange();
        }
    }

    private static S3Exception invalidCopyRange() {
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy");
    }

    private static S3Exception unsatisfiable(long size) {
        return new S3Exception(S3ErrorCode.INVALID_RANGE).with("ActualObjectSize", Long.toString(size));
    }
}
