package io.github.s3ite.server.auth;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Decodes an aws-chunked body as it streams: {@code hex-size[;chunk-signature=sig]\r\n data \r\n}
 * ... a final zero-size chunk, then optional trailing headers and an empty line, then the end of
 * the body. With a signing context every chunk signature, and the trailer signature, is checked
 * when its chunk ends, before the reader sees the end of the stream. Holds no more than a line of
 * framing, and the bounded trailer section, in memory; reads nothing but {@code raw}.
 *
 * <p>Refused as they arrive: a chunk size that is not 1 to 16 hex digits (no sign, no blanks),
 * chunks longer than x-amz-decoded-content-length, a chunk not ending in CRLF, any byte after the
 * trailer section (InvalidRequest), and a trailer section that is malformed or larger than
 * {@value #MAX_TRAILER_BYTES} bytes or {@value #MAX_TRAILER_LINES} lines (MalformedTrailerError).
 */
final class AwsChunkedInputStream extends InputStream {
    private static final int MAX_LINE = 4096;
    /** 16 hex digits are 64 bits: a longer size is no chunk any client sends. */
    private static final Pattern CHUNK_SIZE = Pattern.compile("[0-9a-fA-F]{1,16}");
    /**
     * The trailer section's bounds, its CRLFs included. Clients send one checksum trailer and, when
     * signed, x-amz-trailer-signature: two lines of under 200 bytes. The bounds leave room for
     * several times that and keep a client from making the server hold an unbounded trailer.
     */
    static final int MAX_TRAILER_BYTES = 8 * 1024;
    static final int MAX_TRAILER_LINES = 16;

    private final InputStream raw;
    private final SigningContext signing;
    private final long expectedLength;
    private final Map<String, String> trailers = new LinkedHashMap<>();
    private final MessageDigest chunkDigest;

    private String previousSignature;
    private String chunkSignature;
    private long remainingInChunk;
    private long decoded;
    private boolean finished;

    /**
     * @param signing        null when chunk signatures are not checked (unsigned-trailer bodies, anonymous servers)
     * @param expectedLength x-amz-decoded-content-length, or -1 when not given
     */
    AwsChunkedInputStream(InputStream raw, SigningContext signing, long expectedLength) {
        this.raw = raw;
        this.signing = signing;
        this.expectedLength = expectedLength;
        this.previousSignature = signing == null ? null : signing.seedSignature();
        this.chunkDigest = signing == null ? null : Hashing.sha256();
    }

    Map<String, String> trailers() {
        return trailers;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (remainingInChunk == 0) {
            if (finished) {
                return -1;
            }
            startChunk();
        }
        int n = raw.read(buffer, offset, (int) Math.min(length, remainingInChunk));
        if (n < 0) {
            throw incomplete();
        }
        if (chunkDigest != null) {
            chunkDigest.update(buffer, offset, n);
        }
        remainingInChunk -= n;
        decoded += n;
        if (remainingInChunk == 0) {
            endChunk();
        }
        return n;
    }

    private void startChunk() throws IOException {
        String header = readLine();
        if (header == null) {
            throw incomplete();
        }
        int semicolon = header.indexOf(';');
        String sizeText = semicolon < 0 ? header : header.substring(0, semicolon);
        long size;
        try {
            size = CHUNK_SIZE.matcher(sizeText).matches() ? Long.parseLong(sizeText, 16) : -1;
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (size < 0) {
            throw malformed("Bad chunk size.");
        }
        chunkSignature = null;
        if (semicolon >= 0) {
            String extension = header.substring(semicolon + 1).trim();
            if (extension.startsWith("chunk-signature=")) {
                chunkSignature = extension.substring("chunk-signature=".length()).trim();
            }
        }
        if (signing != null && chunkSignature == null) {
            throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, "A chunk has no chunk-signature.");
        }
        if (size == 0) {
            verifyChunk();
            readTrailers();
            if (raw.read() >= 0) {
                throw malformed("There are bytes after the final chunk and its trailers.");
            }
            finished = true;
            if (expectedLength >= 0 && decoded != expectedLength) {
                throw incomplete();
            }
            return;
        }
        remainingInChunk = size;
        if (expectedLength >= 0 && decoded + size > expectedLength) {
            throw malformed("The chunks are longer than x-amz-decoded-content-length.");
        }
    }

    private void endChunk() throws IOException {
        String rest = readLine();
        if (rest == null || !rest.isEmpty()) {
            throw malformed("A chunk does not end with CRLF.");
        }
        verifyChunk();
    }

    private void verifyChunk() {
        if (signing == null) {
            return;
        }
        String expected = signing.chunkSignature(previousSignature, Hashing.hex(chunkDigest.digest()));
        if (!Hashing.sameSignature(expected, chunkSignature)) {
            throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        }
        previousSignature = expected;
    }

    private void readTrailers() throws IOException {
        StringBuilder signedText = new StringBuilder();
        String trailerSignature = null;
        int bytesLeft = MAX_TRAILER_BYTES;
        int lines = 0;
        String line;
        while ((line = readLine(bytesLeft - 2, true)) != null && !line.isEmpty()) {
            bytesLeft -= line.getBytes(StandardCharsets.UTF_8).length + 2;
            if (++lines > MAX_TRAILER_LINES) {
                throw new S3Exception(S3ErrorCode.MALFORMED_TRAILER_ERROR);
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new S3Exception(S3ErrorCode.MALFORMED_TRAILER_ERROR);
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("x-amz-trailer-signature")) {
                trailerSignature = value;
            } else {
                trailers.put(name, value);
                signedText.append(name).append(':').append(value).append('\n');
            }
        }
        if (signing != null && (!trailers.isEmpty() || trailerSignature != null)) {
            if (trailerSignature == null) {
                throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, "The trailer has no x-amz-trailer-signature.");
            }
            String expected = signing.trailerSignature(previousSignature, Hashing.sha256Hex(signedText.toString()));
            if (!Hashing.sameSignature(expected, trailerSignature)) {
                throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
            }
        }
    }

    private String readLine() throws IOException {
        return readLine(MAX_LINE, false);
    }

    /**
     * A CRLF-terminated line without its CRLF; null at the end of the stream before any byte.
     * Longer than {@code limit} bytes is malformed framing, or a malformed trailer.
     */
    private String readLine(int limit, boolean trailer) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int previous = -1;
        while (true) {
            int c = raw.read();
            if (c < 0) {
                if (line.size() == 0 && previous < 0) {
                    return null;
                }
                throw incomplete();
            }
            if (c == '\n' && previous == '\r') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(c);
            previous = c;
            // the CR is still in the buffer: one byte over the limit is allowed for it
            if (line.size() > limit + 1) {
                throw trailer ? new S3Exception(S3ErrorCode.MALFORMED_TRAILER_ERROR) : malformed("A chunk header line is too long.");
            }
        }
    }

    private static S3Exception incomplete() {
        return new S3Exception(S3ErrorCode.INCOMPLETE_BODY);
    }

    private static S3Exception malformed(String message) {
        return new S3Exception(S3ErrorCode.INVALID_REQUEST, "Malformed aws-chunked body: " + message);
    }
}
