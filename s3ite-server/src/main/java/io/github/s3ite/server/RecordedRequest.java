package io.github.s3ite.server;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A request the server answered, as its journal keeps it (see {@link S3iteServer#getRequests()}).
 * Signature material is masked: the {@code Authorization} header keeps its credential and signed
 * headers but not its signature, and the signature parameters of a presigned URL read {@code ***}.
 *
 * @param requestId     the {@code x-amz-request-id} the server answered with
 * @param operation     S3's name of the operation ({@code PutObject}, {@code ListObjectsV2}, ...), or
 *                      null when the request was refused before it could be routed
 * @param method        the HTTP method
 * @param path          the request path as received, percent-encoded
 * @param secureTransport whether it came over TLS (the HTTPS listener), as {@code aws:SecureTransport} says
 * @param bucket        the bucket, or null
 * @param key           the key, decoded, or null
 * @param versionId     the {@code versionId} query parameter, or null
 * @param status        the HTTP status answered; 0 when an injected fault closed the connection instead
 * @param errorCode     the S3 error code answered ({@code NoSuchKey}, {@code SlowDown}, ...), or null
 * @param headers       the request headers as received (names in lower case), masked
 * @param query         the query parameters, decoded, masked
 * @param requestBytes  the bytes of the request body received (aws-chunked framing included)
 * @param responseBytes the bytes of the response body
 * @param time          when the server began to handle the request, its head read
 * @param duration      from then until the answer was ready to send
 * @param fault         the injected fault that shaped the answer, or null
 */
public record RecordedRequest(String requestId, String operation, String method, String path, boolean secureTransport,
                              String bucket, String key, String versionId, int status, String errorCode,
                              Map<String, List<String>> headers, Map<String, String> query, long requestBytes,
                              long responseBytes, Instant time, Duration duration, S3Fault fault) {

    /** The first value of a header (name in any case), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** One line: {@code PutObject photos/cat.jpg -> 200 (12 ms)}, as the extension prints it. */
    @Override
    public String toString() {
        StringBuilder line = new StringBuilder();
        line.append(operation != null ? operation : method + " " + path);
        if (bucket != null) {
            line.append(' ').append(bucket);
            if (key != null) {
                line.append('/').append(key);
            }
        }
        if (versionId != null) {
            line.append(" versionId=").append(versionId);
        }
        line.append(" -> ").append(status);
        if (errorCode != null) {
            line.append(' ').append(errorCode);
        }
        line.append(" (").append(duration.toMillis()).append(" ms");
        if (requestBytes > 0) {
            line.append(", ").append(requestBytes).append(" bytes in");
        }
        if (fault != null) {
            line.append(", fault: ").append(fault);
        }
        return line.append(')').toString();
    }
}
