package io.github.s3ite.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The range cache's own rules: what it admits, how it holds and gives back budget, what a write drops. */
class RangeCacheTest {
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path dir;

    /** A budget of 64 MiB, as MemoryBudget#tryHold and #releaseHeld keep it. */
    private final AtomicLong budget = new AtomicLong();
    private static final long LIMIT = 64L * MIB;
    private RangeCache cache;
    private BucketFile bucket;
    private BucketFile other;

    @BeforeEach
    void open() {
        cache = new RangeCache(32L * MIB, bytes -> {
            if (budget.get() + bytes > LIMIT) {
                return false;
            }
            budget.addAndGet(bytes);
            return true;
        }, bytes -> budget.addAndGet(-bytes));
        bucket = BucketFile.open("one", dir.resolve("one.sqlite3"), false, false, cache);
        other = BucketFile.open("two", dir.resolve("two.sqlite3"), false, false, cache);
    }

    @AfterEach
    void close() {
        bucket.close();
        other.close();
    }

    private static ObjectInfo info(String key, long size, String versionId) {
        return new ObjectInfo(key, size, "etag", "md5", Instant.EPOCH, Map.of(), ObjectHeaders.NONE, null, 0, Map.of(),
                versionId, false);
    }

    /** Caches a value of {@code size} bytes of the current version of {@code key}, and unpins it. */
    private RangeCache.Entry load(BucketFile in, String key, int size) {
        RangeCache.Load load = cache.begin(in, key, "null", true, size);
        assertNotNull(load, "admitted");
        RangeCache.Entry entry = load.complete(info(key, size, "null"), true, List.of(), new byte[size], () -> true);
        cache.unpin(entry);
        return entry;
    }

    @Test
    void onlyValuesLargerThanOneMibAndNoLargerThanTheCapacityAreAdmitted() {
        assertNull(cache.begin(bucket, "small", "null", true, MIB));
        assertNull(cache.begin(bucket, "huge", "null", true, 32L * MIB + 1));
        assertNull(RangeCache.OFF.begin(bucket, "any", "null", true, 2 * MIB));
        RangeCache.Load load = cache.begin(bucket, "fits", "null", true, 32L * MIB);
        assertNotNull(load);
        load.abandon();
        assertEquals(0, budget.get());
    }

    @Test
    void aValueHoldsItsBytesInTheBudgetFromTheStartOfItsReadUntilItIsDropped() {
        RangeCache.Load load = cache.begin(bucket, "k", "null", true, 10 * MIB);
        assertEquals(10L * MIB, budget.get());
        assertEquals(10L * MIB, cache.bytes());
        cache.unpin(load.complete(info("k", 10 * MIB, "null"), true, List.of(), new byte[10 * MIB], () -> true));
        assertEquals(10L * MIB, budget.get());
        RangeCache.Entry found = cache.find(bucket, "k", null);
        assertNotNull(found);
        cache.unpin(found);
        assertSame(found, cache.find(bucket, "k", "null"), "the current version is found by its version id too");
        cache.unpin(found);
        cache.written(bucket, List.of("k"));
        assertNull(cache.find(bucket, "k", null));
        assertEquals(0, budget.get());
        assertEquals(0, cache.bytes());
    }

    @Test
    void aValueIsNotCachedWhenTheBudgetHasNoRoomAndTheCacheTakesNothingFromRequests() {
        budget.set(LIMIT - 5 * MIB);
        assertNull(cache.begin(bucket, "k", "null", true, 10 * MIB));
        assertEquals(LIMIT - 5 * MIB, budget.get());
    }

    @Test
    void theCacheEvictsItsLeastRecentlyUsedValuesToStayWithinItsCapacity() {
        load(bucket, "a", 12 * MIB);
        load(bucket, "b", 12 * MIB);
        cache.unpin(cache.find(bucket, "a", null));
        load(bucket, "c", 12 * MIB);
        assertEquals(List.of("a", "c"), cache.keys(bucket));
        assertEquals(24L * MIB, budget.get());
    }

    @Test
    void reclaimGivesBackLeastRecentlyUsedValuesFirst() {
        load(bucket, "a", 10 * MIB);
        load(other, "b", 10 * MIB);
        load(bucket, "c", 10 * MIB);
        assertEquals(10L * MIB, cache.reclaim(MIB));
        assertEquals(List.of("c"), cache.keys(bucket));
        assertEquals(1, cache.keys(other).size());
        assertEquals(20L * MIB, cache.reclaim(Long.MAX_VALUE));
        assertEquals(0, budget.get());
        assertEquals(0, cache.reclaim(MIB));
    }

