package io.github.s3ite.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bucket files on disk: the original's format, listing by key ranges, atomic writes. */
class BucketFileTest {
    @TempDir
    Path dir;

    private BucketFile bucket(String name) {
        return BucketFile.open(name, dir.resolve(name + ".sqlite3"), false, false);
    }

    private static ObjectInfo put(BucketFile bucket, String key, String content) {
        return bucket.putObject(new NewObject(key, content.getBytes(StandardCharsets.UTF_8), Map.of(),
                ObjectHeaders.NONE, null, Map.of()), WriteCondition.NONE);
    }

    private static List<String> all(BucketFile bucket, String prefix, String delimiter, int pageSize) {
        List<String> entries = new ArrayList<>();
        String after = null;
        ListPage page;
        do {
            page = bucket.listObjects(prefix, delimiter, after, pageSize);
            page.objects().forEach(object -> entries.add(object.key()));
            entries.addAll(page.commonPrefixes());
            after = page.lastEntry();
        } while (page.truncated());
        return entries;
    }

    @Test
    void theOriginalTablesAreCreatedWithTheOriginalsExactDdl() throws Exception {
        try (BucketFile ours = bucket("ours")) {
            put(ours, "k", "v");
        }
        Path fixture = dir.resolve("photos.sqlite3");
        try (InputStream in = getClass().getResourceAsStream("/fixtures/original-s3ite/photos.sqlite3")) {
            Files.copy(in, fixture);
        }
        assertEquals(ddl(fixture), ddl(dir.resolve("ours.sqlite3")));
    }

