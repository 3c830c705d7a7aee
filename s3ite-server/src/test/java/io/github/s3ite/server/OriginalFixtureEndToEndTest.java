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
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
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
}
