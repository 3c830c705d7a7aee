package io.github.s3ite.server.auth;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.util.Map;

/**
 * A verified request: who signed it, and how to read its payload so that what a handler reads is
 * the decoded content, checked against its signatures as it streams.
 */
public final class Authentication {
    enum Payload { PLAIN, SIGNED, AWS_CHUNKED }

    private final String accessKey;
    private final Payload payload;
    private final String payloadSha256;
    private final SigningContext signing;
    private final long decodedContentLength;
    private AwsChunkedInputStream chunked;

    Authentication(String accessKey, Payload payload, String payloadSha256, SigningContext signing,
                   long decodedContentLength) {
        this.accessKey = accessKey;
        this.payload = payload;
        this.payloadSha256 = payloadSha256;
        this.signing = signing;
        this.decodedContentLength = decodedContentLength;
    }

    /** The access key that signed the request, or null for an anonymous one. */
    public String accessKey() {
        return accessKey;
    }

    /**
     * The payload as a handler must read it: de-chunked, every signature and the payload hash checked
     * as it streams. Failures surface from {@code read} as {@link io.github.s3ite.server.error.S3Exception}.
     */
    public InputStream decodedBody(InputStream raw) {
        return switch (payload) {
            case PLAIN -> raw;
            case SIGNED -> new Sha256CheckingInputStream(raw, payloadSha256);
            case AWS_CHUNKED -> {
                chunked = new AwsChunkedInputStream(new BufferedInputStream(raw, 64 * 1024), signing, decodedContentLength);
                yield chunked;
            }
        };
    }

    /** The decoded payload length: x-amz-decoded-content-length for aws-chunked, else Content-Length; -1 if unknown. */
    public long decodedContentLength() {
        return decodedContentLength;
    }

    /** The trailing headers of an aws-chunked body, once it has been read to its end; empty otherwise. */
    public Map<String, String> trailers() {
        return chunked == null ? Map.of() : chunked.trailers();
    }
}
