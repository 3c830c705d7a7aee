package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/** Multipart uploads through the sync client, the async multipart client and the transfer manager. */
class MultipartEndToEndTest {
    private static final int MIB = 1024 * 1024;
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3iteServer server;
    private static S3Client s3;
    private String bucket;

    @BeforeAll
    static void start() {
        server = new S3iteServer().start();
        s3 = server.createClient();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void newBucket() {
        bucket = "multipart-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket));
    }

    static byte[] bytes(int size, int seed) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i * 7 + seed);
        }
        return data;
    }

    private String create(String key) {
        return s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType("video/mp4")
                .metadata(Map.of("origin", "test"))).uploadId();
    }

    private CompletedPart upload(String key, String uploadId, int number, byte[] data) {
        UploadPartResponse response = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                RequestBody.fromBytes(data));
        return CompletedPart.builder().partNumber(number).eTag(response.eTag()).build();
    }

    @Test
    void completeJoinsPartsWithTheMultipartETag() throws Exception {
        byte[] one = bytes(5 * MIB, 1);
        byte[] two = bytes(1234, 2);
        String uploadId = create("video.mp4");
        CompletedPart p1 = upload("video.mp4", uploadId, 1, one);
        CompletedPart p2 = upload("video.mp4", uploadId, 2, two);
        CompleteMultipartUploadResponse done = s3.completeMultipartUpload(b -> b.bucket(bucket).key("video.mp4")
                .uploadId(uploadId).multipartUpload(m -> m.parts(p1, p2)));
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update(MessageDigest.getInstance("MD5").digest(one));
        md5.update(MessageDigest.getInstance("MD5").digest(two));
        String expected = "\"" + HexFormat.of().formatHex(md5.digest()) + "-2\"";
        assertEquals(expected, done.eTag());
        byte[] whole = s3.getObjectAsBytes(b -> b.bucket(bucket).key("video.mp4")).asByteArray();
        byte[] joined = Arrays.copyOf(one, one.length + two.length);
        System.arraycopy(two, 0, joined, one.length, two.length);
        assertArrayEquals(joined, whole);
        var head = s3.headObject(b -> b.bucket(bucket).key("video.mp4"));
        assertEquals("video/mp4", head.contentType());
        assertEquals(Map.of("origin", "test"), head.metadata());
        assertEquals(expected, head.eTag());
        assertTrue(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().isEmpty());
    }

    @Test
    void listPartsAndListMultipartUploadsShowWorkInProgress() {
        String first = create("a/one");
        String second = create("b/two");
        upload("a/one", first, 1, bytes(100, 1));
        upload("a/one", first, 3, bytes(200, 3));
        ListPartsResponse parts = s3.listParts(b -> b.bucket(bucket).key("a/one").uploadId(first));
        assertEquals(List.of(1, 3), parts.parts().stream().map(p -> p.partNumber()).toList());
        assertEquals(200L, parts.parts().get(1).size());
        ListPartsResponse page = s3.listParts(b -> b.bucket(bucket).key("a/one").uploadId(first).maxParts(1));
        assertTrue(page.isTruncated());
        assertEquals(1, page.nextPartNumberMarker());
        ListMultipartUploadsResponse uploads = s3.listMultipartUploads(b -> b.bucket(bucket));
        assertEquals(List.of("a/one", "b/two"), uploads.uploads().stream().map(u -> u.key()).toList());
        assertEquals(List.of(first, second), uploads.uploads().stream().map(u -> u.uploadId()).toList());
        ListMultipartUploadsResponse prefixed = s3.listMultipartUploads(b -> b.bucket(bucket).prefix("b/"));
        assertEquals(1, prefixed.uploads().size());
        ListMultipartUploadsResponse delimited = s3.listMultipartUploads(b -> b.bucket(bucket).delimiter("/"));
        assertEquals(List.of("a/", "b/"), delimited.commonPrefixes().stream().map(p -> p.prefix()).toList());
    }

    @Test
    void abortRemovesTheUploadAndItsParts() {
        String uploadId = create("gone");
        upload("gone", uploadId, 1, bytes(10, 0));
        s3.abortMultipartUpload(b -> b.bucket(bucket).key("gone").uploadId(uploadId));
        assertThrows(NoSuchUploadException.class, () -> s3.listParts(b -> b.bucket(bucket).key("gone").uploadId(uploadId)));
        assertThrows(NoSuchUploadException.class, () -> s3.abortMultipartUpload(b -> b.bucket(bucket).key("gone")
                .uploadId(uploadId)));
    }

    @Test
    void completeErrorsAreInvalidPartOrderInvalidPartAndEntityTooSmall() {
        String uploadId = create("bad");
        CompletedPart p1 = upload("bad", uploadId, 1, bytes(100, 1));
        CompletedPart p2 = upload("bad", uploadId, 2, bytes(100, 2));
        S3Exception order = assertThrows(S3Exception.class, () -> s3.completeMultipartUpload(b -> b.bucket(bucket)
                .key("bad").uploadId(uploadId).multipartUpload(m -> m.parts(p2, p1))));
        assertEquals("InvalidPartOrder", order.awsErrorDetails().errorCode());
        CompletedPart wrongTag = CompletedPart.builder().partNumber(1).eTag("\"00000000000000000000000000000000\"").build();
        S3Exception invalid = assertThrows(S3Exception.class, () -> s3.completeMultipartUpload(b -> b.bucket(bucket)
                .key("bad").uploadId(uploadId).multipartUpload(m -> m.parts(wrongTag))));
        assertEquals("InvalidPart", invalid.awsErrorDetails().errorCode());
        CompletedPart missing = CompletedPart.builder().partNumber(7).eTag(p1.eTag()).build();
        assertEquals("InvalidPart", assertThrows(S3Exception.class, () -> s3.completeMultipartUpload(b -> b.bucket(bucket)
                .key("bad").uploadId(uploadId).multipartUpload(m -> m.parts(p1, missing)))).awsErrorDetails().errorCode());
        S3Exception small = assertThrows(S3Exception.class, () -> s3.completeMultipartUpload(b -> b.bucket(bucket)
                .key("bad").uploadId(uploadId).multipartUpload(m -> m.parts(p1, p2))));
        assertEquals("EntityTooSmall", small.awsErrorDetails().errorCode());
        assertEquals(2, s3.listParts(b -> b.bucket(bucket).key("bad").uploadId(uploadId)).parts().size(),
                "a failed complete leaves the upload as it was");
    }

    @Test
    void unknownUploadIdIsNoSuchUpload() {
        assertThrows(NoSuchUploadException.class, () -> s3.uploadPart(b -> b.bucket(bucket).key("k")
                .uploadId("0f8fad5b-d9cb-469f-a165-000000000000").partNumber(1), RequestBody.fromString("x")));
        assertThrows(NoSuchUploadException.class, () -> s3.uploadPart(b -> b.bucket(bucket).key("k")
                .uploadId("not-an-upload-id").partNumber(1), RequestBody.fromString("x")));
    }

    @Test
    void partNumberOutOfRangeIsInvalidArgument() {
        String uploadId = create("k");
        S3Exception error = assertThrows(S3Exception.class, () -> s3.uploadPart(b -> b.bucket(bucket).key("k")
                .uploadId(uploadId).partNumber(10001), RequestBody.fromString("x")));
        assertEquals("InvalidArgument", error.awsErrorDetails().errorCode());
    }

    @Test
    void uploadPartCopyTakesARangeOfAnotherObject() {
        byte[] source = bytes(6 * MIB, 9);
        s3.putObject(b -> b.bucket(bucket).key("source"), RequestBody.fromBytes(source));
        String uploadId = create("copy");
        UploadPartCopyResponse copied = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("source")
                .destinationBucket(bucket).destinationKey("copy").uploadId(uploadId).partNumber(1)
                .copySourceRange("bytes=0-" + (5 * MIB - 1)));
        CompletedPart p1 = CompletedPart.builder().partNumber(1).eTag(copied.copyPartResult().eTag()).build();
        CompletedPart p2 = upload("copy", uploadId, 2, new byte[] {1, 2, 3});
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("copy").uploadId(uploadId).multipartUpload(m -> m.parts(p1, p2)));
        byte[] result = s3.getObjectAsBytes(b -> b.bucket(bucket).key("copy")).asByteArray();
        assertEquals(5 * MIB + 3, result.length);
        assertArrayEquals(Arrays.copyOf(source, 5 * MIB), Arrays.copyOf(result, 5 * MIB));
    }

    @Test
    void compositeChecksumIsReturnedForAMultipartObject() {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("sum")
                .checksumAlgorithm(ChecksumAlgorithm.CRC32)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int number = 1; number <= 2; number++) {
            int n = number;
            byte[] data = bytes(n == 1 ? 5 * MIB : 100, n);
            UploadPartResponse response = s3.uploadPart(b -> b.bucket(bucket).key("sum").uploadId(uploadId).partNumber(n)
                    .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(data));
            parts.add(CompletedPart.builder().partNumber(n).eTag(response.eTag()).checksumCRC32(response.checksumCRC32())
                    .build());
        }
        CompleteMultipartUploadResponse done = s3.completeMultipartUpload(b -> b.bucket(bucket).key("sum")
                .uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
        assertNotNull(done.checksumCRC32());
        assertTrue(done.checksumCRC32().endsWith("-2"), done.checksumCRC32());
        var head = s3.headObject(b -> b.bucket(bucket).key("sum").checksumMode(ChecksumMode.ENABLED));
        assertEquals(done.checksumCRC32(), head.checksumCRC32());
    }

    @Test
    void crc64nvmeUploadsGetTheFullObjectChecksumOfTheWhole() throws Exception {
        byte[] one = bytes(5 * MIB, 3);
        byte[] two = bytes(777, 4);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("full")
                .checksumAlgorithm(ChecksumAlgorithm.CRC64_NVME)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        int number = 1;
        for (byte[] data : List.of(one, two)) {
            int n = number++;
            UploadPartResponse response = s3.uploadPart(b -> b.bucket(bucket).key("full").uploadId(uploadId).partNumber(n)
                    .checksumAlgorithm(ChecksumAlgorithm.CRC64_NVME), RequestBody.fromBytes(data));
            parts.add(CompletedPart.builder().partNumber(n).eTag(response.eTag())
                    .checksumCRC64NVME(response.checksumCRC64NVME()).build());
        }
        CompleteMultipartUploadResponse done = s3.completeMultipartUpload(b -> b.bucket(bucket).key("full")
                .uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
        io.github.s3ite.server.checksum.ChecksumDigest whole = io.github.s3ite.server.checksum.ChecksumAlgorithm.CRC64NVME
                .newDigest();
        whole.update(one, 0, one.length);
        whole.update(two, 0, two.length);
        String expected = java.util.Base64.getEncoder().encodeToString(whole.digest());
        assertEquals(expected, done.checksumCRC64NVME());
        assertEquals("FULL_OBJECT", done.checksumTypeAsString());
        assertEquals(expected, s3.headObject(b -> b.bucket(bucket).key("full").checksumMode(ChecksumMode.ENABLED))
                .checksumCRC64NVME());
    }

    @Test
    void asyncMultipartClientUploadsAndDownloadsALargeObject() throws Exception {
        byte[] data = bytes(17 * MIB + 5, 4);
        try (S3AsyncClient async = S3AsyncClient.builder()
                .endpointOverride(server.getEndpoint())
                .region(software.amazon.awssdk.regions.Region.of(server.getRegion()))
                .credentialsProvider(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                        server.getAccessKey(), server.getSecretKey()))
                .forcePathStyle(true)
                .multipartEnabled(true)
                .multipartConfiguration(c -> c.minimumPartSizeInBytes(8L * MIB).thresholdInBytes(8L * MIB))
                .build()) {
            async.putObject(b -> b.bucket(bucket).key("async-large"), AsyncRequestBody.fromBytes(data)).join();
            byte[] back = async.getObject(b -> b.bucket(bucket).key("async-large"), AsyncResponseTransformer.toBytes())
                    .join().asByteArray();
            assertArrayEquals(data, back);
        }
        String etag = s3.headObject(b -> b.bucket(bucket).key("async-large")).eTag();
        assertTrue(etag.endsWith("-3\""), etag);
    }

    @Test
    void transferManagerUploadsAndDownloadsAFile(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("source.bin");
        Files.write(source, bytes(9 * MIB, 6));
        Path target = dir.resolve("target.bin");
        try (S3AsyncClient async = server.createAsyncClient();
             S3TransferManager transfers = S3TransferManager.builder().s3Client(async).build()) {
            transfers.uploadFile(u -> u.source(source).putObjectRequest(p -> p.bucket(bucket).key("file.bin")))
                    .completionFuture().join();
            transfers.downloadFile(d -> d.destination(target).getObjectRequest(g -> g.bucket(bucket).key("file.bin")))
                    .completionFuture().join();
        }
        assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(target));
    }

    @Test
    void unfinishedUploadsSurviveARestart(@TempDir Path dir) {
        try (S3iteServer first = new S3iteServer(dir).withBucket("survivor").start()) {
            S3Client client = first.createClient();
            String uploadId = client.createMultipartUpload(b -> b.bucket("survivor").key("k")).uploadId();
            client.uploadPart(b -> b.bucket("survivor").key("k").uploadId(uploadId).partNumber(1),
                    RequestBody.fromString("part one"));
        }
        try (S3iteServer second = new S3iteServer(dir).start()) {
            S3Client client = second.createClient();
            var uploads = client.listMultipartUploads(b -> b.bucket("survivor")).uploads();
            assertEquals(1, uploads.size());
            String uploadId = uploads.get(0).uploadId();
            var part = client.listParts(b -> b.bucket("survivor").key("k").uploadId(uploadId)).parts().get(0);
            client.completeMultipartUpload(b -> b.bucket("survivor").key("k").uploadId(uploadId)
                    .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(part.eTag()).build())));
            assertEquals("part one", client.getObjectAsBytes(b -> b.bucket("survivor").key("k")).asUtf8String());
        }
    }

    @Test
    void completingPartsLargerInTotalThanTheMaximumObjectIsEntityTooLargeAndKeepsTheUpload() throws Exception {
        String uploadId = create("too-big");
        long partSize = 500_000_001L;
        String etag = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(new byte[] {1}));
        // Two parts whose recorded sizes add up to more than the maximum object, written straight into
        // the bucket file: the total is what is checked, from the recorded sizes and before a byte is
        // assembled, so small values stand in for a gigabyte of real ones.
        Path file = server.getDataDirectory().resolve(bucket + ".sqlite3");
        try (java.sql.Connection sqlite = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             java.sql.PreparedStatement insert = sqlite.prepareStatement(
                     "INSERT INTO multipart_upload_part (upload_id, last_modified, part_number, value, size, md5)"
                             + " SELECT upload_id, last_modified, ?, X'01', ?, ? FROM multipart_upload")) {
            for (int number = 1; number <= 2; number++) {
                insert.setInt(1, number);
                insert.setLong(2, partSize);
                insert.setString(3, etag);
                insert.executeUpdate();
            }
        }
        S3Exception error = assertThrows(S3Exception.class, () -> s3.completeMultipartUpload(b -> b.bucket(bucket)
                .key("too-big").uploadId(uploadId).multipartUpload(m -> m.parts(
                        CompletedPart.builder().partNumber(1).eTag(etag).build(),
                        CompletedPart.builder().partNumber(2).eTag(etag).build()))));
        assertEquals(400, error.statusCode());
        assertEquals("EntityTooLarge", error.awsErrorDetails().errorCode());
        assertEquals(2, s3.listParts(b -> b.bucket(bucket).key("too-big").uploadId(uploadId)).parts().size());
        s3.abortMultipartUpload(b -> b.bucket(bucket).key("too-big").uploadId(uploadId));
    }
}
