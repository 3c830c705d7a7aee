package io.github.s3ite.server.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3ite.server.lifecycle.LifecycleAction.DeleteNoncurrentVersion;
import io.github.s3ite.server.lifecycle.LifecycleAction.ExpireCurrentVersion;
import io.github.s3ite.server.lifecycle.LifecycleAction.RemoveDeleteMarker;
import io.github.s3ite.server.lifecycle.LifecycleConfiguration.Due;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure lifecycle decisions: when things fall due, which rule wins, what each action leaves alone. */
class LifecycleConfigurationTest {
    private static final Instant T0 = Instant.parse("2014-01-15T10:30:00Z");

    private static LifecycleRule rule(String id, LifecycleFilter filter, LifecycleRule.Expiration expiration,
                                      LifecycleRule.NoncurrentVersionExpiration noncurrent, Integer abortDays) {
        return new LifecycleRule(id, true, null, filter, expiration, List.of(), List.of(), noncurrent, abortDays);
    }

    private static LifecycleFilter prefix(String prefix) {
        return new LifecycleFilter(prefix, List.of(), null, null, false);
    }

    private static LifecycleRule.Expiration days(int days) {
        return new LifecycleRule.Expiration(days, null, null);
    }

    private static LifecycleConfiguration of(LifecycleRule... rules) {
        return new LifecycleConfiguration(List.of(rules));
    }

    private static KeyVersion object(String versionId, Instant created) {
        return new KeyVersion(versionId, false, 10, Map.of(), created, false);
    }

    private static KeyVersion marker(String versionId, Instant created) {
        return new KeyVersion(versionId, true, 0, Map.of(), created, false);
    }

    @Test
    void daysAreAddedToTheCreationTimeAndRoundedUpToTheNextMidnightUtc() {
        assertEquals(Instant.parse("2014-01-19T00:00:00Z"), LifecycleConfiguration.after(T0, 3));
        assertEquals(Instant.parse("2014-01-04T00:00:00Z"),
                LifecycleConfiguration.after(Instant.parse("2014-01-02T00:05:00Z"), 1));
        assertEquals(Instant.parse("2014-01-03T00:00:00Z"),
                LifecycleConfiguration.after(Instant.parse("2014-01-02T00:00:00Z"), 1));
        assertEquals(Instant.parse("2014-01-03T00:00:00Z"),
                LifecycleConfiguration.after(Instant.parse("2014-01-02T00:00:00.001Z"), 0));
    }

    @Test
    void theCurrentVersionExpiresOnceItsRuleFallsDueAndNotBefore() {
        LifecycleConfiguration configuration = of(rule("r", prefix("logs/"), days(3), null, null));
        List<KeyVersion> versions = List.of(object("null", T0));
        assertEquals(List.of(), configuration.actions("logs/a", versions, BucketVersioning.UNVERSIONED,
                Instant.parse("2014-01-18T23:59:59Z")));
        assertEquals(List.of(new ExpireCurrentVersion("null", "r")), configuration.actions("logs/a", versions,
                BucketVersioning.UNVERSIONED, Instant.parse("2014-01-19T00:00:00Z")));
        assertEquals(List.of(), configuration.actions("data/a", versions, BucketVersioning.UNVERSIONED,
                Instant.parse("2030-01-01T00:00:00Z")));
    }

    @Test
    void theEarliestRuleWinsAndTheFirstListedOnATie() {
        Instant date = Instant.parse("2014-01-17T00:00:00Z");
        LifecycleConfiguration configuration = of(
                rule("late", prefix(""), days(30), null, null),
                rule("dated", prefix("a"), new LifecycleRule.Expiration(null, date, null), null, null),
                rule("same-day", prefix("a"), days(1), null, null));
        assertEquals(new Due(Instant.parse("2014-01-17T00:00:00Z"), "dated"),
                configuration.expiration("abc", 1, Map.of(), T0));
        assertEquals(new Due(Instant.parse("2014-02-15T00:00:00Z"), "late"),
                configuration.expiration("b", 1, Map.of(), T0));
    }

