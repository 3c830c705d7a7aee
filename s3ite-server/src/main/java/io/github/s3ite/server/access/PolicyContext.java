package io.github.s3ite.server.access;

import java.util.List;
import java.util.Map;

/** A request's condition keys, indexed once for all the statements of a policy. */
final class PolicyContext {
    private final Map<String, List<String>> keys;

    PolicyContext(PolicyRequest request) {
        this.keys = ConditionKeys.index(request.conditionKeys());
    }

    /** The request's values for a normalized key name, or null when it has none. */
    List<String> values(String key) {
        return keys.get(key);
    }

    /**
     * The value a policy variable of this key stands for: only a key with exactly one value has
     * one, as IAM resolves variables from single-valued keys only.
     */
    String variable(String key) {
        List<String> values = keys.get(key);
        return values != null && values.size() == 1 ? values.get(0) : null;
    }
}
