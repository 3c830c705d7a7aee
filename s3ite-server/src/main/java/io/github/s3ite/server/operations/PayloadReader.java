package io.github.s3ite.server.operations;

import io.github.s3ite.server.checksum.ChecksumType;
import io.github.s3ite.server.checksum.ChecksumAlgorithm;
import io.github.s3ite.server.checksum.ChecksumDigest;
import io.github.s3ite.server.checksum.Checksums;
import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.http.S3Request;
import io.github.s3ite.server.storage.StoredChecksum;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/**
 * Reads an object or part body whole, computing its MD5 and flexible checksum as it streams, then
 * checks them against Content-MD5 and the {@code x-amz-checksum-*} header or trailer.
 */
final class PayloadReader {
    private static final int BUFFER = 64 * 1024;

    private PayloadReader() {
    }

    /**
     * @param defaultAlgorithm the algorithm to compute when the client names none (S3 computes
     *                         CRC64NVME for new objects), or null to compute none
     */
    static Payload read(S3Request request, ChecksumAlgorithm defaultAlgorithm) {
        ChecksumAlgorithm named = namedAlgorithm(request);
        ChecksumAlgorithm algorithm = named != null ? named : defaultAlgorithm;
        byte[] expectedMd5 = contentMd5(request);
        byte[] bytes;
        MessageDigest md5 = md5();
        ChecksumDigest digest = algorithm == null ? null : algorithm.newDigest();
        try {
            bytes = readAll(request, md5, digest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] actualMd5 = md5.digest();
        if (expectedMd5 != null && !Arrays.equals(expectedMd5, actualMd5)) {
            throw new S3Exception(S3ErrorCode.BAD_DIGEST)
                    .with("ExpectedDigest", Base64.getEncoder().encodeToString(expectedMd5))
                    .with("CalculatedDigest", Base64.getEncoder().encodeToString(actualMd5));
        }
        StoredChecksum checksum = null;
        if (algorithm != null) {
            byte[] actual = digest.digest();
            String sent = sentChecksum(request, algorithm);
            if (sent != null) {
                byte[] expected = Checksums.fromBase64(sent, algorithm);
                if (!Arrays.equals(expected, actual)) {
                    throw new S3Exception(S3ErrorCode.BAD_DIGEST, "The " + algorithm.name()
                            + " you specified did not match the calculated checksum.");
                }
            } else if (named != null && request.header("x-amz-trailer") != null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "The x-amz-trailer header names a checksum that the body did not carry.");
            }
            checksum = new StoredChecksum(algorithm.name(), Checksums.base64(actual), ChecksumType.FULL_OBJECT);
        }
        return new Payload(bytes, actualMd5, checksum);
    }

    /** The algorithm a client names by header, trailer announcement or x-amz-sdk-checksum-algorithm. */
    static ChecksumAlgorithm namedAlgorithm(S3Request request) {
        ChecksumAlgorithm found = null;
        for (ChecksumAlgorithm candidate : ChecksumAlgorithm.values()) {
            if (request.header(candidate.headerName()) != null) {
                if (found != null) {
                    throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                            "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
                }
                found = candidate;
            }
        }
        if (found != null) {
            return found;
        }
        String trailer = request.header("x-amz-trailer");
        if (trailer != null) {
            ChecksumAlgorithm fromTrailer = ChecksumAlgorithm.fromHeaderName(trailer.trim().toLowerCase(Locale.ROOT));
            if (fromTrailer == null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The value specified in the x-amz-trailer header is not supported");
            }
            return fromTrailer;
        }
        String sdk = request.header("x-amz-sdk-checksum-algorithm");
        if (sdk != null) {
            ChecksumAlgorithm fromSdk = ChecksumAlgorithm.fromName(sdk);
            if (fromSdk == null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Checksum algorithm provided is unsupported.");
            }
            return fromSdk;
        }
        return null;
    }

    private static String sentChecksum(S3Request request, ChecksumAlgorithm algorithm) {
        String header = request.header(algorithm.headerName());
        if (header != null) {
            return header;
        }
        return request.trailers().get(algorithm.headerName());
    }

    private static byte[] contentMd5(S3Request request) {
        String value = request.header("content-md5");
        if (value == null) {
            return null;
        }
        try {
            byte[] md5 = Base64.getDecoder().decode(value.trim());
            if (md5.length != 16) {
                throw new IllegalArgumentException("not 16 bytes");
            }
            return md5;
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3ErrorCode.INVALID_DIGEST);
        }
    }

    /**
     * The whole body has been received when this runs, so the buffer is sized by what arrived (an
     * upper bound of the decoded payload), never by a length the client merely declared.
     */
    private static byte[] readAll(S3Request request, MessageDigest md5, ChecksumDigest digest) throws IOException {
        long length = request.contentLength();
        if (length > S3Request.MAX_OBJECT_SIZE) {
            throw new S3Exception(S3ErrorCode.ENTITY_TOO_LARGE)
                    .with("ProposedSize", Long.toString(length))
                    .with("MaxSizeAllowed", Long.toString(S3Request.MAX_OBJECT_SIZE));
        }
        long available = Math.min(request.receivedLength(), S3Request.MAX_OBJECT_SIZE + 1);
        int capacity = (int) (length >= 0 ? Math.min(length, available) : available);
        request.memory().reserve(capacity);
        byte[] bytes = new byte[capacity];
        InputStream in = request.body();
        int filled = 0;
        while (filled < bytes.length) {
            int n = in.read(bytes, filled, Math.min(BUFFER, bytes.length - filled));
            if (n < 0) {
                break;
            }
            update(md5, digest, bytes, filled, n);
            filled += n;
        }
        if (length >= 0) {
            if (filled < length) {
                throw new S3Exception(S3ErrorCode.INCOMPLETE_BODY);
            }
            drainToEnd(in);
            return bytes;
        }
        drainToEnd(in);
        if (filled > S3Request.MAX_OBJECT_SIZE) {
            throw new S3Exception(S3ErrorCode.ENTITY_TOO_LARGE);
        }
        if (filled == bytes.length) {
            return bytes;
        }
        request.memory().reserve(filled);
        byte[] exact = Arrays.copyOf(bytes, filled);
        request.memory().release(capacity);
        return exact;
    }

    /**
     * Reads past the announced length: for aws-chunked bodies this is where the final chunk and
     * the trailers are verified; extra bytes beyond the length are an error.
     */
    private static void drainToEnd(InputStream in) throws IOException {
        if (in.read() >= 0) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The body is longer than its announced length.");
        }
    }

    private static void update(MessageDigest md5, ChecksumDigest digest, byte[] bytes, int off, int len) {
        md5.update(bytes, off, len);
        if (digest != null) {
            digest.update(bytes, off, len);
        }
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every JVM", e);
        }
    }
}
