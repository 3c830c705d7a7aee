package io.github.s3ite.server.http;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * A verified request as an operation handler sees it: the route, decoded query parameters,
 * headers (lower-case names) and the decoded payload. Free of Undertow, so handlers stay plain.
 */
public final class S3Request {
    /** The largest object one request may carry: SQLite's default maximum length of a BLOB. */
    public static final long MAX_OBJECT_SIZE = io.github.s3ite.server.storage.BucketFile.MAX_OBJECT_SIZE;

    private final S3Route route;
    private final Map<String, String> query;
    private final Map<String, List<String>> headers;
    private final InputStream body;
    private final long contentLength;
    private final long receivedLength;
    private final String accessKey;
    private final boolean secureTransport;
    private final TrailerSource trailers;
    private final RequestMemory memory;
    private final AccessCheck access;
    private final PostForm form;

    /** Supplies trailing headers once the body has been read to its end. */
    public interface TrailerSource {
        Map<String, String> trailers();
    }

    /**
     * @param contentLength  the decoded payload length if known, else -1
     * @param receivedLength the bytes of the body as received (aws-chunked framing included): the
     *                       decoded payload is never longer
     * @param secureTransport whether the request came over TLS (the HTTPS listener)
     */
    public S3Request(S3Route route, Map<String, String> query, Map<String, List<String>> headers,
                     InputStream body, long contentLength, long receivedLength, String accessKey,
                     boolean secureTransport, TrailerSource trailers, RequestMemory memory, AccessCheck access,
                     PostForm form) {
        this.access = access;
        this.form = form;
        this.route = route;
        this.query = query;
        this.headers = headers;
        this.body = body;
        this.contentLength = contentLength;
        this.receivedLength = receivedLength;
        this.accessKey = accessKey;
        this.secureTransport = secureTransport;
        this.trailers = trailers;
        this.memory = memory;
    }

    public S3Operation operation() {
        return route.operation();
    }

    public String bucket() {
        return route.bucket();
    }

    public String key() {
        return route.key();
    }

    /** The decoded value of a query parameter, "" for a parameter without value, null if absent. */
    public String query(String name) {
        return query.get(name);
    }

    public boolean hasQuery(String name) {
        return query.containsKey(name);
    }

    /** The first value of a header, or null. */
    public String header(String lowerCaseName) {
        List<String> values = headers.get(lowerCaseName);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The access key that signed the request, or null for an anonymous request. */
    public String accessKey() {
        return accessKey;
    }

    /**
     * The request as authorization judged it, for decisions a handler makes per item (each key of
     * a DeleteObjects).
     */
    public AccessCheck accessCheck() {
        return access;
    }

    /**
     * Whether the request came over TLS: what a policy's {@code aws:SecureTransport} condition tests,
     * and what S3 requires of SSE-C requests (s3ite does not).
     */
    public boolean secureTransport() {
        return secureTransport;
    }

    /** Decoded payload length if known, else -1. */
    public long contentLength() {
        return contentLength;
    }

    public InputStream body() {
        return body;
    }

    /** The bytes of the body as received, framing included: an upper bound of the decoded payload. */
    public long receivedLength() {
        return receivedLength;
    }

    /**
     * This request's share of the server's memory budget: reserve there before allocating a buffer
     * for object bytes. What a request reserves is given back when its answer has been sent.
     */
    public RequestMemory memory() {
        return memory;
    }

    /** The form of a POST Object request, its file already read or being read; null for other requests. */
    public PostForm form() {
        return form;
    }

    /** The trailing headers of an aws-chunked body; only meaningful once the body is read. */
    public Map<String, String> trailers() {
        return trailers.trailers();
    }

    /**
     * Reads a small body (an XML document) whole.
     *
     * @throws S3Exception MalformedXML-sized refusal when it exceeds {@code limit}
     */
    public byte[] readSmallBody(int limit) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(limit, Math.max(receivedLength, 0)) + 1);
            byte[] buffer = new byte[8192];
            int n;
            while ((n = body.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                if (out.size() > limit) {
                    throw new S3Exception(S3ErrorCode.MALFORMED_XML, "The request body is too large.");
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