    private static Map<String, String> ddl(Path file) throws Exception {
        Map<String, String> ddl = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT name, sql FROM sqlite_master WHERE name IN"
                     + " ('data', 'multipart_upload', 'multipart_upload_part', 'multipart_upload_unique_upload_id_bucket_key')")) {
            while (rows.next()) {
                ddl.put(rows.getString(1), rows.getString(2));
            }
        }
        assertEquals(4, ddl.size());
        return ddl;
    }

    @Test
    void aFileWeWriteReadsInTheSqlite3Shell() throws Exception {
        try (BucketFile ours = bucket("shell")) {
            put(ours, "docs/readme.txt", "hello");
        }
        Process process = new ProcessBuilder("sqlite3", dir.resolve("shell.sqlite3").toString(),
                "SELECT key, size, md5, metadata IS NULL FROM data").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals("docs/readme.txt|5|5d41402abc4b2a76b9719d911017c592|1", output);
    }

    @Test
    void timestampsAreWrittenAsTheOriginalWritesThem() {
        assertEquals("2023-06-27 10:11:12.123456789+00:00", Timestamps.format(Instant.parse("2023-06-27T10:11:12.123456789Z")));
        assertEquals("2023-06-27 10:11:12.5+00:00", Timestamps.format(Instant.parse("2023-06-27T10:11:12.500Z")));
        assertEquals("2023-06-27 10:11:12.0+00:00", Timestamps.format(Instant.parse("2023-06-27T10:11:12Z")));
        assertEquals(Instant.parse("2023-06-28T00:00:00.000000001Z"), Timestamps.parse("2023-06-28 00:00:00.000000001+00:00"));
        assertEquals(Instant.parse("2023-06-27T10:11:14.020Z"), Timestamps.parse("2023-06-27 10:11:14.02Z"));
    }

    @Test
    void listingPagesThroughCommonPrefixesWithoutRepeatingThem() {
        try (BucketFile bucket = bucket("listing")) {
            for (String key : List.of("a/1", "a/2", "a/3", "b", "c/1", "c/2", "d")) {
                put(bucket, key, key);
            }
            assertEquals(List.of("a/", "b", "c/", "d"), all(bucket, null, "/", 1));
            assertEquals(List.of("a/1", "a/2", "a/3"), all(bucket, "a/", "/", 2));
            ListPage first = bucket.listObjects(null, "/", null, 2);
            assertEquals(List.of("a/"), first.commonPrefixes());
            assertEquals("b", first.objects().get(0).key());
            assertTrue(first.truncated());
        }
    }

    @Test
    void listingIsInUtf8ByteOrderAndTakesWildcardsLiterally() {
        try (BucketFile bucket = bucket("order")) {
            for (String key : List.of("\uD83D\uDE00", "\uE000", "Z", "a", "a%", "a_", "ab")) {
                put(bucket, key, "x");
            }
            assertEquals(List.of("Z", "a", "a%", "a_", "ab", "\uE000", "\uD83D\uDE00"), all(bucket, null, null, 3));
            assertEquals(List.of("a%"), all(bucket, "a%", null, 10));
            assertEquals(List.of("a_"), all(bucket, "a_", null, 10));
            assertEquals(List.of("\uD83D\uDE00"), all(bucket, "\uD83D\uDE00", null, 10));
        }
    }

    @Test
    void successorBoundsEveryStringWithThePrefix() {
        assertEquals("b", KeyRanges.successor("a"));
        assertEquals("a0", KeyRanges.successor("a/"));
        assertEquals("\uE000", KeyRanges.successor("\uD7FF"));
        assertNull(KeyRanges.successor(new String(Character.toChars(Character.MAX_CODE_POINT))));
        assertTrue(KeyRanges.compareUtf8("\uE000", "\uD83D\uDE00") < 0);
    }

    @Test
    void aFailedPreconditionLeavesTheObjectAsItWas() {
        try (BucketFile bucket = bucket("atomic")) {
            ObjectInfo first = put(bucket, "k", "first");
            S3Exception refused = assertThrows(S3Exception.class, () -> bucket.putObject(new NewObject("k",
                    "second".getBytes(StandardCharsets.UTF_8), Map.of(), ObjectHeaders.NONE, null, Map.of()),
                    WriteCondition.ifMatch("\"not-the-etag\"")));
            assertEquals(S3ErrorCode.PRECONDITION_FAILED, refused.error());
            ObjectContent content = bucket.getObject("k");
            assertEquals("first", new String(content.bytes(), StandardCharsets.UTF_8));
            assertEquals(first.etag(), content.info().etag());
        }
    }

    @Test
    void rangesReadOnlyTheirBytes() {
        try (BucketFile bucket = bucket("ranges")) {
            put(bucket, "r", "0123456789");
            ObjectRead range = new ObjectRead("r", null, ReadConditions.NONE, new ByteRange.FromTo(3, 5), true, n -> { });
            assertEquals("345", new String(((ObjectContent) bucket.getObject(range)).bytes(), StandardCharsets.UTF_8));
            assertThrows(S3Exception.class, () -> bucket.getObject("missing"));
        }
    }

    @Test
    void bucketNamesFollowS3sRules() {
        for (String bad : List.of("../x", "a/b", "ABC", "ab", "x".repeat(64), "192.168.1.1", "xn--a-b", "a..b", "-ab",
                "ab-", "a.-b", "bucket-s3alias", "sthree-x")) {
            assertFalse(BucketNames.isValid(bad), bad);
        }
        for (String good : List.of("abc", "my-bucket.v2", "x".repeat(63), "1bucket")) {
            assertTrue(BucketNames.isValid(good), good);
        }
    }

    @Test
    void unfinishedUploadsSurviveClosingTheFile() {
        String uploadId;
        try (BucketFile bucket = bucket("uploads")) {
            uploadId = bucket.createMultipartUpload("video", Map.of("a", "b"), ObjectHeaders.NONE, Map.of(), null, null, "AK")
                    .uploadId();
            bucket.uploadPart(uploadId, "video", 1, "part".getBytes(StandardCharsets.UTF_8), null);
        }
        try (BucketFile bucket = bucket("uploads")) {
            PartsPage parts = bucket.listParts(uploadId, "video", 0, 10);
            assertEquals(1, parts.parts().size());
            assertEquals(Map.of("a", "b"), parts.upload().userMetadata());
            assertThrows(S3Exception.class, () -> bucket.getUpload(uploadId, "another-key"));
        }
    }

    @Test
    void theOriginalsFileOpenedReadOnlyServesEachObjectAsOnePart() throws Exception {
        Path fixture = dir.resolve("photos.sqlite3");
        try (InputStream in = getClass().getResourceAsStream("/fixtures/original-s3ite/photos.sqlite3")) {
            Files.copy(in, fixture);
        }
        try (BucketFile photos = BucketFile.open("photos", fixture, true, false)) {
            ObjectInfo first = photos.listObjects(null, null, null, 1).objects().get(0);
            ObjectPartContent part = (ObjectPartContent) photos.getObject(new ObjectRead(first.key(), null,
                    ReadConditions.NONE, new ByteRange.Part(1), true, n -> { }));
            assertEquals(0, part.partsCount());
            assertEquals(first.size(), part.part().size());
            assertEquals(first.size(), part.bytes().length);
            S3Exception second = assertThrows(S3Exception.class, () -> photos.getObject(new ObjectRead(first.key(), null,
                    ReadConditions.NONE, new ByteRange.Part(2), true, n -> { })));
            assertEquals(S3ErrorCode.INVALID_PART_NUMBER, second.error());
            assertTrue(photos.objectParts(first.key(), 0, 10).parts().isEmpty());
        }
    }

    @Test
    void completedUploadsAreRememberedForADayOnly() throws Exception {
        Path file = dir.resolve("remember.sqlite3");
        try (BucketFile bucket = bucket("remember")) {
            for (String key : List.of("old", "new")) {
                String uploadId = bucket.createMultipartUpload(key, Map.of(), ObjectHeaders.NONE, Map.of(), null, null, null)
                        .uploadId();
                PartInfo part = bucket.uploadPart(uploadId, key, 1, "part".getBytes(StandardCharsets.UTF_8), null);
                bucket.completeMultipartUpload(uploadId, key, List.of(new CompletedPart(1, part.etag(), null)), WriteCondition.NONE,
                        null);
                if (key.equals("old")) {
                    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                         Statement statement = connection.createStatement()) {
                        statement.executeUpdate("UPDATE multipart_upload_completed SET completed = '2020-01-01 00:00:00.0+00:00'");
                    }
                }
            }
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT key FROM multipart_upload_completed")) {
            assertTrue(rows.next());
            assertEquals("new", rows.getString(1));
            assertFalse(rows.next());
        }
    }

    @Test
    void readsAndWritesLeaveNoTransactionOpenBetweenRequestsSoACheckpointEmptiesTheLog() throws Exception {
        Path file = dir.resolve("idle.sqlite3");
        try (BucketFile bucket = bucket("idle")) {
            put(bucket, "small", "v");
            put(bucket, "large", "x".repeat(2 * 1024 * 1024));
            for (int round = 0; round < 3; round++) {
                assertEquals(1, bucket.getObject("small").bytes().length);
                assertEquals(2 * 1024 * 1024, bucket.getObject("large").bytes().length);
                assertEquals(1, bucket.headObject("small").size());
                assertEquals(1, bucket.describe("small", null).size());
                assertThrows(S3Exception.class, () -> bucket.getObject("missing"));
                assertThrows(S3Exception.class, () -> bucket.headObject("missing"));
                put(bucket, "small", "w");
            }
            // last, a read outside a transaction that finds its row: a statement left on that row
            // (not reset) would keep its connection's read transaction, and with it the WAL
            assertEquals(1, bucket.getObject("small").bytes().length);
            try (Connection outside = DriverManager.getConnection("jdbc:sqlite:" + file);
                 Statement statement = outside.createStatement();
                 ResultSet rows = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                assertTrue(rows.next());
                assertEquals(0, rows.getInt(1), "a connection of the bucket still reads a snapshot");
                assertEquals(0, rows.getInt(2), "frames left in the WAL");
            }
        }
    }
}