    @Test
    void aDisabledRuleAndADeleteMarkerRuleSetNoExpiration() {
        LifecycleConfiguration configuration = of(
                new LifecycleRule("off", false, "", null, days(1), List.of(), List.of(), null, null),
                rule("markers", prefix(""), new LifecycleRule.Expiration(null, null, true), null, null));
        assertNull(configuration.expiration("k", 1, Map.of(), T0));
    }

    @Test
    void tagAndSizeFiltersSelectExactlyTheirObjects() {
        LifecycleFilter filter = new LifecycleFilter("tmp/", List.of(new LifecycleFilter.Tag("class", "scratch"),
                new LifecycleFilter.Tag("empty", null)), 100L, 1000L, true);
        LifecycleConfiguration configuration = of(rule("r", filter, days(1), null, null));
        Map<String, String> tags = Map.of("class", "scratch", "empty", "", "other", "x");
        assertTrue(configuration.expiration("tmp/a", 500, tags, T0) != null);
        assertNull(configuration.expiration("tmp/a", 100, tags, T0));
        assertNull(configuration.expiration("tmp/a", 1000, tags, T0));
        assertNull(configuration.expiration("tmp/a", 500, Map.of("class", "scratch", "empty", "x"), T0));
        assertNull(configuration.expiration("tmp/a", 500, Map.of("class", "scratch"), T0));
        assertNull(configuration.expiration("keep/a", 500, tags, T0));
    }

    @Test
    void noncurrentVersionsCountTheirDaysFromTheirSuccessorsCreation() {
        LifecycleConfiguration configuration = of(rule("r", LifecycleFilter.ALL, null,
                new LifecycleRule.NoncurrentVersionExpiration(5, null), null));
        Instant replaced = Instant.parse("2014-01-02T11:30:00Z");
        List<KeyVersion> versions = List.of(object("v2", replaced), object("v1", Instant.parse("2013-01-01T00:00:00Z")));
        assertEquals(List.of(), configuration.actions("photo.gif", versions, BucketVersioning.ENABLED,
                Instant.parse("2014-01-07T23:59:59Z")));
        assertEquals(List.of(new DeleteNoncurrentVersion("v1", "r")), configuration.actions("photo.gif", versions,
                BucketVersioning.ENABLED, Instant.parse("2014-01-08T00:00:00Z")));
    }

    @Test
    void newerNoncurrentVersionsKeepTheNewestWhateverTheirAge() {
        LifecycleConfiguration configuration = of(rule("r", LifecycleFilter.ALL, null,
                new LifecycleRule.NoncurrentVersionExpiration(1, 2), null));
        List<KeyVersion> versions = List.of(object("v5", T0), object("v4", T0), object("v3", T0), object("v2", T0),
                object("v1", T0));
        assertEquals(List.of(new DeleteNoncurrentVersion("v2", "r"), new DeleteNoncurrentVersion("v1", "r")),
                configuration.actions("k", versions, BucketVersioning.ENABLED, T0.plusSeconds(86_400 * 10)));
    }

    @Test
    void lockedVersionsAreNeverDeletedForGood() {
        LifecycleConfiguration configuration = of(rule("r", LifecycleFilter.ALL, days(1),
                new LifecycleRule.NoncurrentVersionExpiration(1, null), null));
        Instant later = T0.plusSeconds(86_400 * 10);
        KeyVersion lockedOld = new KeyVersion("v1", false, 1, Map.of(), T0, true);
        KeyVersion lockedCurrent = new KeyVersion("v2", false, 1, Map.of(), T0, true);
        assertEquals(List.of(new ExpireCurrentVersion("v2", "r")), configuration.actions("k",
                List.of(lockedCurrent, lockedOld), BucketVersioning.ENABLED, later),
                "a delete marker hides a locked current version; its noncurrent locked version stays");
        KeyVersion lockedNull = new KeyVersion("null", false, 1, Map.of(), T0, true);
        assertEquals(List.of(), configuration.actions("k", List.of(lockedNull), BucketVersioning.SUSPENDED, later));
        assertEquals(List.of(new ExpireCurrentVersion("null", "r")), configuration.actions("k",
                List.of(object("null", T0)), BucketVersioning.SUSPENDED, later));
    }

