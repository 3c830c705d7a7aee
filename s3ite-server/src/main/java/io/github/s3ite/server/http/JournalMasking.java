package io.github.s3ite.server.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the journal keeps of a request's headers and query: everything but signature material. */
final class JournalMasking {
    private static final String MASK = "***";
    /** Header names (lower case) whose values are secrets: session tokens and SSE-C keys. */
    private static final java.util.Set<String> SECRET_HEADERS = java.util.Set.of("x-amz-security-token",
            "x-amz-server-side-encryption-customer-key", "x-amz-copy-source-server-side-encryption-customer-key");
    /** Query parameter names (lower case) whose values are signatures or tokens. */
    private static final java.util.Set<String> SECRET_PARAMETERS = java.util.Set.of("x-amz-signature", "signature",
            "x-amz-security-token");

    private JournalMasking() {
    }

    /**
     * The headers with secrets masked; the map itself when it has none, which must then be
     * unmodifiable, lists included (as the edge makes it).
     */
    static Map<String, List<String>> headers(Map<String, List<String>> headers) {
        boolean secret = headers.containsKey("authorization");
        for (String name : SECRET_HEADERS) {
            secret |= headers.containsKey(name);
        }
        if (!secret) {
            return headers;
        }
        Map<String, List<String>> masked = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            String name = header.getKey();
            List<String> values = header.getValue();
            if (name.equals("authorization")) {
                List<String> kept = new ArrayList<>(values.size());
                for (String value : values) {
                    kept.add(maskAuthorization(value));
                }
                values = kept;
            } else if (SECRET_HEADERS.contains(name)) {
                values = List.of(MASK);
            }
            masked.put(name, List.copyOf(values));
        }
        return java.util.Collections.unmodifiableMap(masked);
    }

    /** Keeps the algorithm, credential and signed headers; the signature itself is masked. */
    private static String maskAuthorization(String value) {
        int signature = value.indexOf("Signature=");
        if (signature >= 0) {
            return value.substring(0, signature + "Signature=".length()) + MASK;
        }
        int colon = value.lastIndexOf(':');
        return colon > 0 ? value.substring(0, colon + 1) + MASK : MASK;
    }

    static Map<String, String> query(Map<String, String> query) {
        if (query.isEmpty()) {
            return Map.of();
        }
        Map<String, String> masked = new LinkedHashMap<>(query);
        masked.replaceAll((name, value) -> SECRET_PARAMETERS.contains(name.toLowerCase(java.util.Locale.ROOT)) ? MASK : value);
        return java.util.Collections.unmodifiableMap(masked);
    }
}
