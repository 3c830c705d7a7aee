package io.github.s3ite.server.auth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A POST policy document as S3 reads it: an {@code expiration} and the {@code conditions} a form
 * must meet. Pure: parsing and checking need no server.
 *
 * @param expiration  the instant after which the policy no longer holds
 * @param conditions  in the order the policy lists them
 */
record PostPolicy(Instant expiration, List<PostPolicy.Condition> conditions) {
    private static final ObjectMapper JSON = new ObjectMapper()
            // S3 has a literal '$' written "\$" in a policy, which strict JSON does not allow
            .configure(JsonParser.Feature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER, true);
    /** Fields a policy need not name: itself, its signature, and the file. */
    private static final Set<String> UNCONDITIONED = Set.of("policy", "x-amz-signature", "signature", "awsaccesskeyid",
            "file");

    /** One condition of a policy. */
    sealed interface Condition permits Match, StartsWith, LengthRange {
    }

    /**
     * {@code {"field": "value"}} or {@code ["eq", "$field", "value"]}: the field is exactly the value.
     *
     * @param field the field's name as the policy writes it, without {@code $}
     */
    record Match(String field, String value) implements Condition {
    }

    /**
     * {@code ["starts-with", "$field", "prefix"]}: the field begins with the prefix ("" allows
     * anything); for {@code Content-Type}, each value of a comma-separated list does.
     */
    record StartsWith(String field, String prefix) implements Condition {
    }

    /** {@code ["content-length-range", min, max]}: the file has between min and max bytes. */
    record LengthRange(long min, long max) implements Condition {
    }

