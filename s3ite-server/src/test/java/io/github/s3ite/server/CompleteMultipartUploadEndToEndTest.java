package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** CompleteMultipartUpload answered again after success, and checked against a whole-object checksum. */
class CompleteMultipartUploadEndToEndTest {
    private static final int MIB = 1024 * 1024;
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3iteServer server;
    private static S3Client s3;
    private static S3AsyncClient async;
    private String bucket;

    @BeforeAll
    static void start() {
        server = new S3iteServer().start();
        s3 = server.createClient();
        async = server.createAsyncClient();
    }

    @AfterAll
    static void stop() {
        async.close();
        server.stop();
    }

    @BeforeEach
    void newBucket() {
        bucket = "complete-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket));
    }

    private static final byte[] ONE = MultipartEndToEndTest.bytes(5 * MIB, 1);
    private static final byte[] TWO = MultipartEndToEndTest.bytes(100, 2);

    /** An upload of ONE and TWO as parts 1 and 2; returns its id and the parts to complete it with. */
    private Upload upload(String key, ChecksumAlgorithm algorithm, ChecksumType type) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).checksumAlgorithm(algorithm)
                .checksumType(type)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        List<String> checksums = new ArrayList<>();
        byte[][] data = {ONE, TWO};
        for (int i = 0; i < data.length; i++) {
            int number = i + 1;
            var response = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                    .checksumAlgorithm(algorithm), RequestBody.fromBytes(data[i]));
            parts.add(CompletedPart.builder().partNumber(number).eTag(response.eTag())
                    .checksumCRC32(response.checksumCRC32()).build());
            checksums.add(response.checksumCRC32());
        }
        return new Upload(uploadId, parts, checksums);
    }

    private record Upload(String id, List<CompletedPart> parts, List<String> partChecksums) {
    }

    private static String crc32(byte[]... chunks) {
        CRC32 crc = new CRC32();
        for (byte[] chunk : chunks) {
            crc.update(chunk);
        }
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static String composite(List<String> partChecksums) {
        CRC32 crc = new CRC32();
        for (String part : partChecksums) {
            crc.update(Base64.getDecoder().decode(part));
        }
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array())
                + "-" + partChecksums.size();
    }

    private static void assertBadDigest(Runnable call) {
        S3Exception failure = assertThrows(S3Exception.class, call::run);
        assertEquals(400, failure.statusCode());
        assertEquals("BadDigest", failure.awsErrorDetails().errorCode());
    }

    @Test
    void completingAgainAfterSuccessAnswersTheSameResult() {
        Upload upload = upload("twice", ChecksumAlgorithm.CRC32, null);
        CompleteMultipartUploadResponse first = s3.completeMultipartUpload(b -> b.bucket(bucket).key("twice")
                .uploadId(upload.id()).multipartUpload(m -> m.parts(upload.parts())));
        CompleteMultipartUploadResponse second = s3.completeMultipartUpload(b -> b.bucket(bucket).key("twice")
                .uploadId(upload.id()).multipartUpload(m -> m.parts(upload.parts())));
        assertEquals(first.eTag(), second.eTag());
        assertEquals(first.checksumCRC32(), second.checksumCRC32());
        assertEquals(first.checksumType(), second.checksumType());
        assertEquals("twice", second.key());
        assertEquals(ONE.length + TWO.length,
                s3.getObjectAsBytes(b -> b.bucket(bucket).key("twice")).asByteArray().length);
        assertTrue(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().isEmpty());
    }

    @Test
    void asyncCompletingAgainAfterSuccessAnswersTheSameResult() {
        Upload upload = upload("twice", null, null);
        CompleteMultipartUploadResponse first = async.completeMultipartUpload(b -> b.bucket(bucket).key("twice")
                .uploadId(upload.id()).multipartUpload(m -> m.parts(upload.parts()))).join();
        CompleteMultipartUploadResponse second = async.completeMultipartUpload(b -> b.bucket(bucket).key("twice")
                .uploadId(upload.id()).multipartUpload(m -> m.parts(upload.parts()))).join();
        assertEquals(first.eTag(), second.eTag());
    }

    @Test
    void aCompletedUploadIdIsNoUploadForAnotherKeyNorForOtherOperations() {
        Upload upload = upload("done", null, null);
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("done").uploadId(upload.id())
                .multipartUpload(m -> m.parts(upload.parts())));
        assertThrows(NoSuchUploadException.class, () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("other")
                .uploadId(upload.id()).multipartUpload(m -> m.parts(upload.parts()))));
        assertThrows(NoSuchUploadException.class, () -> s3.listParts(b -> b.bucket(bucket).key("done").uploadId(upload.id())));
        assertThrows(NoSuchUploadException.class, () -> s3.abortMultipartUpload(b -> b.bucket(bucket).key("done")
                .uploadId(upload.id())));
    }

    @Test
    void aFullObjectChecksumThatDoesNotMatchIsBadDigestAndKeepsTheUpload() {
        Upload upload = upload("full", ChecksumAlgorithm.CRC32, ChecksumType.FULL_OBJECT);
        assertBadDigest(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("full").uploadId(upload.id())
                .checksumCRC32(crc32(TWO)).checksumType(ChecksumType.FULL_OBJECT)
                .multipartUpload(m -> m.parts(upload.parts()))));
        assertEquals(2, s3.listParts(b -> b.bucket(bucket).key("full").uploadId(upload.id())).parts().size());
        String whole = crc32(ONE, TWO);
        CompleteMultipartUploadResponse done = s3.completeMultipartUpload(b -> b.bucket(bucket).key("full")
                .uploadId(upload.id()).checksumCRC32(whole).checksumType(ChecksumType.FULL_OBJECT)
                .multipartUpload(m -> m.parts(upload.parts())));
        assertEquals(whole, done.checksumCRC32());
    }

    @Test
    void aCompositeChecksumThatDoesNotMatchIsBadDigest() {
        Upload upload = upload("composite", ChecksumAlgorithm.CRC32, null);
        assertBadDigest(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("composite").uploadId(upload.id())
                .checksumCRC32("AAAAAA==-2").checksumType(ChecksumType.COMPOSITE)
                .multipartUpload(m -> m.parts(upload.parts()))));
        String expected = composite(upload.partChecksums());
        CompleteMultipartUploadResponse done = s3.completeMultipartUpload(b -> b.bucket(bucket).key("composite")
                .uploadId(upload.id()).checksumCRC32(expected).checksumType(ChecksumType.COMPOSITE)
                .multipartUpload(m -> m.parts(upload.parts())));
        assertEquals(expected, done.checksumCRC32());
    }

    @Test
    void aFullObjectChecksumIsCheckedForAnUploadThatNamedNoAlgorithm() {
        Upload upload = upload("plain", null, null);
        assertBadDigest(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("plain").uploadId(upload.id())
                .checksumCRC32(crc32(ONE)).multipartUpload(m -> m.parts(upload.parts()))));
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("plain").uploadId(upload.id())
                .checksumCRC32(crc32(ONE, TWO)).multipartUpload(m -> m.parts(upload.parts())));
        byte[] back = s3.getObjectAsBytes(b -> b.bucket(bucket).key("plain")).asByteArray();
        assertArrayEquals(ONE, java.util.Arrays.copyOf(back, ONE.length));
    }

    @Test
    void asyncWholeObjectChecksumThatDoesNotMatchIsBadDigest() {
        Upload upload = upload("full", ChecksumAlgorithm.CRC32, ChecksumType.FULL_OBJECT);
        CompletionException failure = assertThrows(CompletionException.class, () -> async.completeMultipartUpload(
                b -> b.bucket(bucket).key("full").uploadId(upload.id()).checksumCRC32(crc32(ONE))
                        .checksumType(ChecksumType.FULL_OBJECT).multipartUpload(m -> m.parts(upload.parts()))).join());
        S3Exception cause = (S3Exception) failure.getCause();
        assertEquals(400, cause.statusCode());
        assertEquals("BadDigest", cause.awsErrorDetails().errorCode());
    }
}
