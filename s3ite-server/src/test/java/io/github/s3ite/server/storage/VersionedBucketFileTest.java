package io.github.s3ite.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Versions in the bucket file: where each version lives, and the values reads and writes are decided by. */
class VersionedBucketFileTest {
    @TempDir
    Path dir;

    private BucketFile bucket(String name) {
        return BucketFile.open(name, dir.resolve(name + ".sqlite3"), false, false);
    }

    private static ObjectInfo put(BucketFile bucket, String key, String content, String contentType) {
        return bucket.putObject(new NewObject(key, content.getBytes(StandardCharsets.UTF_8), Map.of(),
                new ObjectHeaders(contentType, null, null, null, null, null), null, Map.of()), WriteCondition.NONE);
    }

    private List<String> rows(String name, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(name + ".sqlite3"));
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                    row.append(i > 1 ? "|" : "").append(result.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    @Test
    void theCurrentVersionIsInDataAndTheOthersMoveToObjectVersionAndBackWithTheirAttributes() throws Exception {
        String v1;
        String v2;
        try (BucketFile bucket = bucket("moves")) {
            bucket.setVersioning(new Versioning(Versioning.Status.ENABLED, null));
            v1 = put(bucket, "k", "one", "text/plain").versionId();
            v2 = put(bucket, "k", "two", "text/html").versionId();
        }
        assertEquals(List.of("k|two"), rows("moves", "SELECT key, CAST(value AS TEXT) FROM data"));
        assertEquals(List.of("k|" + v2 + "|text/html"), rows("moves", "SELECT key, version_id, content_type FROM object_attributes"));
        assertEquals(List.of("k|1|" + v1 + "|0|one|text/plain"),
                rows("moves", "SELECT key, sequence, version_id, is_delete_marker, CAST(value AS TEXT), content_type FROM object_version"));
        assertTrue(rows("moves", "SELECT document FROM bucket_configuration WHERE name = 'versioning'").get(0)
                .contains("<Status>Enabled</Status>"));

        try (BucketFile bucket = bucket("moves")) {
            assertEquals(v2, bucket.deleteObject("k", v2).versionId());
            ObjectInfo current = bucket.describe("k", null);
            assertEquals(v1, current.versionId());
            assertEquals("text/plain", current.headers().contentType());
            DeleteResult marker = bucket.deleteObject("k", null);
            assertTrue(marker.deleteMarker());
        }
        assertEquals(List.of(), rows("moves", "SELECT key FROM data"));
        assertEquals(List.of("1|0", "2|1"), rows("moves", "SELECT sequence, is_delete_marker FROM object_version ORDER BY sequence"));
    }

    @Test
    void aReadIsDecidedByItsValues() {
        try (BucketFile bucket = bucket("reads")) {
            ObjectInfo stored = put(bucket, "k", "0123456789", null);
            AtomicLong reserved = new AtomicLong();
            ReadResult ranged = bucket.getObject(new ObjectRead("k", null, ReadConditions.NONE, new ByteRange.Suffix(3),
                    true, reserved::addAndGet));
            assertEquals("789", new String(((ObjectContent) ranged).bytes(), StandardCharsets.UTF_8));
            assertEquals(3, reserved.get());
            ReadConditions ifNoneMatch = new ReadConditions(null, "\"" + stored.etag() + "\"", null, null, false);
            assertInstanceOf(ReadResult.NotModified.class,
                    bucket.getObject(new ObjectRead("k", null, ifNoneMatch, ByteRange.WHOLE, true, n -> { })));
            ReadConditions copyIfNoneMatch = new ReadConditions(null, "*", null, null, true);
            S3Exception failed = assertThrows(S3Exception.class,
                    () -> bucket.getObject(new ObjectRead("k", null, copyIfNoneMatch, ByteRange.WHOLE, true, n -> { })));
            assertEquals(S3ErrorCode.PRECONDITION_FAILED, failed.error());
            S3Exception beyond = assertThrows(S3Exception.class, () -> bucket.getObject(new ObjectRead("k", null,
                    ReadConditions.NONE, new ByteRange.FromTo(10, 20), true, n -> { })));
            assertEquals(S3ErrorCode.INVALID_RANGE, beyond.error());
            ReadConditions unmodified = new ReadConditions(null, null, null, Instant.parse("2000-01-01T00:00:00Z"), false);
            assertThrows(S3Exception.class,
                    () -> bucket.getObject(new ObjectRead("k", null, unmodified, ByteRange.WHOLE, false, n -> { })));
            S3Exception version = assertThrows(S3Exception.class, () -> bucket.getObject(new ObjectRead("k",
                    "0000000000aaaaaaaaaaaaaaaaaaaaaa", ReadConditions.NONE, ByteRange.WHOLE, true, n -> { })));
            assertEquals(S3ErrorCode.NO_SUCH_VERSION, version.error());
        }
    }

    @Test
    void versionIdsAreUrlSafeUniqueAndSortByTime() {
        String previous = VersionIds.next();
        for (int i = 0; i < 1000; i++) {
            String next = VersionIds.next();
            assertTrue(next.compareTo(previous) > 0, previous + " then " + next);
            assertTrue(VersionIds.isWellFormed(next));
            previous = next;
        }
        assertTrue(VersionIds.isWellFormed("null"));
        assertFalse(VersionIds.isWellFormed("abc"));
        assertFalse(VersionIds.isWellFormed("0000000000aaaaaaaaaaaaaaaaaaaaa/"));
    }

    @Test
    void theNullVersionIsReplacedWhileSuspendedAndVersionsWithIdsStay() {
        try (BucketFile bucket = bucket("suspended")) {
            put(bucket, "k", "original", null);
            bucket.setVersioning(new Versioning(Versioning.Status.ENABLED, null));
            String kept = put(bucket, "k", "kept", null).versionId();
            bucket.setVersioning(new Versioning(Versioning.Status.SUSPENDED, null));
            assertEquals(VersionIds.NULL, put(bucket, "k", "suspended", null).versionId());
            ListedVersion.Page page = bucket.listObjectVersions(null, null, null, null, 10);
            assertEquals(List.of("null", kept), page.versions().stream().map(v -> v.info().versionId()).toList());
            assertEquals(List.of(true, false), page.versions().stream().map(ListedVersion::latest).toList());
        }
    }
}
