package io.github.s3ite.server.access;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One key of one operator in a statement's {@code Condition} block, such as
 * {@code "StringLike": {"s3:prefix": ["home/*", "public/*"]}}. A statement's conditions all hold or
 * it does not apply (AND); the values of one condition are alternatives (OR), or, for a negated
 * operator, all refused (NOR).
 *
 * @param operator the operator, without qualifier or suffix
 * @param qualifier how a key with several values in the request is judged
 * @param ifExists whether a request without the key passes ({@code ...IfExists})
 * @param key the key's normalized name (see {@link ConditionKeys#normalize})
 * @param values the policy's values
 */
record Condition(ConditionOperator operator, Qualifier qualifier, boolean ifExists, String key,
        List<PolicyPattern> values) {

    /** The set operators IAM puts before an operator for keys with several values. */
    enum Qualifier {
        /** Neither: any of the request's values may pass (all must fail, for a negated operator). */
        NONE,
        /** {@code ForAnyValue:}: some value of the request's passes; false without the key. */
        FOR_ANY_VALUE,
        /** {@code ForAllValues:}: every value of the request's passes; true without the key. */
        FOR_ALL_VALUES
    }

    /**
     * The keys whose fixed values make an otherwise public grant non-public ("The meaning of
     * 'public'" in the S3 user guide), besides {@code aws:SourceIp}.
     */
    private static final Set<String> CONFINING_KEYS = Set.of("aws:sourcearn", "aws:sourcevpc",
            "aws:sourcevpce", "aws:sourceowner", "aws:sourceaccount", "aws:principalorgid",
            "aws:principalaccount", "aws:principalarn", "aws:userid",
            "s3:x-amz-server-side-encryption-aws-kms-key-id", "s3:dataaccesspointarn",
            "s3:dataaccesspointaccount");

    Condition {
        Objects.requireNonNull(operator);
        Objects.requireNonNull(qualifier);
        Objects.requireNonNull(key);
        values = List.copyOf(values);
    }

    /** Whether the request passes this condition. */
    boolean holds(PolicyContext context) {
        List<String> present = context.values(key);
        boolean absent = present == null || present.isEmpty();
        if (operator == ConditionOperator.NULL) {
            return values.stream().map(value -> value.literal().toLowerCase(Locale.ROOT))
                    .anyMatch(value -> value.equals("true") ? absent : value.equals("false") && !absent);
        }
        if (absent) {
            if (ifExists) {
                return true;
            }
            return switch (qualifier) {
                case FOR_ALL_VALUES -> true;
                case FOR_ANY_VALUE -> false;
                // IAM: a missing key matches no value, so only a negated operator holds
                case NONE -> operator.negated();
            };
        }
        // a value whose variable has no value matches nothing
        List<PolicyPattern> resolved = values.stream().map(value -> value.resolve(context::variable))
                .filter(Objects::nonNull).toList();
        Predicate<String> passes = value -> resolved.stream().anyMatch(policy -> operator.test(value, policy));
        Predicate<String> wanted = operator.negated() ? passes.negate() : passes;
        return switch (qualifier) {
            case NONE -> operator.negated() ? present.stream().noneMatch(passes) : present.stream().anyMatch(passes);
            case FOR_ANY_VALUE -> present.stream().anyMatch(wanted);
            case FOR_ALL_VALUES -> present.stream().allMatch(wanted);
        };
    }

    /**
     * Whether this condition confines a grant to fixed values of a key S3 counts as making it
     * non-public: a condition that a request without the key passes ({@code ...IfExists},
     * {@code ForAllValues:}) or a negated one confines nothing, nor does a value with a wildcard or
     * a policy variable.
     */
    boolean confinesToFixedValues() {
        if (ifExists || qualifier == Qualifier.FOR_ALL_VALUES || operator.negated()) {
            return false;
        }
        if (key.equals("aws:sourceip")) {
            return operator == ConditionOperator.IP_ADDRESS && !values.isEmpty()
                    && values.stream().allMatch(Condition::narrowRange);
        }
        if (!CONFINING_KEYS.contains(key)) {
            return false;
        }
        boolean matchingOperator = switch (operator) {
            case STRING_EQUALS, STRING_EQUALS_IGNORE_CASE, STRING_LIKE, ARN_EQUALS, ARN_LIKE -> true;
            default -> false;
        };
        return matchingOperator && !values.isEmpty() && values.stream().allMatch(Condition::fixed);
    }

    private static boolean fixed(PolicyPattern value) {
        String text = value.text();
        return !value.hasVariables() && text.indexOf('*') < 0 && text.indexOf('?') < 0;
    }

    /**
     * S3 holds a source range public when it is broader than {@code /8} (IPv4) or {@code /32}
     * (IPv6): {@code 0.0.0.0/0} lets in everyone.
     */
    private static boolean narrowRange(PolicyPattern value) {
        ConditionIpRange range = ConditionIpRange.parse(value.literal());
        return range != null && range.prefix() >= (range.isIpv4() ? 8 : 32);
    }
}
