package io.github.s3ite.server.auth;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A browser form upload whose POST policy was verified: who signed it, and the sizes its file may
 * have, which can only be checked as the file streams.
 */
public final class PostAuthentication {
    private final String accessKey;
    private final long minLength;
    private final long maxLength;

    PostAuthentication(String accessKey, long minLength, long maxLength) {
        this.accessKey = accessKey;
        this.minLength = minLength;
        this.maxLength = maxLength;
    }

    /** The access key that signed the policy, or null for an anonymous upload. */
    public String accessKey() {
        return accessKey;
    }

    /**
     * The file as a handler must read it: its length checked against the policy's
     * {@code content-length-range} as it streams. Past the maximum, the rest is counted (never
     * kept) and {@code read} fails with EntityTooLarge; at the end of a file below the minimum,
     * with EntityTooSmall. Either way nothing has been stored.
     */
    public InputStream checkedFile(InputStream file) {
        if (minLength == 0 && maxLength == Long.MAX_VALUE) {
            return file;
        }
        return new InputStream() {
            private long count;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = file.read(buffer, offset, length);
                if (n > 0) {
                    count += n;
                    if (count > maxLength) {
                        throw tooLarge(count + drain());
                    }
                } else if (n < 0 && count < minLength) {
                    throw new S3Exception(S3ErrorCode.ENTITY_TOO_SMALL,
                            "Your proposed upload is smaller than the minimum allowed size")
                            .with("ProposedSize", Long.toString(count))
                            .with("MinSizeAllowed", Long.toString(minLength));
                }
                return n;
            }

            /** Reads the rest of a file that is too large, only to say how large it was. */
            private long drain() {
                byte[] skipped = new byte[64 * 1024];
                long rest = 0;
                try {
                    int n;
                    while ((n = file.read(skipped, 0, skipped.length)) >= 0) {
                        rest += n;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return rest;
            }

            private S3Exception tooLarge(long size) {
                return new S3Exception(S3ErrorCode.ENTITY_TOO_LARGE, "Your proposed upload exceeds the maximum allowed size")
                        .with("ProposedSize", Long.toString(size))
                        .with("MaxSizeAllowed", Long.toString(maxLength));
            }
        };
    }
}
