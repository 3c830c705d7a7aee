package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** A bucket file written by the original Rust s3ite serves as it is, read-write and read-only. */
class OriginalFixtureEndToEndTest {

    static Path copyFixture(Path dir) throws Exception {
        Path target = dir.resolve("photos.sqlite3");
        try (InputStream in = OriginalFixtureEndToEndTest.class.getResourceAsStream("/fixtures/original-s3ite/photos.sqlite3")) {
            Files.copy(in, target);
        }
        return target;
    }

    @Test
    void theOriginalsFileServesKeysSizesETagsMetadataAndTimes(@TempDir Path dir) throws Exception {
        copyFixture(dir);
        try (S3iteServer server = new S3iteServer(dir).start()) {
            S3Client s3 = server.createClient();
            assertEquals(List.of("photos"), s3.listBuckets().buckets().stream().map(b -> b.name()).toList());
            List<S3Object> objects = s3.listObjectsV2(b -> b.bucket("photos")).contents();
            assertEquals(List.of("empty-dir/", "empty.txt", "hello.txt", "images/2023/06/ferret.png", "images/cat.jpg",
                    "images/dog.jpg", "labels.csv", "unicode/café 漢字.txt"), objects.stream().map(S3Object::key).toList());
            assertEquals(11L, objects.get(2).size());
            assertEquals("\"5eb63bbbe01eeed093cb22bb8f5acdc3\"", objects.get(2).eTag());
            assertEquals(Instant.parse("2023-06-27T10:11:12.123Z"), objects.get(2).lastModified());

            assertEquals("hello world", s3.getObjectAsBytes(b -> b.bucket("photos").key("hello.txt")).asUtf8String());
            HeadObjectResponse cat = s3.headObject(b -> b.bucket("photos").key("images/cat.jpg"));
            assertEquals(Map.of("camera", "nikon", "label", "cat"), cat.metadata());
            assertEquals(10240L, cat.contentLength());
            assertEquals("\"c3cd26e07e555c0116db237fbc06d99c\"", cat.eTag());
            assertEquals(Instant.parse("2023-06-27T10:11:13Z"), cat.lastModified());
            assertEquals("café 漢字", s3.getObjectAsBytes(b -> b.bucket("photos").key("unicode/café 漢字.txt")).asUtf8String());
            assertEquals(0, s3.getObjectAsBytes(b -> b.bucket("photos").key("empty-dir/")).asByteArray().length);
            assertEquals("\"d41d8cd98f00b204e9800998ecf8427e\"", s3.headObject(b -> b.bucket("photos").key("empty-dir/")).eTag());
            assertEquals(0, s3.getObjectAsBytes(b -> b.bucket("photos").key("empty.txt")).asByteArray().length);
        }
    }

    @Test
    void theOriginalsUnfinishedUploadCanBeListedAndCompleted(@TempDir Path dir) throws Exception {
        copyFixture(dir);
        try (S3iteServer server = new S3iteServer(dir).start()) {
            S3Client s3 = server.createClient();
            List<MultipartUpload> uploads = s3.listMultipartUploads(b -> b.bucket("photos")).uploads();
            assertEquals(1, uploads.size());
            assertEquals("big/video.mp4", uploads.get(0).key());
            assertEquals("0f8fad5b-d9cb-469f-a165-70867728950e", uploads.get(0).uploadId());
            var parts = s3.listParts(b -> b.bucket("photos").key("big/video.mp4")
                    .uploadId("0f8fad5b-d9cb-469f-a165-70867728950e")).parts();
            assertEquals(List.of(5242880L, 1234L), parts.stream().map(p -> p.size()).toList());
            assertEquals("\"5f363e0e58a95f06cbe9bbc662c5dfb6\"", parts.get(0).eTag());
            s3.completeMultipartUpload(b -> b.bucket("photos").key("big/video.mp4")
                    .uploadId("0f8fad5b-d9cb-469f-a165-70867728950e")
                    .multipartUpload(m -> m.parts(parts.stream().map(p -> CompletedPart.builder()
                            .partNumber(p.partNumber()).eTag(p.eTag()).build()).toList())));
            byte[] video = s3.getObjectAsBytes(b -> b.bucket("photos").key("big/video.mp4")).asByteArray();
            assertArrayEquals(new byte[5242880 + 1234], video);
        }
    }

    @Test
    void readOnlyServerServesTheFileAndRefusesEveryWrite(@TempDir Path dir) throws Exception {
        Path file = copyFixture(dir);
        byte[] before = Files.readAllBytes(file);
        try (S3iteServer server = new S3iteServer(dir).withReadOnly(true).start()) {
            S3Client s3 = server.createClient();
            assertEquals("hello world", s3.getObjectAsBytes(b -> b.bucket("photos").key("hello.txt")).asUtf8String());
            S3Exception put = assertThrows(S3Exception.class, () -> s3.putObject(b -> b.bucket("photos").key("new"),
                    RequestBody.fromString("x")));
            assertEquals("AccessDenied", put.awsErrorDetails().errorCode());
            assertEquals(403, put.statusCode());
            assertThrows(S3Exception.class, () -> s3.deleteObject(b -> b.bucket("photos").key("hello.txt")));
            assertThrows(S3Exception.class, () -> s3.createBucket(b -> b.bucket("another")));
        }
        assertArrayEquals(before, Files.readAllBytes(file));
        try (var files = Files.list(dir)) {
            assertTrue(files.allMatch(p -> p.getFileName().toString().equals("photos.sqlite3")));
        }
    }

