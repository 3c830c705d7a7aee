package io.github.s3ite.server.access;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Condition key names: which ones a bucket policy may use, and how they compare. IAM compares key
 * names without regard to case; a tag key after the {@code /} of {@code s3:ExistingObjectTag/<key>}
 * is S3's own and keeps its case.
 */
final class ConditionKeys {
    /**
     * S3's own condition keys ("Actions, resources, and condition keys for Amazon S3"), lower case.
     * S3 refuses a policy naming any other {@code s3:} key; it takes any {@code aws:} key.
     */
    private static final Set<String> S3_KEYS = Set.of(
            "s3:accessgrantsinstancearn", "s3:accesspointnetworkorigin", "s3:authtype",
            "s3:dataaccesspointaccount", "s3:dataaccesspointarn", "s3:delimiter",
            "s3:existingjoboperation", "s3:existingjobpriority", "s3:if-match", "s3:if-none-match",
            "s3:jobsuspendedcause", "s3:locationconstraint", "s3:max-keys",
            "s3:objectcreationoperation", "s3:object-lock-legal-hold", "s3:object-lock-mode",
            "s3:object-lock-remaining-retention-days", "s3:object-lock-retain-until-date",
            "s3:prefix", "s3:requestjoboperation", "s3:requestjobpriority", "s3:requestobjecttagkeys",
            "s3:resourceaccount", "s3:signatureage", "s3:signatureversion", "s3:tlsversion",
            "s3:versionid", "s3:x-amz-acl", "s3:x-amz-content-sha256", "s3:x-amz-copy-source",
            "s3:x-amz-grant-full-control", "s3:x-amz-grant-read", "s3:x-amz-grant-read-acp",
            "s3:x-amz-grant-write", "s3:x-amz-grant-write-acp", "s3:x-amz-metadata-directive",
            "s3:x-amz-object-ownership", "s3:x-amz-server-side-encryption",
            "s3:x-amz-server-side-encryption-aws-kms-key-id",
            "s3:x-amz-server-side-encryption-customer-algorithm", "s3:x-amz-storage-class",
            "s3:x-amz-website-redirect-location");

    /** S3's keys that name a tag after a {@code /}. */
    private static final List<String> S3_TAG_KEYS = List.of(
            "s3:existingobjecttag/", "s3:requestobjecttag/", "s3:buckettag/");

    private ConditionKeys() {
    }

    /** The name lower-cased up to and including its first {@code /}; what follows keeps its case. */
    static String normalize(String key) {
        int slash = key.indexOf('/');
        return slash < 0
                ? key.toLowerCase(Locale.ROOT)
                : key.substring(0, slash + 1).toLowerCase(Locale.ROOT) + key.substring(slash + 1);
    }

    /** Whether S3 takes this key in a bucket policy's {@code Condition}. */
    static boolean isValid(String key) {
        String name = normalize(key);
        if (name.startsWith("aws:")) {
            return name.length() > "aws:".length();
        }
        if (S3_KEYS.contains(name)) {
            return true;
        }
        return S3_TAG_KEYS.stream().anyMatch(prefix -> name.startsWith(prefix) && name.length() > prefix.length());
    }

    /** A request's context keyed by normalized name. */
    static Map<String, List<String>> index(Map<String, List<String>> conditionKeys) {
        Map<String, List<String>> index = new HashMap<>();
        conditionKeys.forEach((key, values) -> index.merge(normalize(key), values, (a, b) -> {
            List<String> both = new ArrayList<>(a);
            both.addAll(b);
            return List.copyOf(both);
        }));
        return index;
    }
}
