package io.github.s3ite.server.access;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a PutBucketPolicy document and checks it as S3 does, refusing it with S3's
 * {@code MalformedPolicy} and S3's message for the first fault found.
 */
final class PolicyParser {
    /** S3 measures the limit on the document normalized (its whitespace between tokens gone). */
    private static final int MAX_SIZE = 20480;

    private static final String NOT_JSON = "Policies must be valid JSON and the first byte must be '{'";
    private static final String INVALID_JSON = "This policy contains invalid Json";
    private static final String TOO_LARGE = "Normalized policy document exceeds the maximum allowed size of 20480 bytes";
    private static final String SYNTAX = "Invalid policy syntax.";
    private static final String VERSION = "The policy must contain a valid version string";
    private static final String MISSING_STATEMENT = "Missing required field Statement";
    private static final String EMPTY_STATEMENT = "Could not parse the policy: Statement is empty!";
    private static final String MISSING_EFFECT = "Missing required field Effect";
    private static final String MISSING_PRINCIPAL = "Missing required field Principal";
    private static final String EMPTY_PRINCIPAL = "Missing required field Principal cannot be empty!";
    private static final String INVALID_PRINCIPAL = "Invalid principal in policy";
    private static final String MISSING_ACTION = "Missing required field Action";
    private static final String INVALID_ACTION = "Policy has invalid action";
    private static final String MISSING_RESOURCE = "Missing required field Resource";
    private static final String INVALID_RESOURCE = "Policy has invalid resource";
    private static final String NOT_APPLICABLE = "Action does not apply to any resource(s) in statement";
    private static final String INVALID_CONDITION_KEY = "Policy has an invalid condition key";
    private static final String INVALID_IP = "Invalid IP address in Conditions";

    private static final String S3_ARN = "arn:aws:s3:::";
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern ACCOUNT_ROOT = Pattern.compile("arn:aws:iam::(\\d{12}):root");
    /** Users, roles and their sessions; IAM takes no wildcard inside a principal's ARN. */
    private static final Pattern PRINCIPAL_ARN = Pattern.compile(
            "arn:aws:(iam::\\d{12}:(user|role)|sts::\\d{12}:(assumed-role|federated-user))/[^*?]+");

    // Duplicate names and text after the document make it invalid JSON: IAM's grammar allows
    // neither, and taking one of two values silently would change what the policy means.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final String bucket;
    private final Predicate<String> principalExists;
    private boolean variables;

    private PolicyParser(String bucket, Predicate<String> principalExists) {
        this.bucket = bucket;
        this.principalExists = principalExists;
    }

    static List<PolicyStatement> parse(String json, String bucket, Predicate<String> principalExists) {
        return new PolicyParser(bucket, principalExists).document(json);
    }

    private static S3Exception malformed(String message) {
        return new S3Exception(S3ErrorCode.MALFORMED_POLICY, message);
    }

