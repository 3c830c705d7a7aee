package io.github.s3ite.server.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the journal keeps of a request's headers and query: everything but signature material. */
final class JournalMasking {
    private static final String MASK = "***";

    private JournalMasking() {
    }

    static Map<String, List<String>> headers(Map<String, List<String>> headers) {
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
            } else if (name.equals("x-amz-security-token")) {
                values = List.of(MASK);
            }
            masked.put(name, List.copyOf(values));
        }
        return Map.copyOf(masked);
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
        if (!query.containsKey("X-Amz-Signature") && !query.containsKey("Signature")
                && !query.containsKey("X-Amz-Security-Token")) {
            return Map.copyOf(query);
        }
        Map<String, String> masked = new LinkedHashMap<>(query);
        masked.replaceAll((name, value) -> name.equals("X-Amz-Signature") || name.equals("Signature")
                || name.equals("X-Amz-Security-Token") ? MASK : value);
        return Map.copyOf(masked);
    }
}
