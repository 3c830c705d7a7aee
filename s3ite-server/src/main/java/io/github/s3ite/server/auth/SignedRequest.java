package io.github.s3ite.server.auth;

import java.util.List;
import java.util.Map;

/**
 * A request as it arrived, for signature verification: raw (still percent-encoded) path and query,
 * headers with lower-case names, and the bucket its {@code Host} names for a virtual-hosted-style
 * request (null for path style), which Signature Version 2 signs as if it led the path.
 */
public record SignedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                            String virtualHostedBucket) {

    /** A path-style request. */
    public SignedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {
        this(method, rawPath, rawQuery, headers, null);
    }

    String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
