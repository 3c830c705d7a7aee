package io.github.s3ite.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The bounds of unsigned aws-chunked framing: chunk sizes, the trailer section, the end of the body. */
class AwsChunkedInputStreamTest {

    private static InputStream decoding(String body) {
        return new AwsChunkedInputStream(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), null, -1);
    }

    private static S3ErrorCode errorDecoding(String body) {
        return assertThrows(S3Exception.class, () -> decoding(body).readAllBytes()).error();
    }

    /** A trailer section of exactly {@code bytes} bytes, CRLFs and the closing empty line included. */
    private static String trailerSectionOf(int bytes) {
        String prefix = "x-amz-meta-pad:";
        return prefix + "v".repeat(bytes - prefix.length() - 4) + "\r\n\r\n";
    }

    @Test
    void sixteenHexDigitsAreAChunkSizeAndSeventeenAreNot() throws IOException {
        assertEquals("hello world", new String(decoding("000000000000000b\r\nhello world\r\n0\r\n\r\n").readAllBytes(),
                StandardCharsets.UTF_8));
        assertEquals(S3ErrorCode.INVALID_REQUEST, errorDecoding("0000000000000000b\r\nhello world\r\n0\r\n\r\n"));
        assertEquals(S3ErrorCode.INVALID_REQUEST, errorDecoding("8000000000000000\r\nhello world\r\n0\r\n\r\n"));
    }

    @Test
    void aTrailerSectionOfExactlyEightKibibytesIsAcceptedAndOneByteMoreIsNot() throws IOException {
        decoding("0\r\n" + trailerSectionOf(AwsChunkedInputStream.MAX_TRAILER_BYTES)).readAllBytes();
        assertEquals(S3ErrorCode.MALFORMED_TRAILER_ERROR,
                errorDecoding("0\r\n" + trailerSectionOf(AwsChunkedInputStream.MAX_TRAILER_BYTES + 1)));
    }

    @Test
    void aTrailerWithoutItsClosingEmptyLineBeforeTheEndIsAccepted() throws IOException {
        assertEquals(0, decoding("0\r\n").readAllBytes().length);
    }

    @Test
    void anEndlessTrailerLineIsRefusedAfterEightKibibytes() {
        InputStream endless = new InputStream() {
            private final byte[] start = "0\r\nx-amz-meta-a:".getBytes(StandardCharsets.US_ASCII);
            private long position;

            @Override
            public int read() {
                return position < start.length ? start[(int) position++] : 'v';
            }
        };
        AwsChunkedInputStream decoded = new AwsChunkedInputStream(endless, null, -1);
        assertEquals(S3ErrorCode.MALFORMED_TRAILER_ERROR, assertThrows(S3Exception.class, decoded::readAllBytes).error());
    }

    @Test
    void theEndOfTheBodyIsReadOnceTheTrailersAreDone() {
        assertEquals(S3ErrorCode.INVALID_REQUEST, errorDecoding("0\r\n\r\n\r\n"));
    }
}