    /**
     * Parses the base64 policy of a form.
     *
     * @throws S3Exception InvalidPolicyDocument, with S3's "Invalid Policy: ..." message
     */
    static PostPolicy parse(String base64) {
        byte[] document;
        try {
            document = Base64.getMimeDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw invalid("Invalid 'base64' encoding.");
        }
        JsonNode root;
        try {
            root = JSON.readTree(new String(document, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw invalid("Invalid JSON.");
        }
        if (root == null || !root.isObject()) {
            throw invalid("Invalid JSON.");
        }
        JsonNode expiration = root.get("expiration");
        if (expiration == null) {
            throw invalid("Policy missing expiration.");
        }
        JsonNode conditions = root.get("conditions");
        if (conditions == null) {
            throw invalid("Policy missing conditions.");
        }
        if (!conditions.isArray()) {
            throw invalid("Invalid 'conditions' value: must be a List.");
        }
        List<Condition> parsed = new ArrayList<>();
        for (JsonNode condition : conditions) {
            parsed.add(condition(condition));
        }
        return new PostPolicy(instant(expiration), List.copyOf(parsed));
    }

    private static Instant instant(JsonNode expiration) {
        if (!expiration.isTextual()) {
            throw invalid("Invalid 'expiration' value: must be a String.");
        }
        try {
            return OffsetDateTime.parse(expiration.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid("Invalid 'expiration' value: '" + expiration.asText() + "'");
        }
    }

    private static Condition condition(JsonNode condition) {
        if (condition.isObject()) {
            if (condition.size() != 1) {
                throw invalid("Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.");
            }
            Map.Entry<String, JsonNode> only = condition.fields().next();
            return new Match(only.getKey(), text(only.getValue(), condition));
        }
        if (!condition.isArray() || condition.size() == 0 || !condition.get(0).isTextual()) {
            throw invalid("Invalid Condition: " + condition);
        }
        String operation = condition.get(0).asText().toLowerCase(Locale.ROOT);
        if (condition.size() != 3) {
            throw invalid("Invalid Condition: wrong number of arguments: " + condition);
        }
        if (operation.equals("content-length-range")) {
            long min = length(condition.get(1), condition);
            long max = length(condition.get(2), condition);
            return new LengthRange(min, max);
        }
        JsonNode field = condition.get(1);
        if (!field.isTextual() || !field.asText().startsWith("$")) {
            throw invalid("Invalid Condition: the field must be named as '$name': " + condition);
        }
        String name = field.asText().substring(1);
        String value = text(condition.get(2), condition);
        return switch (operation) {
            case "eq" -> new Match(name, value);
            case "starts-with" -> new StartsWith(name, value);
            default -> throw invalid("Invalid Condition: unknown operation '" + condition.get(0).asText() + "'");
        };
    }

    private static String text(JsonNode value, JsonNode condition) {
        if (!value.isValueNode() || value.isNull()) {
            throw invalid("Invalid Condition: the value must be a String: " + condition);
        }
        return value.asText();
    }

    private static long length(JsonNode value, JsonNode condition) {
        try {
            long length = value.isIntegralNumber() ? value.asLong() : Long.parseLong(value.asText().trim());
            if (length < 0) {
                throw new NumberFormatException();
            }
            return length;
        } catch (NumberFormatException e) {
            throw invalid("Invalid content-length-range: the limits must be non-negative integers: " + condition);
        }
    }

    private static S3Exception invalid(String detail) {
        return new S3Exception(S3ErrorCode.INVALID_POLICY_DOCUMENT, "Invalid Policy: " + detail);
    }

    /**
     * Checks what can be checked before the file is read: the expiration, every condition but
     * {@code content-length-range}, and that each field is named by a condition.
     *
     * @param values the value of a field by its lower-case name: the form's fields, the bucket
     *               as {@code bucket}, the key with {@code ${filename}} replaced as {@code key}
     * @param fields the lower-case names of the form's fields
     * @throws S3Exception AccessDenied "Invalid according to Policy: ..."
     */
    void check(Instant now, Map<String, String> values, Set<String> fields) {
        if (now.isAfter(expiration)) {
            throw violated("Policy expired.");
        }
        Set<String> named = new LinkedHashSet<>();
        for (Condition condition : conditions) {
            if (condition instanceof Match match) {
                named.add(match.field().toLowerCase(Locale.ROOT));
                if (!value(values, match.field()).equals(match.value())) {
                    throw failed("eq", match.field(), match.value());
                }
            } else if (condition instanceof StartsWith startsWith) {
                named.add(startsWith.field().toLowerCase(Locale.ROOT));
                if (!startsWith(startsWith, value(values, startsWith.field()))) {
                    throw failed("starts-with", startsWith.field(), startsWith.prefix());
                }
            }
        }
        List<String> extra = new ArrayList<>();
        for (String field : fields) {
            if (!UNCONDITIONED.contains(field) && !field.startsWith("x-ignore-") && !named.contains(field)) {
                extra.add(field);
            }
        }
        if (!extra.isEmpty()) {
            throw violated("Extra input fields: " + String.join(", ", extra));
        }
    }

    /** The smallest and largest file the policy allows: every content-length-range at once. */
    long[] lengthRange() {
        long min = 0;
        long max = Long.MAX_VALUE;
        for (Condition condition : conditions) {
            if (condition instanceof LengthRange range) {
                min = Math.max(min, range.min());
                max = Math.min(max, range.max());
            }
        }
        return new long[] {min, max};
    }

    /** A field the form does not have is empty, so that {@code ["starts-with", "$f", ""]} allows leaving it out. */
    private static String value(Map<String, String> values, String field) {
        String value = values.get(field.toLowerCase(Locale.ROOT));
        return value == null ? "" : value;
    }

    private static boolean startsWith(StartsWith condition, String value) {
        if (!condition.field().equalsIgnoreCase("content-type") || value.indexOf(',') < 0) {
            return value.startsWith(condition.prefix());
        }
        for (String type : value.split(",")) {
            if (!type.trim().startsWith(condition.prefix())) {
                return false;
            }
        }
        return true;
    }

    private static S3Exception failed(String operation, String field, String value) {
        return violated("Policy Condition failed: [" + quoted(operation) + ", " + quoted("$" + field) + ", "
                + quoted(value) + "]");
    }

    private static String quoted(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A string always serialises", e);
        }
    }

    private static S3Exception violated(String detail) {
        return new S3Exception(S3ErrorCode.ACCESS_DENIED, "Invalid according to Policy: " + detail);
    }
}
