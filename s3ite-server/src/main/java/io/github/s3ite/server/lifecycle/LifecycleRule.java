package io.github.s3ite.server.lifecycle;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One rule of a bucket's lifecycle configuration, as PutBucketLifecycleConfiguration set it and
 * GetBucketLifecycleConfiguration gives it back. It names its objects either by the legacy
 * rule-level {@code prefix} or by a {@code filter}, never both.
 *
 * @param id                           the rule's ID (one S3 made up when the request gave none)
 * @param enabled                      {@code Status} {@code Enabled}; a disabled rule does nothing
 * @param prefix                       the legacy rule-level {@code Prefix}, or null
 * @param filter                       the {@code Filter}, or null for a rule with a {@code prefix}
 * @param expiration                   or null
 * @param transitions                  kept and answered; nothing here changes storage class
 * @param noncurrentVersionTransitions kept and answered, like {@code transitions}
 * @param noncurrentVersionExpiration  or null
 * @param abortIncompleteMultipartUploadDays {@code DaysAfterInitiation}, or null
 */
public record LifecycleRule(String id, boolean enabled, String prefix, LifecycleFilter filter, Expiration expiration,
                            List<Transition> transitions, List<NoncurrentVersionTransition> noncurrentVersionTransitions,
                            NoncurrentVersionExpiration noncurrentVersionExpiration,
                            Integer abortIncompleteMultipartUploadDays) {

    public LifecycleRule {
        if ((prefix == null) == (filter == null)) {
            throw new IllegalArgumentException("A rule has a Prefix or a Filter, not both or neither");
        }
        transitions = List.copyOf(transitions);
        noncurrentVersionTransitions = List.copyOf(noncurrentVersionTransitions);
    }

    /**
     * {@code Expiration}: exactly one of {@code days}, {@code date} and {@code expiredObjectDeleteMarker}.
     *
     * @param date a midnight UTC
     */
    public record Expiration(Integer days, Instant date, Boolean expiredObjectDeleteMarker) {
    }

    /** {@code NoncurrentVersionExpiration}; {@code newerNoncurrentVersions} may be null. */
    public record NoncurrentVersionExpiration(int noncurrentDays, Integer newerNoncurrentVersions) {
    }

    /** {@code Transition}: {@code days} or {@code date}, and a storage class. */
    public record Transition(Integer days, Instant date, String storageClass) {
    }

    /** {@code NoncurrentVersionTransition}; {@code newerNoncurrentVersions} may be null. */
    public record NoncurrentVersionTransition(int noncurrentDays, Integer newerNoncurrentVersions, String storageClass) {
    }

    /** Whether the rule is enabled and selects an object (or delete marker: size 0, no tags) of this key. */
    boolean appliesTo(String key, long size, Map<String, String> tags) {
        if (!enabled) {
            return false;
        }
        return prefix != null ? key.startsWith(prefix) : filter.selects(key, size, tags);
    }

    /** The key prefix the rule's objects all share ("" for a rule that reads only tags or sizes). */
    String keyPrefix() {
        String shared = prefix != null ? prefix : filter.prefix();
        return shared == null ? "" : shared;
    }
}
