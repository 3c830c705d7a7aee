package io.github.s3ite.server.auth;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/** A signed payload: the body must hash to the x-amz-content-sha256 it was signed with, checked at its end. */
final class Sha256CheckingInputStream extends FilterInputStream {
    private final MessageDigest digest = Hashing.sha256();
    private final String expectedHex;
    private boolean checked;

    Sha256CheckingInputStream(InputStream in, String expectedHex) {
        super(in);
        this.expectedHex = expectedHex;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            digest.update(buffer, offset, n);
        } else if (n < 0 && !checked) {
            checked = true;
            String actual = Hashing.hex(digest.digest());
            if (!Hashing.sameSignature(actual, expectedHex)) {
                throw new S3Exception(S3ErrorCode.XAMZ_CONTENT_SHA256_MISMATCH)
                        .with("ClientComputedContentSHA256", expectedHex)
                        .with("S3ComputedContentSHA256", actual);
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }
}