    @Test
    void aLoneDeleteMarkerGoesUnderExpiredObjectDeleteMarkerOrOnceItIsOldEnoughForDays() {
        Instant created = Instant.parse("2014-01-02T10:00:00Z");
        LifecycleConfiguration markers = of(rule("m", LifecycleFilter.ALL,
                new LifecycleRule.Expiration(null, null, true), null, null));
        assertEquals(List.of(), markers.actions("k", List.of(marker("d", created)), BucketVersioning.ENABLED,
                Instant.parse("2014-01-02T23:59:59Z")));
        assertEquals(List.of(new RemoveDeleteMarker("d", "m")), markers.actions("k", List.of(marker("d", created)),
                BucketVersioning.ENABLED, Instant.parse("2014-01-03T00:00:00Z")));
        assertEquals(List.of(), markers.actions("k", List.of(marker("d", created), object("v1", T0)),
                BucketVersioning.ENABLED, Instant.parse("2015-01-01T00:00:00Z")), "not while a version is beneath it");

        LifecycleConfiguration byDays = of(rule("d", LifecycleFilter.ALL, days(3), null, null));
        assertEquals(List.of(), byDays.actions("k", List.of(marker("d", created)), BucketVersioning.ENABLED,
                Instant.parse("2014-01-05T23:59:59Z")));
        assertEquals(List.of(new RemoveDeleteMarker("d", "d")), byDays.actions("k", List.of(marker("d", created)),
                BucketVersioning.ENABLED, Instant.parse("2014-01-06T00:00:00Z")));
        LifecycleConfiguration disabled = of(new LifecycleRule("m", false, null, LifecycleFilter.ALL,
                new LifecycleRule.Expiration(null, null, true), List.of(), List.of(), null, null));
        assertEquals(List.of(), disabled.actions("k", List.of(marker("d", created)), BucketVersioning.ENABLED,
                Instant.parse("2015-01-01T00:00:00Z")));
    }

    @Test
    void aDeleteMarkerWhoseVersionsAllGoNowGoesWithThem() {
        LifecycleConfiguration configuration = of(rule("r", LifecycleFilter.ALL,
                new LifecycleRule.Expiration(null, null, true), new LifecycleRule.NoncurrentVersionExpiration(1, null),
                null));
        List<KeyVersion> versions = List.of(marker("d", T0), object("v1", T0.minusSeconds(60)));
        assertEquals(List.of(new DeleteNoncurrentVersion("v1", "r"), new RemoveDeleteMarker("d", "r")),
                configuration.actions("k", versions, BucketVersioning.ENABLED, T0.plusSeconds(86_400 * 2)));
    }

    @Test
    void incompleteUploadsAreAbortedByKeyPrefixAfterTheirDays() {
        LifecycleConfiguration configuration = of(rule("abort", prefix("uploads/"), null, null, 2),
                rule("sooner", prefix("uploads/big/"), null, null, 1));
        assertEquals(new Due(Instant.parse("2014-01-18T00:00:00Z"), "abort"),
                configuration.abortIncompleteMultipartUpload("uploads/a", T0));
        assertEquals(new Due(Instant.parse("2014-01-17T00:00:00Z"), "sooner"),
                configuration.abortIncompleteMultipartUpload("uploads/big/a", T0));
        assertNull(configuration.abortIncompleteMultipartUpload("other/a", T0));
        assertTrue(configuration.abortsUploads());
        assertFalse(of(rule("x", LifecycleFilter.ALL, days(1), null, null)).abortsUploads());
    }

    @Test
    void theKeyRangesToScanAreTheSmallestSetCoveringEveryRule() {
        assertEquals(List.of("a/", "b"), of(rule("1", prefix("a/"), days(1), null, null),
                rule("2", prefix("a/b/"), days(1), null, null), rule("3", prefix("b"), days(1), null, null),
                rule("4", prefix("c"), null, null, 1)).objectKeyPrefixes());
        assertEquals(List.of(""), of(rule("1", prefix("a/"), days(1), null, null), rule("2",
                new LifecycleFilter(null, List.of(new LifecycleFilter.Tag("k", "v")), null, null, false), days(1),
                null, null)).objectKeyPrefixes());
    }
}
