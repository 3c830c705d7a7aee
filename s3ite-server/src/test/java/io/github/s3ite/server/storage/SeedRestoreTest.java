package io.github.s3ite.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3ite.server.checksum.ChecksumType;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.storage.BucketStore.SeedRestore;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bucket restored from a seed goes back to the seed's content at every later restore: in place,
 * by putting back the rows changed since ({@link ChangeLog}), or by copying the seed again where
 * that cannot be done or costs less. Every table, ours included, must end exactly as a fresh copy
 * of the seed, opened once, holds it.
 */
class SeedRestoreTest {
    private static final String CORS = "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin>"
            + "<AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>";
    private static final String ACL = "<AccessControlPolicy><Owner><ID>someone</ID></Owner><AccessControlList>"
            + "</AccessControlList></AccessControlPolicy>";

    @TempDir
    Path dir;

    private Path seeds() throws Exception {
        return Files.createDirectories(dir.resolve("seeds"));
    }

    private BucketStore store() {
        return new BucketStore(dir.resolve("data"), false, false);
    }

    private Path scratch() {
        return dir.resolve("scratch");
    }

    private static NewObject object(String key, byte[] value, Map<String, String> tags) {
        return new NewObject(key, value, Map.of("owner", "seed"),
                new ObjectHeaders("text/plain", null, null, null, "max-age=60", null), null, tags);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A seed with a row in every table of ours: versions and delete markers, object lock, tags,
     * ACLs, KMS encryption, configurations, unfinished and completed multipart uploads.
     */
    private Path richSeed() throws Exception {
        Path seed = seeds().resolve("rich.sqlite3");
        try (BucketFile bucket = BucketFile.open("rich", seed, false, false)) {
            for (int i = 0; i < 40; i++) {
                bucket.putObject(object(String.format("objects/%03d", i), bytes("seed " + i), Map.of("n", "" + i)),
                        WriteCondition.NONE);
            }
            bucket.enableObjectLock();
            bucket.putObject(object("versioned", bytes("v1"), Map.of()), WriteCondition.NONE);
            bucket.putObject(object("versioned", bytes("v2"), Map.of("v", "2")), WriteCondition.NONE);
            bucket.deleteObject("gone-soon", null);
            ObjectInfo held = bucket.putObject(object("held", bytes("held"), Map.of()), WriteCondition.NONE);
            bucket.putLegalHold("held", held.versionId(), true);
            bucket.putRetention("held", held.versionId(), ObjectLock.Mode.GOVERNANCE,
                    Instant.now().plus(Duration.ofDays(1)), false);
            bucket.putObject(new NewObject("secret", bytes("cipher"), Map.of(), ObjectHeaders.NONE, null, Map.of(),
                    ObjectEncryption.serverSide("aws:kms", "key-1", true, null)).withAcl(ACL), WriteCondition.NONE);
            bucket.setConfiguration("cors", CORS);
            bucket.setConfiguration("tagging", "<Tagging><TagSet/></Tagging>");
            bucket.setDefaultEncryption(new DefaultEncryption("aws:kms", "key-2", true));
            UploadInfo open = bucket.createMultipartUpload("uploading", Map.of("m", "1"), ObjectHeaders.NONE,
                    Map.of("t", "1"), "CRC32", ChecksumType.COMPOSITE, "AKIA", ObjectLock.NONE,
                    ObjectEncryption.serverSide("AES256", null, false, null), ACL);
            bucket.uploadPart(open.uploadId(), "uploading", 1, bytes("part one"), null);
            bucket.uploadPart(open.uploadId(), "uploading", 2, bytes("part two"), null);
            UploadInfo done = bucket.createMultipartUpload("completed", Map.of(), ObjectHeaders.NONE, Map.of(), null,
                    null, "AKIA");
            PartInfo part = bucket.uploadPart(done.uploadId(), "completed", 1, bytes("the only part"), null);
            bucket.completeMultipartUpload(done.uploadId(), "completed", List.of(new CompletedPart(1, part.etag(), null)),
                    WriteCondition.NONE, null);
        }
        return seed;
    }

    private Path originalSeed() throws Exception {
        Path seed = seeds().resolve("photos.sqlite3");
        try (InputStream in = getClass().getResourceAsStream("/fixtures/original-s3ite/photos.sqlite3")) {
            Files.copy(in, seed);
        }
        return seed;
    }

    /**
     * The original's file with the first tables of ours as they were before versioning, SSE-C and
     * the rest: a first open for writing adds the other tables and, with ALTER TABLE, the columns.
     */
    private Path olderSeed() throws Exception {
        Path seed = originalSeed();
        Path older = seed.resolveSibling("older.sqlite3");
        Files.move(seed, older);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + older);
             Statement statement = connection.createStatement()) {
            for (int i = 0; i < 5; i++) {
                statement.execute(Schema.OURS[i]);
            }
            statement.execute("INSERT INTO object_attributes (key, last_modified, etag, content_type, tags)"
                    + " SELECT key, last_modified, '\"' || md5 || '\"', 'image/jpeg', '{\"old\":\"yes\"}' FROM data"
                    + " WHERE md5 IS NOT NULL LIMIT 2");
            statement.execute("INSERT INTO multipart_upload_completed VALUES (X'00112233445566778899AABBCCDDEEFF',"
                    + " 'done', '2024-01-01 00:00:00.0+00:00', '\"abc-1\"', NULL, NULL, NULL, NULL)");
        }
        return older;
    }

    /** Keys the random writes pick from: some of the seed's, some new. */
    private static List<String> keys(BucketFile bucket) {
        List<String> keys = new ArrayList<>();
        bucket.listObjects(null, null, null, 1000).objects().forEach(object -> keys.add(object.key()));
        for (int i = 0; i < 6; i++) {
            keys.add("new-" + i);
        }
        return keys;
    }

    /**
     * {@code count} writes of every kind, picked by {@code random}; refusals (object lock, missing
     * keys, versioning rules) are part of the game.
     */
    private static void randomWrites(BucketFile bucket, Random random, int count) {
        List<String> keys = keys(bucket);
        List<String> uploads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = keys.get(random.nextInt(keys.size()));
            try {
                switch (random.nextInt(17)) {
                    case 0, 1 -> bucket.putObject(object(key, bytes("x".repeat(random.nextInt(3000))),
                            Map.of("r", "" + i)), WriteCondition.NONE);
                    case 2 -> bucket.putObject(new NewObject(key, bytes("kms"), Map.of(), ObjectHeaders.NONE, null,
                            Map.of(), ObjectEncryption.serverSide("aws:kms", "k" + i, false, null)).withAcl(ACL),
                            WriteCondition.NONE);
                    case 3 -> bucket.deleteObject(key, null);
                    case 4 -> {
                        List<ListedVersion> versions = bucket.listObjectVersions(key, null, null, null, 10).versions();
                        if (!versions.isEmpty()) {
                            ListedVersion version = versions.get(random.nextInt(versions.size()));
                            bucket.deleteObject(version.info().key(), version.info().versionId(), random.nextBoolean());
                        }
                    }
                    case 5 -> bucket.deleteObjects(List.of(new BucketFile.ObjectToDelete(key, null),
                            new BucketFile.ObjectToDelete(keys.get(random.nextInt(keys.size())), null)));
                    case 6 -> bucket.setVersioning(new Versioning(random.nextBoolean() ? Versioning.Status.ENABLED
                            : Versioning.Status.SUSPENDED, null));
                    case 7 -> bucket.putTags(key, Map.of("tag", "" + i));
                    case 8 -> bucket.deleteTags(key);
                    case 9 -> bucket.putObjectAcl(key, null, ACL.replace("someone", "someone-" + i));
                    case 10 -> {
                        if (random.nextBoolean()) {
                            bucket.setConfiguration("cors", CORS.replace("*", "https://" + i + ".example"));
                        } else {
                            bucket.setConfigurations(java.util.Collections.singletonMap("cors", null));
                        }
                    }
                    case 11 -> bucket.setDefaultEncryption(random.nextBoolean() ? null
                            : new DefaultEncryption("AES256", null, false));
                    case 12 -> {
                        UploadInfo upload = bucket.createMultipartUpload(key, Map.of(), ObjectHeaders.NONE,
                                Map.of("u", "" + i), null, null, "AKIA", ObjectLock.NONE, null, ACL);
                        bucket.uploadPart(upload.uploadId(), key, 1, bytes("p1-" + i), null);
                        uploads.add(upload.uploadId() + "/" + key);
                    }
                    case 13 -> {
                        if (!uploads.isEmpty()) {
                            String[] upload = uploads.remove(0).split("/", 2);
                            PartInfo part = bucket.uploadPart(upload[0], upload[1], 2, bytes("p2"), null);
                            if (random.nextBoolean()) {
                                bucket.completeMultipartUpload(upload[0], upload[1],
                                        List.of(new CompletedPart(2, part.etag(), null)), WriteCondition.NONE, null);
                            } else {
                                bucket.abortMultipartUpload(upload[0], upload[1]);
                            }
                        }
                    }
                    case 14 -> bucket.putLegalHold(key, null, random.nextBoolean());
                    case 15 -> bucket.putRetention(key, null, ObjectLock.Mode.GOVERNANCE,
                            Instant.now().plus(Duration.ofDays(1 + random.nextInt(3))), true);
                    default -> {
                        for (UploadInfo upload : bucket.listMultipartUploads(null, null, null, null, 10).uploads()) {
                            bucket.abortMultipartUpload(upload.uploadId(), upload.key());
                            break;
                        }
                    }
                }
            } catch (S3Exception refused) {
                // a refusal changes nothing, and must leave nothing to undo either
            }
        }
    }

    private void assertLikeTheSeed(BucketStore store, String name, Path seed) {
        assertEquals(BucketTables.reference(seed, scratch()), BucketTables.contents(store.bucket(name).file()));
        // what the bucket keeps read from its tables is read again
        try (BucketFile fresh = BucketFile.open("fresh", copyOf(seed), false, false)) {
            BucketFile bucket = store.bucket(name);
            assertEquals(fresh.versioning(), bucket.versioning());
            assertEquals(fresh.defaultEncryption(), bucket.defaultEncryption());
            assertEquals(fresh.objectLockConfiguration(), bucket.objectLockConfiguration());
            assertEquals(fresh.configuration("cors"), bucket.configuration("cors"));
        }
    }

    private Path copyOf(Path seed) {
        try {
            Path copy = Files.createTempFile(Files.createDirectories(scratch()), "fresh-", ".sqlite3");
            Files.copy(seed, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return copy;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void randomRoundsAreUndoneInPlace(Path seed, long randomSeed) {
        Random random = new Random(randomSeed);
        try (BucketStore store = store()) {
            assertEquals(SeedRestore.COPIED, store.createBucketFrom("bucket", seed));
            for (int round = 0; round < 8; round++) {
                randomWrites(store.bucket("bucket"), random, 20);
                assertEquals(SeedRestore.CHANGES_UNDONE, store.createBucketFrom("bucket", seed), "round " + round);
                assertLikeTheSeed(store, "bucket", seed);
            }
        }
    }

    @Test
    void randomWritesToASeedWithEveryTableOfOursAreUndoneInPlace() throws Exception {
        Path seed = richSeed();
        randomRoundsAreUndoneInPlace(seed, 1);
        randomRoundsAreUndoneInPlace(seed, 2);
    }

    @Test
    void randomWritesToTheOriginalsFileAreUndoneInPlaceLeavingTheTablesOfOursEmpty() throws Exception {
        randomRoundsAreUndoneInPlace(originalSeed(), 3);
    }

    @Test
    void aSeedOfAnOlderLayoutComesBackWithTheColumnsAndTablesAFirstOpenAdds() throws Exception {
        randomRoundsAreUndoneInPlace(olderSeed(), 4);
    }

    @Test
    void anUntouchedBucketIsLeftAsItIsAndARefusedWriteLeavesNothingToUndo() throws Exception {
        Path seed = richSeed();
        try (BucketStore store = store()) {
            store.createBucketFrom("bucket", seed);
            assertEquals(SeedRestore.UNTOUCHED, store.createBucketFrom("bucket", seed));
            assertThrows(S3Exception.class, () -> store.bucket("bucket").putLegalHold("no-such-key", null, true));
            assertEquals(SeedRestore.UNTOUCHED, store.createBucketFrom("bucket", seed));
            store.bucket("bucket").deleteObject("objects/001", null);
            assertEquals(SeedRestore.CHANGES_UNDONE, store.createBucketFrom("bucket", seed));
            assertEquals(SeedRestore.UNTOUCHED, store.createBucketFrom("bucket", seed));
            assertLikeTheSeed(store, "bucket", seed);
        }
    }

    @Test
    void whatTheBucketKeepsOfItsConfigurationIsReadAgain() throws Exception {
        Path seed = richSeed();
        try (BucketStore store = store()) {
            store.createBucketFrom("bucket", seed);
            BucketFile bucket = store.bucket("bucket");
            bucket.deleteConfiguration("cors");
            bucket.setDefaultEncryption(null);
            bucket.setObjectLockConfiguration(new ObjectLockConfiguration(ObjectLock.Mode.COMPLIANCE, 3, 0));
            assertNull(bucket.configuration("cors"));
            assertEquals(SeedRestore.CHANGES_UNDONE, store.createBucketFrom("bucket", seed));
            assertTrue(bucket == store.bucket("bucket"), "undone in place, the same object");
            assertEquals(CORS, bucket.configuration("cors"));
            assertEquals(new DefaultEncryption("aws:kms", "key-2", true), bucket.defaultEncryption());
            assertEquals(ObjectLockConfiguration.ENABLED, bucket.objectLockConfiguration());
            assertEquals(Versioning.Status.ENABLED, bucket.versioning().status());
        }
    }

    @Test
    void manyChangesCopyTheSeedInstead() throws Exception {
        Path seed = seeds().resolve("many.sqlite3");
        try (BucketFile bucket = BucketFile.open("many", seed, false, false)) {
            for (int i = 0; i < 1000; i++) {
                bucket.putObject(object("k" + i, bytes("v" + i), Map.of()), WriteCondition.NONE);
            }
        }
        try (BucketStore store = store()) {
            store.createBucketFrom("bucket", seed);
            for (int i = 0; i < 40; i++) {
                store.bucket("bucket").putObject(object("k" + i, bytes("changed"), Map.of()), WriteCondition.NONE);
            }
            // 80 rows (data and object_attributes) of 2,000: fewer than a copy costs
            assertEquals(SeedRestore.CHANGES_UNDONE, store.createBucketFrom("bucket", seed));
            // 400 rows of 2,000: more
            for (int i = 0; i < 200; i++) {
                store.bucket("bucket").deleteObject("k" + i);
            }
            assertEquals(SeedRestore.COPIED, store.createBucketFrom("bucket", seed));
            assertLikeTheSeed(store, "bucket", seed);
            store.bucket("bucket").deleteObject("k1");
            assertEquals(SeedRestore.CHANGES_UNDONE, store.createBucketFrom("bucket", seed), "the copy logs its changes too");
            assertLikeTheSeed(store, "bucket", seed);
        }
    }

    @Test
    void aFileWrittenByAnotherConnectionOrWhoseSchemaChangedIsCopied() throws Exception {
        Path seed = richSeed();
        try (BucketStore store = store()) {
            store.createBucketFrom("bucket", seed);
            Path file = store.bucket("bucket").file();
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
                 Statement statement = other.createStatement()) {
                statement.executeUpdate("UPDATE data SET md5 = NULL WHERE key = 'objects/001'");
            }
            // not written through the bucket: only SQLite's data_version tells
            assertEquals(SeedRestore.COPIED, store.createBucketFrom("bucket", seed));
            assertLikeTheSeed(store, "bucket", seed);

            store.bucket("bucket").deleteObject("objects/002");
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
                 Statement statement = other.createStatement()) {
                statement.execute("ALTER TABLE object_lock ADD COLUMN note TEXT");
                statement.execute("CREATE TABLE extra (x)");
            }
            assertEquals(SeedRestore.COPIED, store.createBucketFrom("bucket", seed));
            assertLikeTheSeed(store, "bucket", seed);
        }
    }

    /** Runs {@code sql} on the bucket's own writer, as a change of the code might. */
    private static void onTheWriter(BucketFile bucket, String sql) throws Exception {
        java.lang.reflect.Field field = BucketFile.class.getDeclaredField("connections");
        field.setAccessible(true);
        ((Connections) field.get(bucket)).writeOutsideTransaction(writer -> {
            try (Statement statement = writer.createStatement()) {
                statement.execute(sql);
            }
            return null;
        });
    }

    @Test
    void aSchemaChangedByTheWriterItselfOrALostLogCopiesTheSeed() throws Exception {
        Path seed = richSeed();
        try (BucketStore store = store()) {
            store.createBucketFrom("bucket", seed);
            store.bucket("bucket").deleteObject("objects/005");
            onTheWriter(store.bucket("bucket"), "CREATE TABLE extra (x)");
            assertEquals(SeedRestore.COPIED, store.createBucketFrom("bucket", seed));
            assertLikeTheSeed(store, "bucket", seed);

            store.bucket("bucket").deleteObject("objects/006");
            // changing where TEMP objects live drops every one of them, the triggers and the log too
            onTheWriter(store.bucket("bucket"), "PRAGMA temp_store = MEMORY");
            store.bucket("bucket").deleteObject("objects/007");
            assertEquals(SeedRestore.COPIED, store.createBucketFrom("bucket", seed));
            assertLikeTheSeed(store, "bucket", seed);
        }
    }

    @Test
    void aBucketDeletedOrCreatedAgainOrASeedReplacedIsCopied() throws Exception {
        Path seed = richSeed();
        Path other = originalSeed();
        try (BucketStore store = store()) {
            store.createBucketFrom("bucket", seed);
            store.dropBucket("bucket");
            assertEquals(SeedRestore.COPIED, store.createBucketFrom("bucket", seed));
            assertLikeTheSeed(store, "bucket", seed);

            store.dropBucket("bucket");
            store.createBucket("bucket");
            store.bucket("bucket").putObject(object("new", bytes("new"), Map.of()), WriteCondition.NONE);
            assertEquals(SeedRestore.COPIED, store.createBucketFrom("bucket", seed));
            assertLikeTheSeed(store, "bucket", seed);

            store.bucket("bucket").deleteObject("objects/003");
            assertEquals(SeedRestore.COPIED, store.createBucketFrom("bucket", other), "another seed");
            assertLikeTheSeed(store, "bucket", other);

            store.bucket("bucket").putObject(object("new", bytes("new"), Map.of()), WriteCondition.NONE);
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + other);
                 Statement statement = connection.createStatement()) {
                statement.executeUpdate("DELETE FROM data WHERE key IN (SELECT key FROM data LIMIT 1)");
            }
            Files.setLastModifiedTime(other, FileTime.from(Instant.now().plusSeconds(5)));
            assertEquals(SeedRestore.COPIED, store.createBucketFrom("bucket", other), "the seed changed");
            assertLikeTheSeed(store, "bucket", other);
        }
    }

    @Test
    void aFileWithTriggersOfItsOwnIsCopiedAtEveryReset() throws Exception {
        Path seed = originalSeed();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + seed);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE audit (key TEXT)");
            statement.execute("CREATE TRIGGER audited AFTER INSERT ON data BEGIN INSERT INTO audit VALUES (NEW.key); END");
        }
        try (BucketStore store = store()) {
            store.createBucketFrom("bucket", seed);
            store.bucket("bucket").putObject(object("new", bytes("new"), Map.of()), WriteCondition.NONE);
            assertEquals(SeedRestore.COPIED, store.createBucketFrom("bucket", seed));
            assertLikeTheSeed(store, "bucket", seed);
            assertEquals(SeedRestore.UNTOUCHED, store.createBucketFrom("bucket", seed));
        }
    }

    @Test
    void theSeedIsNeverWrittenAndGetsNoFileBesideIt() throws Exception {
        Path seed = richSeed();
        byte[] before = Files.readAllBytes(seed);
        List<Path> beside;
        try (Stream<Path> files = Files.list(seed.getParent())) {
            beside = files.sorted().toList();
        }
        try (BucketStore store = store()) {
            store.createBucketFrom("bucket", seed);
            for (int i = 0; i < 3; i++) {
                randomWrites(store.bucket("bucket"), new Random(i), 10);
                assertNotEquals(SeedRestore.COPIED, store.createBucketFrom("bucket", seed));
                try (Stream<Path> files = Files.list(seed.getParent())) {
                    assertEquals(beside, files.sorted().toList());
                }
            }
        }
        assertArrayEquals(before, Files.readAllBytes(seed));
    }

    @Test
    void eachRestoreSaysWhatItDidInTheLog() throws Exception {
        Path seed = richSeed();
        List<String> messages = StoreLog.messagesWhile(() -> {
            try (BucketStore store = store()) {
                store.createBucketFrom("bucket", seed);
                store.bucket("bucket").deleteObject("objects/004");
                store.createBucketFrom("bucket", seed);
            }
        });
        assertEquals(2, messages.size(), messages.toString());
        assertTrue(messages.get(0).contains("copied (not restored from it since opened"), messages.get(0));
        assertTrue(messages.get(1).contains("changed rows put back from"), messages.get(1));
    }

    @Test
    void resettingAnEmptyBucketForgetsItsConfigurations() throws Exception {
        try (BucketStore store = store()) {
            store.resetBucket("empty");
            store.bucket("empty").setConfiguration("cors", CORS);
            assertEquals(CORS, store.bucket("empty").configuration("cors"));
            store.resetBucket("empty");
            assertNull(store.bucket("empty").configuration("cors"));
        }
    }
}