    @Test
    void aValueBeingCopiedFromGivesItsBytesBackWhenTheCopyIsDone() {
        load(bucket, "a", 10 * MIB);
        RangeCache.Entry reading = cache.find(bucket, "a", null);
        assertEquals(0, cache.reclaim(MIB), "nothing can be given back at once");
        assertNull(cache.find(bucket, "a", null), "but the value is gone from the cache");
        assertEquals(10L * MIB, budget.get());
        cache.unpin(reading);
        assertEquals(0, budget.get());
    }

    @Test
    void aValueReadWhileTheBucketWasWrittenIsNotKept() {
        RangeCache.Load load = cache.begin(bucket, "k", "null", true, 2 * MIB);
        RangeCache.Entry entry = load.complete(info("k", 2 * MIB, "null"), true, List.of(), new byte[2 * MIB], () -> false);
        assertEquals(2L * MIB, budget.get(), "held while the reader copies from it");
        cache.unpin(entry);
        assertNull(cache.find(bucket, "k", null));
        assertEquals(0, budget.get());
    }

    @Test
    void aWriteToTheKeyBeingReadMeanwhileCancelsItsCaching() {
        RangeCache.Load load = cache.begin(bucket, "k", "null", true, 2 * MIB);
        cache.written(bucket, List.of("k"));
        cache.unpin(load.complete(info("k", 2 * MIB, "null"), true, List.of(), new byte[2 * MIB], () -> true));
        assertNull(cache.find(bucket, "k", null));
        assertEquals(0, budget.get());
    }

    @Test
    void reclaimCancelsValuesBeingReadWhenTheCachedOnesDoNotSuffice() {
        RangeCache.Load load = cache.begin(bucket, "k", "null", true, 2 * MIB);
        assertEquals(0, cache.reclaim(MIB));
        cache.unpin(load.complete(info("k", 2 * MIB, "null"), true, List.of(), new byte[2 * MIB], () -> true));
        assertNull(cache.find(bucket, "k", null));
        assertEquals(0, budget.get());
    }

    @Test
    void aWriteDropsOnlyTheValuesOfItsKeysAndOnlyInItsBucket() {
        load(bucket, "a", 2 * MIB);
        load(bucket, "b", 2 * MIB);
        load(other, "a", 2 * MIB);
        cache.written(bucket, List.of("a"));
        assertEquals(List.of("b"), cache.keys(bucket));
        assertEquals(List.of("a"), cache.keys(other));
        cache.written(other, null);
        assertEquals(List.of(), cache.keys(other));
        assertEquals(2L * MIB, budget.get());
    }

    @Test
    void aNonCurrentVersionIsFoundByItsVersionIdOnly() {
        RangeCache.Load load = cache.begin(bucket, "k", "v1", false, 2 * MIB);
        cache.unpin(load.complete(info("k", 2 * MIB, "v1"), false, List.of(), new byte[2 * MIB], () -> true));
        assertNull(cache.find(bucket, "k", null));
        RangeCache.Entry entry = cache.find(bucket, "k", "v1");
        assertNotNull(entry);
        cache.unpin(entry);
        assertNull(cache.find(bucket, "k", "v2"));
    }

    @Test
    void aValueShorterThanItsRecordedSizeIsServedButNeverKept() {
        RangeCache.Load load = cache.begin(bucket, "k", "null", true, 4 * MIB);
        RangeCache.Entry entry = load.complete(info("k", 4 * MIB, "null"), true, List.of(), new byte[3 * MIB], () -> true);
        assertEquals(3 * MIB, entry.value.length);
        cache.unpin(entry);
        assertNull(cache.find(bucket, "k", null));
        assertEquals(0, budget.get());
    }

    @Test
    void closingABucketFileDropsItsValues() {
        load(bucket, "a", 2 * MIB);
        load(other, "b", 2 * MIB);
        bucket.close();
        assertEquals(List.of(), cache.keys(bucket));
        assertEquals(List.of("b"), cache.keys(other));
        assertEquals(2L * MIB, budget.get());
    }
}
