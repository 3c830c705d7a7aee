package io.github.s3ite.server.operations;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.storage.ByteRange;

/** The single byte ranges S3 serves: {@code bytes=a-b}, {@code bytes=a-} and {@code bytes=-n}. */
final class ByteRanges {
    private ByteRanges() {
    }

    /**
     * @return the range the Range header asks for, or null when there is no usable Range header
     *         (S3 ignores a header it cannot parse, and several ranges, and serves the whole object);
     *         storage resolves it against the object's size (416 InvalidRange when it starts beyond it)
     */
    static ByteRange parse(String header) {
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
                return new ByteRange.Suffix(Long.parseLong(last));
            }
            long start = Long.parseLong(first);
            long end = last.isEmpty() ? Long.MAX_VALUE : Long.parseLong(last);
            if (start < 0 || end < start) {
                return null;
            }
            return new ByteRange.FromTo(start, end);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The slice a range-taking copy ({@code x-amz-copy-source-range}) names; it must lie within the source. */
    static ByteRange parseCopyRange(String header) {
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
            return new ByteRange.Within(start, end, value);
        } catch (NumberFormatException e) {
            throw invalidCopyRange();
        }
    }

    private static S3Exception invalidCopyRange() {
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy");
    }
}
