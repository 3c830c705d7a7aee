package io.github.s3ite.server.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A bucket's CORS rules, and how S3 evaluates them: pure, no I/O. The first rule whose
 * AllowedOrigin matches the {@code Origin} header (case-sensitively, one {@code *} matching any
 * run of characters), whose AllowedMethod holds the method, and, for a preflight, whose
 * AllowedHeaders match every requested header (case-insensitively, with the same wildcard) decides
 * the answer's {@code Access-Control-*} headers.
 *
 * <p>{@link #PERMISSIVE} stands for s3ite's {@code --permissive-cors}: every origin, method and
 * header is allowed (the origin is echoed, with credentials, so that a page with cookies works too).
 */
public final class CorsRules {
    /** The methods a rule may allow, and a preflight may ask for. */
    public static final Set<String> METHODS = Set.of("GET", "PUT", "POST", "DELETE", "HEAD");
    /** What a preflight or actual answer varies with, as S3 says it. */
    public static final String VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";
    /** The headers a permissive answer exposes to scripts: those S3 clients read. */
    static final String PERMISSIVE_EXPOSED = String.join(", ", "Accept-Ranges", "Content-Length", "Content-Range",
            "Content-Type", "ETag", "Last-Modified", "x-amz-request-id", "x-amz-id-2", "x-amz-version-id",
            "x-amz-delete-marker", "x-amz-server-side-encryption", "x-amz-checksum-crc32", "x-amz-checksum-crc32c",
            "x-amz-checksum-crc64nvme", "x-amz-checksum-sha1", "x-amz-checksum-sha256", "x-amz-checksum-type",
            "x-amz-mp-parts-count", "x-amz-expiration", "x-amz-restore", "x-amz-storage-class");

    /** One CORSRule; lists are never null, maxAgeSeconds may be. */
    public record Rule(String id, List<String> allowedOrigins, List<String> allowedMethods,
                       List<String> allowedHeaders, List<String> exposeHeaders, Integer maxAgeSeconds) {
        public Rule {
            allowedOrigins = List.copyOf(allowedOrigins);
            allowedMethods = List.copyOf(allowedMethods);
            allowedHeaders = List.copyOf(allowedHeaders);
            exposeHeaders = List.copyOf(exposeHeaders);
        }

        boolean allowsOrigin(String origin) {
            for (String pattern : allowedOrigins) {
                if (matches(pattern, origin, false)) {
                    return true;
                }
            }
            return false;
        }

        boolean allowsHeader(String header) {
            for (String pattern : allowedHeaders) {
                if (matches(pattern, header, true)) {
                    return true;
                }
            }
            return false;
        }

        /** Whether the origin matched only through a lone {@code *}: the answer then says {@code *}. */
        boolean anyOrigin() {
            return allowedOrigins.contains("*");
        }
    }

    /** A header of an answer, in order. */
    public record Header(String name, String value) {
    }

    public static final CorsRules PERMISSIVE = new CorsRules(List.of(), true);

    private final List<Rule> rules;
    private final boolean permissive;

    private CorsRules(List<Rule> rules, boolean permissive) {
        this.rules = List.copyOf(rules);
        this.permissive = permissive;
    }

    public static CorsRules of(List<Rule> rules) {
        return new CorsRules(rules, false);
    }

    public List<Rule> rules() {
        return rules;
    }

    public boolean isPermissive() {
        return permissive;
    }

    /**
     * The headers of a preflight's 200, or null when no rule allows it (S3's 403).
     *
     * @param method         the {@code Access-Control-Request-Method}
     * @param requestHeaders the {@code Access-Control-Request-Headers} value, or null
     */
    public List<Header> preflight(String origin, String method, String requestHeaders) {
        List<String> requested = headerList(requestHeaders);
        List<Header> answer = new ArrayList<>();
        if (permissive) {
            answer.add(new Header("Access-Control-Allow-Origin", origin));
            answer.add(new Header("Access-Control-Allow-Methods", "GET, PUT, POST, DELETE, HEAD"));
            if (!requested.isEmpty()) {
                answer.add(new Header("Access-Control-Allow-Headers", String.join(", ", requested)));
            }
            answer.add(new Header("Access-Control-Expose-Headers", PERMISSIVE_EXPOSED));
            answer.add(new Header("Access-Control-Allow-Credentials", "true"));
            answer.add(new Header("Vary", VARY));
            return answer;
        }
        for (Rule rule : rules) {
            if (!rule.allowsOrigin(origin) || !rule.allowedMethods().contains(method)
                    || !requested.stream().allMatch(rule::allowsHeader)) {
                continue;
            }
            answer.add(new Header("Access-Control-Allow-Origin", rule.anyOrigin() ? "*" : origin));
            answer.add(new Header("Access-Control-Allow-Methods", String.join(", ", rule.allowedMethods())));
            if (!requested.isEmpty()) {
                answer.add(new Header("Access-Control-Allow-Headers", String.join(", ", requested)));
            }
            common(rule, answer);
            return answer;
        }
        return null;
    }

    /**
     * The headers to add to the answer of an actual (non-preflight) request with an {@code Origin}:
     * those of the first rule allowing the origin and method, else only {@code Vary} (an answer
     * that varies with the origin all the same).
     */
    public List<Header> actual(String origin, String method) {
        List<Header> answer = new ArrayList<>();
        if (permissive) {
            answer.add(new Header("Access-Control-Allow-Origin", origin));
            answer.add(new Header("Access-Control-Allow-Methods", "GET, PUT, POST, DELETE, HEAD"));
            answer.add(new Header("Access-Control-Expose-Headers", PERMISSIVE_EXPOSED));
            answer.add(new Header("Access-Control-Allow-Credentials", "true"));
            answer.add(new Header("Vary", VARY));
            return answer;
        }
        for (Rule rule : rules) {
            if (rule.allowsOrigin(origin) && rule.allowedMethods().contains(method)) {
                answer.add(new Header("Access-Control-Allow-Origin", rule.anyOrigin() ? "*" : origin));
                answer.add(new Header("Access-Control-Allow-Methods", String.join(", ", rule.allowedMethods())));
                common(rule, answer);
                return answer;
            }
        }
        answer.add(new Header("Vary", VARY));
        return answer;
    }

    private static void common(Rule rule, List<Header> answer) {
        if (!rule.exposeHeaders().isEmpty()) {
            answer.add(new Header("Access-Control-Expose-Headers", String.join(", ", rule.exposeHeaders())));
        }
        if (rule.maxAgeSeconds() != null) {
            answer.add(new Header("Access-Control-Max-Age", Integer.toString(rule.maxAgeSeconds())));
        }
        if (!rule.anyOrigin()) {
            answer.add(new Header("Access-Control-Allow-Credentials", "true"));
        }
        answer.add(new Header("Vary", VARY));
    }

    /** The names of an {@code Access-Control-Request-Headers} value, trimmed and lower-cased. */
    static List<String> headerList(String value) {
        List<String> names = new ArrayList<>();
        if (value == null) {
            return names;
        }
        for (String name : value.split(",")) {
            String trimmed = name.trim().toLowerCase(Locale.ROOT);
            if (!trimmed.isEmpty()) {
                names.add(trimmed);
            }
        }
        return names;
    }

    /** Whether {@code value} matches {@code pattern}, whose one {@code *} (if any) matches any run of characters. */
    static boolean matches(String pattern, String value, boolean ignoreCase) {
        if (ignoreCase) {
            pattern = pattern.toLowerCase(Locale.ROOT);
            value = value.toLowerCase(Locale.ROOT);
        }
        int star = pattern.indexOf('*');
        if (star < 0) {
            return pattern.equals(value);
        }
        String prefix = pattern.substring(0, star);
        String suffix = pattern.substring(star + 1);
        return value.length() >= prefix.length() + suffix.length()
                && value.startsWith(prefix) && value.endsWith(suffix);
    }
}
