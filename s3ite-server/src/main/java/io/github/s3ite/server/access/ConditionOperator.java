package io.github.s3ite.server.access;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/**
 * IAM's condition operators, without their {@code ...IfExists} suffix and {@code ForAnyValue:} /
 * {@code ForAllValues:} qualifiers. A negated operator ({@code StringNotEquals}, {@code NotIpAddress},
 * ...) is written here as the test it negates; {@link Condition} applies the negation, since IAM
 * negates the whole of a key's values (NOR), not each value.
 */
enum ConditionOperator {
    STRING_EQUALS("StringEquals", false, Values.TEXT),
    STRING_NOT_EQUALS("StringNotEquals", true, Values.TEXT),
    STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", false, Values.TEXT),
    STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", true, Values.TEXT),
    STRING_LIKE("StringLike", false, Values.PATTERN),
    STRING_NOT_LIKE("StringNotLike", true, Values.PATTERN),
    NUMERIC_EQUALS("NumericEquals", false, Values.PLAIN),
    NUMERIC_NOT_EQUALS("NumericNotEquals", true, Values.PLAIN),
    NUMERIC_LESS_THAN("NumericLessThan", false, Values.PLAIN),
    NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", false, Values.PLAIN),
    NUMERIC_GREATER_THAN("NumericGreaterThan", false, Values.PLAIN),
    NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", false, Values.PLAIN),
    DATE_EQUALS("DateEquals", false, Values.PLAIN),
    DATE_NOT_EQUALS("DateNotEquals", true, Values.PLAIN),
    DATE_LESS_THAN("DateLessThan", false, Values.PLAIN),
    DATE_LESS_THAN_EQUALS("DateLessThanEquals", false, Values.PLAIN),
    DATE_GREATER_THAN("DateGreaterThan", false, Values.PLAIN),
    DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", false, Values.PLAIN),
    BOOL("Bool", false, Values.TEXT),
    BINARY_EQUALS("BinaryEquals", false, Values.PLAIN),
    IP_ADDRESS("IpAddress", false, Values.PLAIN),
    NOT_IP_ADDRESS("NotIpAddress", true, Values.PLAIN),
    ARN_EQUALS("ArnEquals", false, Values.PATTERN),
    ARN_LIKE("ArnLike", false, Values.PATTERN),
    ARN_NOT_EQUALS("ArnNotEquals", true, Values.PATTERN),
    ARN_NOT_LIKE("ArnNotLike", true, Values.PATTERN),
    NULL("Null", false, Values.PLAIN);

    /** How an operator reads the values a policy gives it. */
    enum Values {
        /** Exact text; policy variables allowed. */
        TEXT,
        /** Text with {@code *} and {@code ?} wildcards; policy variables allowed. */
        PATTERN,
        /** Numbers, dates, addresses, base64, {@code true}/{@code false}: taken as written. */
        PLAIN
    }

    private static final Pattern EPOCH = Pattern.compile("-?\\d+(\\.\\d+)?");

    private final String written;
    private final boolean negated;
    private final Values values;

    ConditionOperator(String written, boolean negated, Values values) {
        this.written = written;
        this.negated = negated;
        this.values = values;
    }

    /** The operator a policy writes so, or null; the name is compared exactly, as IAM does. */
    static ConditionOperator named(String name) {
        for (ConditionOperator operator : values()) {
            if (operator.written.equals(name)) {
                return operator;
            }
        }
        return null;
    }

    String written() {
        return written;
    }

    boolean negated() {
        return negated;
    }

    /** A policy's value for this operator, as a pattern of the right kind. */
    PolicyPattern value(String text, boolean variables) {
        return switch (values) {
            case TEXT -> PolicyPattern.of(text, false, variables);
            case PATTERN -> PolicyPattern.of(text, true, variables);
            case PLAIN -> PolicyPattern.exact(text);
        };
    }