    @Test
    void theOriginalsFileCanBeSwitchedToVersioningAndKeepsItsObjects(@TempDir Path dir) throws Exception {
        copyFixture(dir);
        try (S3iteServer server = new S3iteServer(dir).start()) {
            S3Client s3 = server.createClient();
            s3.putBucketVersioning(b -> b.bucket("photos").versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
            assertEquals(BucketVersioningStatus.ENABLED, s3.getBucketVersioning(b -> b.bucket("photos")).status());
            assertEquals(8, s3.listObjectsV2(b -> b.bucket("photos")).contents().size());
            List<ObjectVersion> before = s3.listObjectVersions(b -> b.bucket("photos")).versions();
            assertEquals(8, before.size());
            assertTrue(before.stream().allMatch(v -> v.versionId().equals("null") && v.isLatest()));

            String id = s3.putObject(b -> b.bucket("photos").key("hello.txt"), RequestBody.fromString("hello again")).versionId();
            assertEquals("hello again", s3.getObjectAsBytes(b -> b.bucket("photos").key("hello.txt")).asUtf8String());
            assertEquals("hello world", s3.getObjectAsBytes(b -> b.bucket("photos").key("hello.txt").versionId("null"))
                    .asUtf8String());
            List<ObjectVersion> hello = s3.listObjectVersions(b -> b.bucket("photos").prefix("hello.txt")).versions();
            assertEquals(List.of(id, "null"), hello.stream().map(ObjectVersion::versionId).toList());
            assertEquals("\"5eb63bbbe01eeed093cb22bb8f5acdc3\"", hello.get(1).eTag());
            assertEquals(Instant.parse("2023-06-27T10:11:12.123Z"), hello.get(1).lastModified());
            HeadObjectResponse cat = s3.headObject(b -> b.bucket("photos").key("images/cat.jpg").versionId("null"));
            assertEquals(Map.of("camera", "nikon", "label", "cat"), cat.metadata());
            s3.deleteObject(b -> b.bucket("photos").key("hello.txt").versionId(id));
            assertEquals("hello world", s3.getObjectAsBytes(b -> b.bucket("photos").key("hello.txt")).asUtf8String());
            assertEquals("\"5eb63bbbe01eeed093cb22bb8f5acdc3\"", s3.headObject(b -> b.bucket("photos").key("hello.txt")).eTag());
        }
    }

    @Test
    void aVersionedBucketFileServesItsCurrentObjectsToPlainReadsOfData(@TempDir Path dir) throws Exception {
        String current;
        try (S3iteServer server = new S3iteServer(dir).start()) {
            S3Client s3 = server.createClient();
            s3.createBucket(b -> b.bucket("kept"));
            s3.putBucketVersioning(b -> b.bucket("kept").versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
            s3.putObject(b -> b.bucket("kept").key("doc.txt").metadata(Map.of("n", "1")), RequestBody.fromString("one"));
            current = s3.putObject(b -> b.bucket("kept").key("doc.txt").metadata(Map.of("n", "2")),
                    RequestBody.fromString("two")).versionId();
            s3.putObject(b -> b.bucket("kept").key("deleted.txt"), RequestBody.fromString("gone"));
            s3.deleteObject(b -> b.bucket("kept").key("deleted.txt"));
            s3.putObject(b -> b.bucket("kept").key("restored.txt"), RequestBody.fromString("back"));
            String marker = s3.deleteObject(b -> b.bucket("kept").key("restored.txt")).versionId();
            s3.deleteObject(b -> b.bucket("kept").key("restored.txt").versionId(marker));
        }
        Path file = dir.resolve("kept.sqlite3");
        List<String> rows = new java.util.ArrayList<>();
        try (java.sql.Connection sqlite = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             java.sql.Statement statement = sqlite.createStatement();
             java.sql.ResultSet data = statement.executeQuery(
                     "SELECT key, value, size, metadata, last_modified, md5 FROM data ORDER BY key")) {
            while (data.next()) {
                rows.add(data.getString(1) + "|" + new String(data.getBytes(2), java.nio.charset.StandardCharsets.UTF_8)
                        + "|" + data.getLong(3) + "|" + data.getString(4) + "|" + data.getString(6));
                assertTrue(data.getString(5).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d+\\+00:00"),
                        data.getString(5));
            }
        }
        assertEquals(List.of("doc.txt|two|3|{\"n\":\"2\"}|b8a9f715dbb64fd5c56e7783c6820a61",
                "restored.txt|back|4|null|" + md5("back")), rows);
        try (S3iteServer server = new S3iteServer(dir).start()) {
            S3Client s3 = server.createClient();
            assertEquals(current, s3.headObject(b -> b.bucket("kept").key("doc.txt")).versionId());
            assertEquals(2, s3.listObjectVersions(b -> b.bucket("kept").prefix("doc.txt")).versions().size());
            assertEquals(1, s3.listObjectVersions(b -> b.bucket("kept").prefix("deleted.txt")).deleteMarkers().size());
        }
    }

    private static String md5(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
