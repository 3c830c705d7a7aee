package io.github.s3ite.server.auth;

import java.util.List;
import java.util.Map;

/**
 * A request as it arrived, for signature verification: raw (still percent-encoded) path and query,
 * headers with lower-case names.
 */
public record SignedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {

    String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