    /**
     * Whether a request's value passes the (unnegated) test against one of the policy's values,
     * its variables already resolved. A value that does not parse as the operator's type passes
     * nothing.
     */
    boolean test(String value, PolicyPattern policy) {
        return switch (this) {
            case STRING_EQUALS, STRING_NOT_EQUALS -> value.equals(policy.literal());
            case STRING_EQUALS_IGNORE_CASE, STRING_NOT_EQUALS_IGNORE_CASE, BOOL ->
                    value.equalsIgnoreCase(policy.literal());
            case STRING_LIKE, STRING_NOT_LIKE -> policy.matches(value, false);
            case NUMERIC_EQUALS, NUMERIC_NOT_EQUALS -> holds(compareNumbers(value, policy), c -> c == 0);
            case NUMERIC_LESS_THAN -> holds(compareNumbers(value, policy), c -> c < 0);
            case NUMERIC_LESS_THAN_EQUALS -> holds(compareNumbers(value, policy), c -> c <= 0);
            case NUMERIC_GREATER_THAN -> holds(compareNumbers(value, policy), c -> c > 0);
            case NUMERIC_GREATER_THAN_EQUALS -> holds(compareNumbers(value, policy), c -> c >= 0);
            case DATE_EQUALS, DATE_NOT_EQUALS -> holds(compareDates(value, policy), c -> c == 0);
            case DATE_LESS_THAN -> holds(compareDates(value, policy), c -> c < 0);
            case DATE_LESS_THAN_EQUALS -> holds(compareDates(value, policy), c -> c <= 0);
            case DATE_GREATER_THAN -> holds(compareDates(value, policy), c -> c > 0);
            case DATE_GREATER_THAN_EQUALS -> holds(compareDates(value, policy), c -> c >= 0);
            case BINARY_EQUALS -> value.equals(policy.literal());
            case IP_ADDRESS, NOT_IP_ADDRESS -> {
                ConditionIpRange range = ConditionIpRange.parse(policy.literal());
                yield range != null && range.contains(value);
            }
            case ARN_EQUALS, ARN_LIKE, ARN_NOT_EQUALS, ARN_NOT_LIKE -> arnMatches(value, policy);
            case NULL -> throw new IllegalStateException("Null tests presence, not values");
        };
    }

    /** Whether a comparison was possible (both sides of the type) and came out as wanted. */
    private static boolean holds(Integer comparison, IntPredicate wanted) {
        return comparison != null && wanted.test(comparison);
    }

    private static Integer compareNumbers(String value, PolicyPattern policy) {
        BigDecimal left = number(value);
        BigDecimal right = number(policy.literal());
        return left == null || right == null ? null : left.compareTo(right);
    }

    private static Integer compareDates(String value, PolicyPattern policy) {
        Instant left = date(value);
        Instant right = date(policy.literal());
        return left == null || right == null ? null : left.compareTo(right);
    }

    private static BigDecimal number(String text) {
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * A date as IAM takes it: one of the W3C profiles of ISO 8601 (a date, a date and time with or
     * without an offset, UTC when none is given) or epoch seconds.
     */
    private static Instant date(String text) {
        if (EPOCH.matcher(text).matches()) {
            BigDecimal seconds = new BigDecimal(text);
            try {
                return Instant.ofEpochSecond(seconds.longValue(),
                        seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
            } catch (DateTimeException | ArithmeticException e) {
                return null;
            }
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            // not with an offset; try the forms without one
        }
        try {
            return LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // not a local date and time either
        }
        try {
            return LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * ARN operators compare the six colon-separated parts of an ARN one by one, each with
     * wildcards; the last part keeps any further colons (an S3 key may hold them).
     */
    private static boolean arnMatches(String value, PolicyPattern policy) {
        String[] parts = value.split(":", 6);
        List<PolicyPattern> patterns = policy.split(':', 6);
        if (parts.length != 6 || patterns.size() != 6) {
            return false;
        }
        for (int i = 0; i < 6; i++) {
            if (!patterns.get(i).matches(parts[i], false)) {
                return false;
            }
        }
        return true;
    }
}
