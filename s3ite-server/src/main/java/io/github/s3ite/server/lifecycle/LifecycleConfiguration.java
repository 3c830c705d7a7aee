package io.github.s3ite.server.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A bucket's lifecycle rules and what they decide at an instant: when a current version expires
 * (and so what {@code x-amz-expiration} says), which noncurrent versions and lone delete markers
 * go, and when an incomplete multipart upload is aborted. Pure: no clock, no storage.
 *
 * <p>Days are counted as S3 counts them: the object's creation time (its last-modified time) plus
 * the days, rounded up to the next midnight UTC; a noncurrent version's days count from the
 * creation of the version that replaced it. When several rules apply, the one that falls due
 * first wins, the first listed on a tie.
 */
public record LifecycleConfiguration(List<LifecycleRule> rules) {
    private static final long SECONDS_PER_DAY = 86_400;

    public LifecycleConfiguration {
        rules = List.copyOf(rules);
    }

    /**
     * When the current version of an object of this key, size, tags and creation time expires, and
     * under which rule; null when no enabled {@code Expiration} with {@code Days} or {@code Date}
     * applies to it.
     */
    public Due expiration(String key, long size, Map<String, String> tags, Instant created) {
        Due earliest = null;
        for (LifecycleRule rule : rules) {
            LifecycleRule.Expiration expiration = rule.expiration();
            if (expiration == null || !rule.appliesTo(key, size, tags)) {
                continue;
            }
            if (expiration.days() != null) {
                earliest = earlier(earliest, after(created, expiration.days()), rule);
            } else if (expiration.date() != null) {
                earliest = earlier(earliest, expiration.date(), rule);
            }
        }
        return earliest;
    }

    /**
     * When an incomplete multipart upload of {@code key}, initiated then, is aborted, and under
     * which rule; null when no enabled rule with {@code AbortIncompleteMultipartUpload} applies.
     * Such a rule selects by key prefix only (S3 refuses it with tags or sizes).
     */
    public Due abortIncompleteMultipartUpload(String key, Instant initiated) {
        Due earliest = null;
        for (LifecycleRule rule : rules) {
            Integer days = rule.abortIncompleteMultipartUploadDays();
            if (days != null && rule.enabled() && key.startsWith(rule.keyPrefix())) {
                earliest = earlier(earliest, after(initiated, days), rule);
            }
        }
        return earliest;
    }

    /**
     * What falls due for one key at {@code now}, given its versions newest first (the first is
     * the current one, which may be a delete marker):
     * <ul>
     * <li>the current version expires (an object, not a delete marker) under {@code Expiration},
     *     unless that would delete a version under object lock for good;</li>
     * <li>each noncurrent version (delete markers among them) goes under
     *     {@code NoncurrentVersionExpiration}, its days counted from its successor's creation,
     *     unless it is one of the {@code NewerNoncurrentVersions} kept or under object lock;</li>
     * <li>a current delete marker with no noncurrent version left beneath it (also when all of
     *     them go now) goes under {@code ExpiredObjectDeleteMarker} at the midnight after its
     *     creation, or under {@code Expiration} {@code Days} once it is that old.</li>
     * </ul>
     * Each version gets at most one action. Noncurrent versions come first in the list, the
     * current version's action last.
     */
    public List<LifecycleAction> actions(String key, List<KeyVersion> versions, BucketVersioning versioning,
                                         Instant now) {
        List<LifecycleAction> actions = new ArrayList<>();
        if (versions.isEmpty()) {
            return actions;
        }
        boolean everyNoncurrentGoes = true;
        for (int i = 1; i < versions.size(); i++) {
            KeyVersion version = versions.get(i);
            Due due = noncurrentExpiration(key, version, versions.get(i - 1).created(), i - 1);
            if (due != null && !due.at().isAfter(now) && !version.locked()) {
                actions.add(new LifecycleAction.DeleteNoncurrentVersion(version.versionId(), due.ruleId()));
            } else {
                everyNoncurrentGoes = false;
            }
        }
        KeyVersion current = versions.get(0);
        if (current.deleteMarker()) {
            if (everyNoncurrentGoes) {
                Due due = deleteMarkerExpiration(key, current.created());
                if (due != null && !due.at().isAfter(now)) {
                    actions.add(new LifecycleAction.RemoveDeleteMarker(current.versionId(), due.ruleId()));
                }
            }
            return actions;
        }
        Due due = expiration(key, current.size(), current.tags(), current.created());
        boolean forGood = versioning == BucketVersioning.UNVERSIONED
                || versioning == BucketVersioning.SUSPENDED && KeyVersion.NULL.equals(current.versionId());
        if (due != null && !due.at().isAfter(now) && !(forGood && current.locked())) {
            actions.add(new LifecycleAction.ExpireCurrentVersion(current.versionId(), due.ruleId()));
        }
        return actions;
    }

