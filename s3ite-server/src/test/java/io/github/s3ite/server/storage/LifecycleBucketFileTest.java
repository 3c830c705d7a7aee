package io.github.s3ite.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.s3ite.server.lifecycle.LifecycleConfiguration;
import io.github.s3ite.server.lifecycle.LifecycleFilter;
import io.github.s3ite.server.lifecycle.LifecycleOutcome;
import io.github.s3ite.server.lifecycle.LifecycleRule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lifecycle rules applied to a bucket file: every key of the ranges read, page after page, and nothing of a read-only file. */
class LifecycleBucketFileTest {
    private static final Instant LATER = Instant.now().plus(10, ChronoUnit.DAYS);

    @TempDir
    Path dir;

    private BucketFile bucket(String name, boolean readOnly) {
        return BucketFile.open(name, dir.resolve(name + ".sqlite3"), readOnly, false);
    }

    private static void put(BucketFile bucket, String key) {
        bucket.putObject(new NewObject(key, key.getBytes(StandardCharsets.UTF_8), Map.of(), null, null, Map.of()),
                WriteCondition.NONE);
    }

    private static LifecycleConfiguration configuration(LifecycleRule.Expiration expiration,
                                                        LifecycleRule.NoncurrentVersionExpiration noncurrent) {
        return new LifecycleConfiguration(List.of(new LifecycleRule("r", true, null, LifecycleFilter.ALL, expiration,
                List.of(), List.of(), noncurrent, null)));
    }

    @Test
    void everyKeyIsSeenAcrossPagesAndAKeyWhoseVersionsStraddleAPageIsJudgedWhole() {
        try (BucketFile bucket = bucket("paged", false)) {
            bucket.setVersioning(new Versioning(Versioning.Status.ENABLED, null));
            for (int i = 0; i < 998; i++) {
                put(bucket, String.format("k%04d", i));
            }
            for (int i = 0; i < 5; i++) {
                put(bucket, "z");
            }
            LifecycleOutcome noncurrent = bucket.applyLifecycle(configuration(null,
                    new LifecycleRule.NoncurrentVersionExpiration(1, 1)), LATER);
            assertEquals(new LifecycleOutcome(0, 3, 0, 0), noncurrent);
            assertEquals(2, bucket.listObjectVersions("z", null, null, null, 1000).versions().size());

            LifecycleOutcome expired = bucket.applyLifecycle(configuration(new LifecycleRule.Expiration(1, null, null),
                    null), LATER);
            assertEquals(new LifecycleOutcome(999, 0, 0, 0), expired);
            assertEquals(0, bucket.listObjects(null, null, null, 1000).objects().size());
        }
    }

    @Test
    void aReadOnlyFileIsNeverWritten() {
        try (BucketFile bucket = bucket("seed", false)) {
            put(bucket, "k");
        }
        try (BucketFile readOnly = bucket("seed", true)) {
            assertEquals(LifecycleOutcome.NONE, readOnly.applyLifecycle(configuration(
                    new LifecycleRule.Expiration(1, null, null), null), LATER));
            assertEquals("k", new String(readOnly.getObject("k").bytes(), StandardCharsets.UTF_8));
        }
    }
}
