package io.github.s3ite.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ranged reads of large values through a bucket file with a range cache: what they keep, that
 * what they keep is served without reading the file again, and that every write drops it.
 */
class RangeCacheBucketFileTest {
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path dir;

    private final AtomicLong held = new AtomicLong();
    private RangeCache cache;
    private BucketFile bucket;
    private Path file;

    @BeforeEach
    void open() {
        cache = new RangeCache(64L * MIB, bytes -> {
            held.addAndGet(bytes);
            return true;
        }, bytes -> held.addAndGet(-bytes));
        file = dir.resolve("big.sqlite3");
        bucket = BucketFile.open("big", file, false, false, cache);
    }

    @AfterEach
    void close() {
        bucket.close();
        assertEquals(0, held.get(), "a closed bucket file holds nothing of the budget");
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private ObjectInfo put(String key, byte[] value) {
        return bucket.putObject(new NewObject(key, value, Map.of(), ObjectHeaders.NONE, null, Map.of()),
                WriteCondition.NONE);
    }

    /** A read of {@code range}; {@code reserved} is told what the read reserves in the request's budget. */
    private static ObjectRead read(String key, String versionId, ByteRange range, List<Long> reserved) {
        return new ObjectRead(key, versionId, ReadConditions.NONE, range, true, reserved::add);
    }

    private byte[] range(String key, long first, long last) {
        return ((ObjectContent) bucket.getObject(read(key, null, new ByteRange.FromTo(first, last), new ArrayList<>())))
                .bytes();
    }

    /** Overwrites the value of {@code key} in the file behind the bucket file's back. */
    private void overwriteBehindItsBack(String key, byte[] value) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             PreparedStatement statement = connection.prepareStatement("UPDATE data SET value = ? WHERE key = ?")) {
            statement.setBytes(1, value);
            statement.setString(2, key);
            assertEquals(1, statement.executeUpdate());
        }
    }

    @Test
    void aRangeOfALargeValueKeepsTheWholeValueAndLaterRangesAreServedWithoutReadingTheFile() throws Exception {
        byte[] value = random(3 * MIB, 1);
        put("k", value);
        List<Long> reserved = new ArrayList<>();
        ObjectContent first = (ObjectContent) bucket.getObject(read("k", null, new ByteRange.FromTo(10, 109), reserved));
        assertArrayEquals(Arrays.copyOfRange(value, 10, 110), first.bytes());
        assertEquals(List.of(100L), reserved, "the request reserves its range; the cache holds the value");
        assertEquals(3L * MIB, held.get());
        assertEquals(List.of("k"), cache.keys(bucket));

        overwriteBehindItsBack("k", random(3 * MIB, 2));
        assertArrayEquals(Arrays.copyOfRange(value, 2 * MIB, 2 * MIB + 5), range("k", 2 * MIB, 2 * MIB + 4));
        ObjectContent suffix = (ObjectContent) bucket.getObject(read("k", null, new ByteRange.Suffix(7), reserved));
        assertArrayEquals(Arrays.copyOfRange(value, 3 * MIB - 7, 3 * MIB), suffix.bytes());
        ObjectContent whole = (ObjectContent) bucket.getObject(read("k", null, ByteRange.WHOLE, reserved));
        assertArrayEquals(value, whole.bytes());
        whole.bytes()[0]++;
        assertArrayEquals(Arrays.copyOfRange(value, 0, 3), range("k", 0, 2), "an answer is a copy, never the cached value");
    }

    @Test
    void aWholeReadOrASmallValueKeepsNothing() {
        put("big", random(3 * MIB, 1));
        put("small", random(MIB, 2));
        bucket.getObject(read("big", null, ByteRange.WHOLE, new ArrayList<>()));
        range("small", 0, 9);
        assertEquals(List.of(), cache.keys(bucket));
        assertEquals(0, held.get());
    }

    @Test
    void everyWriteToTheKeyDropsItsValue() {
        byte[] value = random(2 * MIB, 1);
        put("k", value);
        put("other", random(2 * MIB, 3));
        range("k", 0, 0);
        range("other", 0, 0);

        byte[] replaced = random(2 * MIB, 2);
        put("k", replaced);
        assertEquals(List.of("other"), cache.keys(bucket), "a write to one key leaves the others' values");
        assertArrayEquals(Arrays.copyOfRange(replaced, MIB, MIB + 10), range("k", MIB, MIB + 9));

        bucket.putTags("k", Map.of("a", "b"));
        ObjectContent tagged = (ObjectContent) bucket.getObject(read("k", null, new ByteRange.FromTo(0, 0), new ArrayList<>()));
        assertEquals(Map.of("a", "b"), tagged.info().tags(), "the description is read again with the value");

        bucket.deleteObject("k", null);
        S3Exception gone = assertThrows(S3Exception.class, () -> range("k", 0, 0));
        assertEquals(S3ErrorCode.NO_SUCH_KEY, gone.error());
        assertEquals(List.of("other"), cache.keys(bucket));

        bucket.deleteObjects(List.of(new BucketFile.ObjectToDelete("other", null)));
        assertEquals(List.of(), cache.keys(bucket));
        assertEquals(0, held.get());
    }

    @Test
    void clearingTheBucketDropsEveryValue() {
        put("k", random(2 * MIB, 1));
        range("k", 0, 0);
        bucket.clear();
        assertEquals(List.of(), cache.keys(bucket));
        assertEquals(S3ErrorCode.NO_SUCH_KEY, assertThrows(S3Exception.class, () -> range("k", 0, 0)).error());
    }

    @Test
    void aNonCurrentVersionIsKeptByItsVersionIdAndSurvivesANewerVersion() throws Exception {
        bucket.setVersioning(new Versioning(Versioning.Status.ENABLED, null));
        byte[] first = random(2 * MIB, 1);
        String v1 = put("k", first).versionId();
        byte[] second = random(2 * MIB, 2);
        String v2 = put("k", second).versionId();
        ObjectContent old = (ObjectContent) bucket.getObject(read("k", v1, new ByteRange.FromTo(5, 9), new ArrayList<>()));
        assertArrayEquals(Arrays.copyOfRange(first, 5, 10), old.bytes());
        assertEquals(v1, old.info().versionId());
        assertArrayEquals(Arrays.copyOfRange(second, 5, 10), range("k", 5, 9));
        assertEquals(List.of("k?versionId=" + v1, "k"), cache.keys(bucket));
        ObjectContent current = (ObjectContent) bucket.getObject(read("k", v2, new ByteRange.FromTo(0, 1), new ArrayList<>()));
        assertArrayEquals(Arrays.copyOfRange(second, 0, 2), current.bytes());

        bucket.deleteObject("k", v1);
        assertEquals(S3ErrorCode.NO_SUCH_VERSION, assertThrows(S3Exception.class,
                () -> bucket.getObject(read("k", v1, new ByteRange.FromTo(0, 0), new ArrayList<>()))).error());
        assertArrayEquals(Arrays.copyOfRange(second, 7, 8), range("k", 7, 7));
    }

    @Test
    void partsOfAMultipartObjectAreServedFromItsValueWithTheirBoundaries() {
        String uploadId = bucket.createMultipartUpload("mp", Map.of(), ObjectHeaders.NONE, Map.of(), null, null, null)
                .uploadId();
        byte[][] parts = {random(5 * MIB, 1), random(5 * MIB, 2), random(2 * MIB, 3)};
        List<CompletedPart> completed = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            PartInfo part = bucket.uploadPart(uploadId, "mp", i + 1, parts[i], null);
            completed.add(new CompletedPart(i + 1, part.etag(), null));
        }
        bucket.completeMultipartUpload(uploadId, "mp", completed, WriteCondition.NONE, null);
        ObjectPartContent second = (ObjectPartContent) bucket.getObject(read("mp", null, new ByteRange.Part(2),
                new ArrayList<>()));
        assertArrayEquals(parts[1], second.bytes());
        assertEquals(List.of("mp"), cache.keys(bucket));
        for (int number = 1; number <= 3; number++) {
            ObjectPartContent part = (ObjectPartContent) bucket.getObject(read("mp", null, new ByteRange.Part(number),
                    new ArrayList<>()));
            assertEquals(3, part.partsCount());
            assertEquals(number, part.part().partNumber());
            assertArrayEquals(parts[number - 1], part.bytes());
        }
        assertEquals(S3ErrorCode.INVALID_PART_NUMBER, assertThrows(S3Exception.class,
                () -> bucket.getObject(read("mp", null, new ByteRange.Part(4), new ArrayList<>()))).error());
        byte[] across = range("mp", 5L * MIB - 3, 5L * MIB + 2);
        byte[] expected = new byte[6];
        System.arraycopy(parts[0], 5 * MIB - 3, expected, 0, 3);
        System.arraycopy(parts[1], 0, expected, 3, 3);
        assertArrayEquals(expected, across);
    }

    @Test
    void aCachedValueAnswersHeadAndConditionsAsTheFileWould() {
        ObjectInfo stored = put("k", random(2 * MIB, 1));
        range("k", 0, 0);
        ReadResult head = bucket.getObject(new ObjectRead("k", null, ReadConditions.NONE, new ByteRange.FromTo(0, 99),
                false, length -> { }));
        assertEquals(100, ((ObjectContent) head).slice().length());
        assertEquals(0, ((ObjectContent) head).bytes().length);
        ReadResult notModified = bucket.getObject(new ObjectRead("k", null,
                new ReadConditions(null, "\"" + stored.etag() + "\"", null, null, false), ByteRange.WHOLE, true, length -> { }));
        assertInstanceOf(ReadResult.NotModified.class, notModified);
        assertEquals(S3ErrorCode.PRECONDITION_FAILED, assertThrows(S3Exception.class, () -> bucket.getObject(
                new ObjectRead("k", null, new ReadConditions("\"other\"", null, null, null, false), ByteRange.WHOLE, true,
                        length -> { }))).error());
        assertEquals(S3ErrorCode.INVALID_RANGE, assertThrows(S3Exception.class, () -> range("k", 2 * MIB, 2 * MIB + 1))
                .error());
    }

    @Test
    void aRangeReadAfterAWriteReturnedNeverSeesAnOlderValueWhileOthersKeepReadingIntoTheCache() throws Exception {
        int size = 2 * MIB;
        java.util.concurrent.atomic.AtomicInteger written = new java.util.concurrent.atomic.AtomicInteger();
        byte[] first = new byte[size];
        put("k", first);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            int reader = r;
            Thread thread = new Thread(() -> {
                int round = 0;
                while (!done.get()) {
                    int atLeast = written.get();
                    long offset = (long) (round++ * 7919 + reader * 104729) % (size - 100);
                    byte[] bytes = range("k", offset, offset + 99);
                    for (byte b : bytes) {
                        if (b != bytes[0]) {
                            problems.add("a range mixing two values");
                        }
                    }
                    if ((bytes[0] & 0xff) < atLeast) {
                        problems.add("value " + bytes[0] + " read after value " + atLeast + " was written");
                    }
                }
            });
            thread.start();
            readers.add(thread);
        }
        try {
            for (int i = 1; i <= 30; i++) {
                byte[] value = new byte[size];
                Arrays.fill(value, (byte) i);
                put("k", value);
                written.set(i);
                assertEquals(i, range("k", size - 1, size - 1)[0], "read after the write returned");
            }
        } finally {
            done.set(true);
            for (Thread thread : readers) {
                thread.join();
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void concurrentFirstRangesOfOneObjectKeepItOnce() throws Exception {
        byte[] value = random(4 * MIB, 5);
        put("k", value);
        List<Thread> readers = new ArrayList<>();
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int r = 0; r < 6; r++) {
            long offset = r * 600_000L;
            Thread thread = new Thread(() -> {
                if (!Arrays.equals(Arrays.copyOfRange(value, (int) offset, (int) offset + 1000),
                        range("k", offset, offset + 999))) {
                    problems.add("wrong bytes at " + offset);
                }
            });
            thread.start();
            readers.add(thread);
        }
        for (Thread thread : readers) {
            thread.join();
        }
        assertEquals(List.of(), problems);
        assertEquals(List.of("k"), cache.keys(bucket));
        assertEquals(4L * MIB, held.get());
    }

    @Test
    void aRequestRefusedForMemoryKeepsNothingHeld() {
        put("k", random(2 * MIB, 1));
        assertThrows(S3Exception.class, () -> bucket.getObject(new ObjectRead("k", null, ReadConditions.NONE,
                new ByteRange.FromTo(0, 9), true, length -> {
                    throw new S3Exception(S3ErrorCode.SLOW_DOWN);
                })));
        assertEquals(0, held.get());
    }
}