    /**
     * The smallest set of key prefixes under which every object an enabled rule could expire
     * lies: a storage scan over these key ranges sees every candidate. Empty when no enabled rule
     * acts on objects; {@code [""]} when one may act on any key.
     */
    public List<String> objectKeyPrefixes() {
        TreeSet<String> prefixes = new TreeSet<>();
        for (LifecycleRule rule : rules) {
            if (rule.enabled() && (rule.expiration() != null || rule.noncurrentVersionExpiration() != null)) {
                prefixes.add(rule.keyPrefix());
            }
        }
        List<String> minimal = new ArrayList<>();
        for (String prefix : prefixes) {
            if (minimal.isEmpty() || !prefix.startsWith(minimal.get(minimal.size() - 1))) {
                minimal.add(prefix);
            }
        }
        return minimal;
    }

    /** Whether any enabled rule aborts incomplete multipart uploads. */
    public boolean abortsUploads() {
        for (LifecycleRule rule : rules) {
            if (rule.enabled() && rule.abortIncompleteMultipartUploadDays() != null) {
                return true;
            }
        }
        return false;
    }

    private Due noncurrentExpiration(String key, KeyVersion version, Instant noncurrentSince, int newerNoncurrent) {
        Due earliest = null;
        for (LifecycleRule rule : rules) {
            LifecycleRule.NoncurrentVersionExpiration expiration = rule.noncurrentVersionExpiration();
            if (expiration == null || !rule.appliesTo(key, version.size(), version.tags())) {
                continue;
            }
            Integer kept = expiration.newerNoncurrentVersions();
            if (kept != null && newerNoncurrent < kept) {
                continue;
            }
            earliest = earlier(earliest, after(noncurrentSince, expiration.noncurrentDays()), rule);
        }
        return earliest;
    }

    private Due deleteMarkerExpiration(String key, Instant created) {
        Due earliest = null;
        for (LifecycleRule rule : rules) {
            LifecycleRule.Expiration expiration = rule.expiration();
            if (expiration == null || !rule.appliesTo(key, 0, Map.of())) {
                continue;
            }
            if (Boolean.TRUE.equals(expiration.expiredObjectDeleteMarker())) {
                earliest = earlier(earliest, after(created, 0), rule);
            } else if (expiration.days() != null) {
                earliest = earlier(earliest, after(created, expiration.days()), rule);
            }
        }
        return earliest;
    }

    private static Due earlier(Due best, Instant at, LifecycleRule rule) {
        return best == null || at.isBefore(best.at()) ? new Due(at, rule.id()) : best;
    }

    /**
     * {@code days} after {@code from}, rounded up to the next midnight UTC, as S3 counts a rule's
     * days (a time already at midnight stays).
     */
    static Instant after(Instant from, int days) {
        Instant time = from.plus(Duration.ofDays(days));
        long seconds = time.getEpochSecond();
        long intoDay = Math.floorMod(seconds, SECONDS_PER_DAY);
        if (intoDay == 0 && time.getNano() == 0) {
            return time;
        }
        return Instant.ofEpochSecond(seconds - intoDay + SECONDS_PER_DAY);
    }

    /** When an action falls due, and the ID of the rule that sets it. */
    public record Due(Instant at, String ruleId) {
    }
}
