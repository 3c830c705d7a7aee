package io.github.s3ite.server.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The canonical request of Signature Version 4 for S3: method, URI, query, signed headers and
 * payload hash, each in its canonical form.
 */
final class CanonicalRequest {
    private CanonicalRequest() {
    }

    static String of(SignedRequest request, List<String> signedHeaders, String payloadHash, boolean presigned) {
        return request.method() + "\n"
                + canonicalUri(request.rawPath()) + "\n"
                + canonicalQuery(request.rawQuery(), presigned) + "\n"
                + canonicalHeaders(request.headers(), signedHeaders) + "\n"
                + String.join(";", signedHeaders) + "\n"
                + payloadHash;
    }

    /** S3 encodes the path once: decode what arrived, then encode every byte but unreserved ones and '/'. */
    static String canonicalUri(String rawPath) {
        String path = rawPath.isEmpty() ? "/" : rawPath;
        return encode(decode(path), false);
    }

    static String canonicalQuery(String rawQuery, boolean presigned) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> parameters = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (presigned && name.equals("X-Amz-Signature")) {
                continue;
            }
            parameters.add(new String[] {encode(name, true), encode(value, true)});
        }
        parameters.sort((a, b) -> {
            int byName = a[0].compareTo(b[0]);
            return byName != 0 ? byName : a[1].compareTo(b[1]);
        });
        StringBuilder query = new StringBuilder();
        for (String[] parameter : parameters) {
            if (query.length() > 0) {
                query.append('&');
            }
            query.append(parameter[0]).append('=').append(parameter[1]);
        }
        return query.toString();
    }

    private static String canonicalHeaders(Map<String, List<String>> headers, List<String> signedHeaders) {
        StringBuilder canonical = new StringBuilder();
        for (String name : signedHeaders) {
            List<String> values = headers.get(name);
            StringBuilder joined = new StringBuilder();
            if (values != null) {
                for (String value : values) {
                    if (joined.length() > 0) {
                        joined.append(',');
                    }
                    joined.append(collapseSpaces(value.trim()));
                }
            }
            canonical.append(name.toLowerCase(Locale.ROOT)).append(':').append(joined).append('\n');
        }
        return canonical.toString();
    }

    /** Runs of spaces made one space, as SigV4 canonicalizes a header value. */
    private static String collapseSpaces(String value) {
        if (!value.contains("  ")) {
            return value;
        }
        StringBuilder collapsed = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != ' ' || collapsed.length() == 0 || collapsed.charAt(collapsed.length() - 1) != ' ') {
                collapsed.append(c);
            }
        }
        return collapsed.toString();
    }

    /** Percent-decodes as UTF-8; '+' stays a literal plus, as SigV4 signs it encoded as %2B. */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length) {
                int hi = Character.digit(bytes[i + 1], 16);
                int lo = Character.digit(bytes[i + 2], 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi << 4 | lo);
                    i += 2;
                    continue;
                }
            }
            out.write(bytes[i]);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** URI-encodes every byte but A-Z a-z 0-9 - . _ ~ (and '/' unless {@code encodeSlash}). */
    static String encode(String value, boolean encodeSlash) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' && !encodeSlash) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