    private List<PolicyStatement> document(String json) {
        if (json == null || json.isEmpty() || json.charAt(0) != '{') {
            throw malformed(NOT_JSON);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw malformed(INVALID_JSON);
        }
        if (normalizedSize(root) > MAX_SIZE) {
            throw malformed(TOO_LARGE);
        }
        JsonNode statement = null;
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "Version" -> variables = version(value);
                case "Id" -> requireText(value);
                case "Statement" -> statement = value;
                default -> throw malformed("Unknown field " + field.getKey());
            }
        }
        if (statement == null) {
            throw malformed(MISSING_STATEMENT);
        }
        List<PolicyStatement> statements = new ArrayList<>();
        if (statement.isObject()) {
            statements.add(statement(statement));
        } else if (statement.isArray()) {
            if (statement.isEmpty()) {
                throw malformed(EMPTY_STATEMENT);
            }
            for (JsonNode item : statement) {
                if (!item.isObject()) {
                    throw malformed(SYNTAX);
                }
                statements.add(statement(item));
            }
        } else {
            throw malformed(SYNTAX);
        }
        return statements;
    }

    private static int normalizedSize(JsonNode root) {
        try {
            return MAPPER.writeValueAsBytes(root).length;
        } catch (JacksonException e) {
            throw new IllegalStateException("A tree Jackson read is always writable", e);
        }
    }

    /** Policy variables are variables only in Version 2012-10-17; before it they are plain text. */
    private static boolean version(JsonNode value) {
        String version = value.isTextual() ? value.textValue() : "";
        return switch (version) {
            case "2012-10-17" -> true;
            case "2008-10-17" -> false;
            default -> throw malformed(VERSION);
        };
    }

    private PolicyStatement statement(JsonNode node) {
        JsonNode effect = null;
        JsonNode principal = null;
        JsonNode action = null;
        JsonNode resource = null;
        JsonNode condition = null;
        boolean notPrincipal = false;
        boolean notAction = false;
        boolean notResource = false;
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "Sid" -> requireText(value);
                case "Effect" -> effect = value;
                case "Principal", "NotPrincipal" -> {
                    principal = only(principal, value);
                    notPrincipal = field.getKey().startsWith("Not");
                }
                case "Action", "NotAction" -> {
                    action = only(action, value);
                    notAction = field.getKey().startsWith("Not");
                }
                case "Resource", "NotResource" -> {
                    resource = only(resource, value);
                    notResource = field.getKey().startsWith("Not");
                }
                case "Condition" -> condition = value;
                default -> throw malformed("Unknown field " + field.getKey());
            }
        }
        boolean allow = effect(effect);
        if (principal == null) {
            throw malformed(MISSING_PRINCIPAL);
        }
        PolicyPrincipals principals = principals(principal);
        // IAM: "NotPrincipal must be used with "Effect":"Deny""
        if (notPrincipal && allow) {
            throw malformed(INVALID_PRINCIPAL);
        }
        List<PolicyPattern> actions = actions(action);
        List<PolicyPattern> resources = new ArrayList<>();
        Set<PolicyActions.Target> targets = resources(resource, resources);
        if (!notAction && !notResource) {
            for (PolicyPattern pattern : actions) {
                Set<PolicyActions.Target> named = PolicyActions.targets(pattern);
                named.retainAll(targets);
                if (named.isEmpty()) {
                    throw malformed(NOT_APPLICABLE);
                }
            }
        }
        List<Condition> conditions = condition == null ? List.of() : conditions(condition);
        return new PolicyStatement(allow, principals, notPrincipal, actions, notAction, resources, notResource,
                conditions);
    }

    /** An element and its {@code Not} form exclude each other. */
    private static JsonNode only(JsonNode seen, JsonNode value) {
        if (seen != null) {
            throw malformed(SYNTAX);
        }
        return value;
    }

    private static boolean effect(JsonNode effect) {
        if (effect == null) {
            throw malformed(MISSING_EFFECT);
        }
        if (!effect.isTextual()) {
            throw malformed(SYNTAX);
        }
        return switch (effect.textValue()) {
            case "Allow" -> true;
            case "Deny" -> false;
            default -> throw malformed("Invalid effect: " + effect.textValue());
        };
    }

    private PolicyPrincipals principals(JsonNode node) {
        if (node.isTextual()) {
            return switch (node.textValue()) {
                case "*" -> new PolicyPrincipals(true, Set.of(), Set.of(), Set.of(), Set.of());
                case "" -> throw malformed(EMPTY_PRINCIPAL);
                // only "*" may stand alone; anything else goes under "AWS", "CanonicalUser", ...
                default -> throw malformed(SYNTAX);
            };
        }
        if (!node.isObject()) {
            throw malformed(SYNTAX);
        }
        if (node.isEmpty()) {
            throw malformed(EMPTY_PRINCIPAL);
        }
        boolean everyone = false;
        Set<String> accounts = new HashSet<>();
        Set<String> arns = new HashSet<>();
        Set<String> canonicalIds = new HashSet<>();
        Set<String> services = new HashSet<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            List<String> values = strings(field.getValue(), INVALID_PRINCIPAL);
            if (values.isEmpty()) {
                throw malformed(EMPTY_PRINCIPAL);
            }
            for (String value : values) {
                if (value.isEmpty()) {
                    throw malformed(EMPTY_PRINCIPAL);
                }
                switch (field.getKey()) {
                    case "AWS" -> {
                        if (value.equals("*")) {
                            everyone = true;
                        } else {
                            awsPrincipal(value, accounts, arns);
                        }
                    }
                    case "CanonicalUser" -> canonicalIds.add(named(value));
                    case "Service" -> services.add(named(value));
                    default -> throw malformed(INVALID_PRINCIPAL);
                }
            }
        }
        return new PolicyPrincipals(everyone, accounts, arns, canonicalIds, services);
    }

    private void awsPrincipal(String value, Set<String> accounts, Set<String> arns) {
        Matcher root = ACCOUNT_ROOT.matcher(value);
        if (ACCOUNT.matcher(value).matches()) {
            accounts.add(value);
        } else if (root.matches()) {
            // "The account ARN and the shortened account ID behave the same way"
            accounts.add(root.group(1));
        } else if (PRINCIPAL_ARN.matcher(value).matches()) {
            arns.add(value);
        } else {
            throw malformed(INVALID_PRINCIPAL);
        }
        if (!principalExists.test(value)) {
            throw malformed(INVALID_PRINCIPAL);
        }
    }

    /** A canonical user or service: one whole name, since no wildcard matches part of a principal. */
    private static String named(String value) {
        if (value.indexOf('*') >= 0 || value.indexOf('?') >= 0) {
            throw malformed(INVALID_PRINCIPAL);
        }
        return value;
    }

    private static List<PolicyPattern> actions(JsonNode node) {
        if (node == null) {
            throw malformed(MISSING_ACTION);
        }
        List<String> values = strings(node, SYNTAX);
        if (values.isEmpty()) {
            throw malformed(MISSING_ACTION);
        }
        List<PolicyPattern> actions = new ArrayList<>();
        for (String value : values) {
            PolicyPattern pattern = PolicyPattern.of(value, true, false);
            if (PolicyActions.targets(pattern).isEmpty()) {
                throw malformed(INVALID_ACTION);
            }
            actions.add(pattern);
        }
        return actions;
    }

    /**
     * Reads the resources into {@code resources}; answers which kinds of this bucket's resource
     * they reach (the bucket, its objects), which decides the actions they can go with.
     */
    private Set<PolicyActions.Target> resources(JsonNode node, List<PolicyPattern> resources) {
        if (node == null) {
            throw malformed(MISSING_RESOURCE);
        }
        List<String> values = strings(node, SYNTAX);
        if (values.isEmpty()) {
            throw malformed(MISSING_RESOURCE);
        }
        Set<PolicyActions.Target> targets = EnumSet.noneOf(PolicyActions.Target.class);
        for (String value : values) {
            if (!value.startsWith(S3_ARN) || value.length() == S3_ARN.length()) {
                throw malformed(INVALID_RESOURCE);
            }
            PolicyPattern pattern = PolicyPattern.of(value, true, variables);
            boolean bucketArn = pattern.canMatch(S3_ARN + bucket);
            boolean objectArn = pattern.canMatchStartOf(S3_ARN + bucket + "/");
            // a policy can only speak for its own bucket
            if (!bucketArn && !objectArn) {
                throw malformed(INVALID_RESOURCE);
            }
            if (bucketArn) {
                targets.add(PolicyActions.Target.BUCKET);
            }
            if (objectArn) {
                targets.add(PolicyActions.Target.OBJECT);
            }
            resources.add(pattern);
        }
        return targets;
    }

    private List<Condition> conditions(JsonNode node) {
        if (!node.isObject()) {
            throw malformed(SYNTAX);
        }
        List<Condition> conditions = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String type = entry.getKey();
            String name = type;
            Condition.Qualifier qualifier = Condition.Qualifier.NONE;
            if (name.startsWith("ForAnyValue:")) {
                qualifier = Condition.Qualifier.FOR_ANY_VALUE;
                name = name.substring("ForAnyValue:".length());
            } else if (name.startsWith("ForAllValues:")) {
                qualifier = Condition.Qualifier.FOR_ALL_VALUES;
                name = name.substring("ForAllValues:".length());
            }
            boolean ifExists = name.endsWith("IfExists");
            if (ifExists) {
                name = name.substring(0, name.length() - "IfExists".length());
            }
            ConditionOperator operator = ConditionOperator.named(name);
            // Null tests presence itself, so IAM gives it no IfExists form
            if (operator == null || operator == ConditionOperator.NULL && ifExists) {
                throw malformed("Invalid Condition type : " + type);
            }
            JsonNode block = entry.getValue();
            if (!block.isObject()) {
                throw malformed(SYNTAX);
            }
            for (Map.Entry<String, JsonNode> key : block.properties()) {
                if (!ConditionKeys.isValid(key.getKey())) {
                    throw malformed(INVALID_CONDITION_KEY);
                }
                List<PolicyPattern> values = new ArrayList<>();
                for (String value : conditionValues(key.getValue())) {
                    if ((operator == ConditionOperator.IP_ADDRESS || operator == ConditionOperator.NOT_IP_ADDRESS)
                            && ConditionIpRange.parse(value) == null) {
                        throw malformed(INVALID_IP);
                    }
                    values.add(operator.value(value, variables));
                }
                conditions.add(new Condition(operator, qualifier, ifExists, ConditionKeys.normalize(key.getKey()),
                        values));
            }
        }
        return conditions;
    }

    /** IAM: "Quotation marks are optional for numeric and Boolean values." */
    private static List<String> conditionValues(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode item : node) {
                values.add(scalar(item));
            }
        } else {
            values.add(scalar(node));
        }
        return values;
    }

    private static String scalar(JsonNode node) {
        if (node.isTextual() || node.isNumber() || node.isBoolean()) {
            return node.asText();
        }
        throw malformed(SYNTAX);
    }

    /** A string, or an array of strings: "If the element takes an array ... the brackets are optional." */
    private static List<String> strings(JsonNode node, String otherwise) {
        List<String> values = new ArrayList<>();
        if (node.isTextual()) {
            values.add(node.textValue());
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                if (!item.isTextual()) {
                    throw malformed(otherwise);
                }
                values.add(item.textValue());
            }
        } else {
            throw malformed(otherwise);
        }
        return values;
    }

    private static void requireText(JsonNode value) {
        if (!value.isTextual()) {
            throw malformed(SYNTAX);
        }
    }
}
