package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Ranged reads of objects larger than 1 MiB through the AWS SDK, served from the range cache after
 * the first: the right bytes wherever the range lies, the new bytes after every write, nothing
 * after a delete or a reset, versions by id, SSE-C ranges decrypted from the cached ciphertext; and
 * the cache's memory, which gives way to requests that need the budget.
 */
class RangeCacheEndToEndTest {
    private static final int MIB = 1024 * 1024;
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final String CUSTOMER_KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static S3iteServer server;
    private static S3Client s3;
    private String bucket;

    @BeforeAll
    static void start() {
        server = new S3iteServer().withMemoryBudget(256L * MIB).start();
        s3 = server.createClient();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void newBucket() {
        bucket = "ranges-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket));
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private byte[] range(String key, long first, long last) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).range("bytes=" + first + "-" + last)).asByteArray();
    }

    private static byte[] slice(byte[] value, long first, long last) {
        return Arrays.copyOfRange(value, (int) first, (int) last + 1);
    }

    /** A multipart object of parts of these sizes; returns its bytes. */
    private byte[] putMultipart(String key, int... sizes) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        byte[] whole = new byte[Arrays.stream(sizes).sum()];
        int offset = 0;
        for (int i = 0; i < sizes.length; i++) {
            byte[] part = random(sizes[i], 100 + i);
            System.arraycopy(part, 0, whole, offset, part.length);
            offset += part.length;
            int number = i + 1;
            String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                    RequestBody.fromBytes(part)).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
        return whole;
    }

    @Test
    void rangesAtTheStartMiddleAndEndAndAcrossPartBoundariesAreTheObjectsBytes() {
        byte[] value = putMultipart("video.mp4", 5 * MIB, 5 * MIB, 3 * MIB);
        long size = value.length;
        assertArrayEquals(slice(value, 0, 99), range("video.mp4", 0, 99));
        assertTrue(server.getRangeCacheBytes() >= size, "the first range keeps the whole object");
        assertArrayEquals(slice(value, 6 * MIB, 7 * MIB - 1), range("video.mp4", 6 * MIB, 7 * MIB - 1));
        assertArrayEquals(slice(value, size - 100, size - 1), range("video.mp4", size - 100, size - 1));
        assertArrayEquals(slice(value, 5L * MIB - 10, 5L * MIB + 9), range("video.mp4", 5L * MIB - 10, 5L * MIB + 9));
        assertArrayEquals(slice(value, 2 * MIB, 12L * MIB), range("video.mp4", 2 * MIB, 12L * MIB));
        assertArrayEquals(slice(value, size - 10, size - 1), s3.getObjectAsBytes(b -> b.bucket(bucket).key("video.mp4")
                .range("bytes=-10")).asByteArray());
        ResponseBytes<GetObjectResponse> tail = s3.getObjectAsBytes(b -> b.bucket(bucket).key("video.mp4")
                .range("bytes=" + (size - 5) + "-"));
        assertArrayEquals(slice(value, size - 5, size - 1), tail.asByteArray());
        assertEquals("bytes " + (size - 5) + "-" + (size - 1) + "/" + size, tail.response().contentRange());
        for (int number = 1; number <= 3; number++) {
            int part = number;
            ResponseBytes<GetObjectResponse> read = s3.getObjectAsBytes(b -> b.bucket(bucket).key("video.mp4")
                    .partNumber(part));
            long first = (part - 1) * 5L * MIB;
            assertArrayEquals(slice(value, first, first + read.asByteArray().length - 1), read.asByteArray());
            assertEquals(3, read.response().partsCount());
        }
        assertArrayEquals(value, s3.getObjectAsBytes(b -> b.bucket(bucket).key("video.mp4")).asByteArray());
        assertEquals(size, s3.headObject(b -> b.bucket(bucket).key("video.mp4")).contentLength());
        S3Exception beyond = assertThrows(S3Exception.class, () -> range("video.mp4", size, size + 10));
        assertEquals(416, beyond.statusCode());
    }

    @Test
    void aRangeAfterAnOverwriteServesTheNewBytes() {
        byte[] first = random(3 * MIB, 1);
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromBytes(first));
        assertArrayEquals(slice(first, MIB, MIB + 99), range("k", MIB, MIB + 99));
        String firstEtag = s3.headObject(b -> b.bucket(bucket).key("k")).eTag();

        byte[] second = random(3 * MIB, 2);
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromBytes(second));
        ResponseBytes<GetObjectResponse> read = s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")
                .range("bytes=" + MIB + "-" + (MIB + 99)));
        assertArrayEquals(slice(second, MIB, MIB + 99), read.asByteArray());
        assertNotEquals(firstEtag, read.response().eTag());

        byte[] third = putMultipart("k", 5 * MIB, 2 * MIB);
        assertArrayEquals(slice(third, 5L * MIB - 1, 5L * MIB), range("k", 5L * MIB - 1, 5L * MIB));
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("k").destinationBucket(bucket).destinationKey("copy"));
        assertArrayEquals(slice(third, 0, 9), range("copy", 0, 9));
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("copy").destinationBucket(bucket).destinationKey("k")
                .metadataDirective("REPLACE").contentType("text/plain"));
        assertEquals("text/plain", s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").range("bytes=0-0")).response()
                .contentType());
    }

    @Test
    void aTagChangeIsSeenByTheNextRange() {
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromBytes(random(2 * MIB, 1)));
        range("k", 0, 0);
        s3.putObjectTagging(b -> b.bucket(bucket).key("k").tagging(t -> t.tagSet(s -> s.key("a").value("b"))));
        assertEquals(1, s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").range("bytes=0-0")).response().tagCount());
    }

    @Test
    void aRangeOfADeletedObjectIsNotFound() {
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromBytes(random(2 * MIB, 1)));
        range("k", 0, 9);
        s3.deleteObject(b -> b.bucket(bucket).key("k"));
        assertThrows(NoSuchKeyException.class, () -> range("k", 0, 9));
        s3.putObject(b -> b.bucket(bucket).key("j"), RequestBody.fromBytes(random(2 * MIB, 2)));
        range("j", 0, 9);
        s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(o -> o.key("j"))));
        assertThrows(NoSuchKeyException.class, () -> range("j", 0, 9));
    }

    @Test
    void versionsAreServedByTheirVersionIds() {
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        byte[] first = random(2 * MIB, 1);
        String v1 = s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromBytes(first)).versionId();
        byte[] second = random(2 * MIB, 2);
        String v2 = s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromBytes(second)).versionId();
        for (int round = 0; round < 2; round++) {
            ResponseBytes<GetObjectResponse> old = s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").versionId(v1)
                    .range("bytes=100-199"));
            assertArrayEquals(slice(first, 100, 199), old.asByteArray());
            assertEquals(v1, old.response().versionId());
            assertArrayEquals(slice(second, 100, 199), range("k", 100, 199));
            assertArrayEquals(slice(second, 0, 9), s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").versionId(v2)
                    .range("bytes=0-9")).asByteArray());
        }
        s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(v2));
        ResponseBytes<GetObjectResponse> current = s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").range("bytes=0-9"));
        assertArrayEquals(slice(first, 0, 9), current.asByteArray());
        assertEquals(v1, current.response().versionId());
        s3.deleteObject(b -> b.bucket(bucket).key("k"));
        assertThrows(NoSuchKeyException.class, () -> range("k", 0, 9));
        assertArrayEquals(slice(first, 5, 9), s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").versionId(v1)
                .range("bytes=5-9")).asByteArray());
        s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(v1));
        S3Exception gone = assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")
                .versionId(v1).range("bytes=5-9")));
        assertEquals("NoSuchVersion", gone.awsErrorDetails().errorCode());
    }

    private static GetObjectRequest.Builder withKey(GetObjectRequest.Builder builder) {
        return builder.sseCustomerAlgorithm("AES256").sseCustomerKey(CUSTOMER_KEY).sseCustomerKeyMD5(md5(CUSTOMER_KEY));
    }

    private static String md5(String base64Key) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("MD5").digest(Base64.getDecoder().decode(base64Key)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void rangesOfAnSseCObjectAreDecryptedFromTheCachedCiphertext() {
        byte[] value = random(3 * MIB, 1);
        s3.putObject(b -> b.bucket(bucket).key("secret").sseCustomerAlgorithm("AES256").sseCustomerKey(CUSTOMER_KEY)
                .sseCustomerKeyMD5(md5(CUSTOMER_KEY)), RequestBody.fromBytes(value));
        for (int round = 0; round < 3; round++) {
            assertArrayEquals(slice(value, 17, 1040), s3.getObjectAsBytes(b -> withKey(b.bucket(bucket).key("secret")
                    .range("bytes=17-1040"))).asByteArray());
            assertArrayEquals(slice(value, 2 * MIB + 3, 3 * MIB - 1), s3.getObjectAsBytes(b -> withKey(
                    b.bucket(bucket).key("secret").range("bytes=" + (2 * MIB + 3) + "-"))).asByteArray());
        }
        assertArrayEquals(value, s3.getObjectAsBytes(b -> withKey(b.bucket(bucket).key("secret"))).asByteArray());
        assertEquals(400, assertThrows(S3Exception.class, () -> range("secret", 0, 9)).statusCode());
        String otherKey = Base64.getEncoder().encodeToString(random(32, 9));
        assertEquals(403, assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("secret")
                .range("bytes=0-9").sseCustomerAlgorithm("AES256").sseCustomerKey(otherKey)
                .sseCustomerKeyMD5(md5(otherKey)))).statusCode());

        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("parts").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(CUSTOMER_KEY).sseCustomerKeyMD5(md5(CUSTOMER_KEY))).uploadId();
        byte[] one = random(5 * MIB, 2);
        byte[] two = random(MIB, 3);
        List<CompletedPart> parts = new ArrayList<>();
        int number = 1;
        for (byte[] part : List.of(one, two)) {
            int partNumber = number++;
            String etag = s3.uploadPart(b -> b.bucket(bucket).key("parts").uploadId(uploadId).partNumber(partNumber)
                    .sseCustomerAlgorithm("AES256").sseCustomerKey(CUSTOMER_KEY).sseCustomerKeyMD5(md5(CUSTOMER_KEY)),
                    RequestBody.fromBytes(part)).eTag();
            parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("parts").uploadId(uploadId).multipartUpload(m -> m.parts(parts))
                .sseCustomerAlgorithm("AES256").sseCustomerKey(CUSTOMER_KEY).sseCustomerKeyMD5(md5(CUSTOMER_KEY)));
        byte[] expected = new byte[40];
        System.arraycopy(one, 5 * MIB - 20, expected, 0, 20);
        System.arraycopy(two, 0, expected, 20, 20);
        for (int round = 0; round < 2; round++) {
            assertArrayEquals(expected, s3.getObjectAsBytes(b -> withKey(b.bucket(bucket).key("parts")
                    .range("bytes=" + (5 * MIB - 20) + "-" + (5 * MIB + 19)))).asByteArray());
            assertArrayEquals(two, s3.getObjectAsBytes(b -> withKey(b.bucket(bucket).key("parts").partNumber(2)))
                    .asByteArray());
        }
    }

    @Test
    void aResetDropsWhatTheCacheKeptOfItsBuckets() {
        try (S3iteServer own = new S3iteServer().withBucket("seeded").withMemoryBudget(64L * MIB).start();
             S3Client client = own.createClient()) {
            byte[] value = random(2 * MIB, 1);
            client.putObject(b -> b.bucket("seeded").key("k"), RequestBody.fromBytes(value));
            assertArrayEquals(slice(value, 0, 9), client.getObjectAsBytes(b -> b.bucket("seeded").key("k")
                    .range("bytes=0-9")).asByteArray());
            assertEquals(2L * MIB, own.getRangeCacheBytes());
            own.reset();
            assertEquals(0, own.getRangeCacheBytes());
            assertThrows(NoSuchKeyException.class, () -> client.getObjectAsBytes(b -> b.bucket("seeded").key("k")
                    .range("bytes=0-9")));
        }
    }

    @Test
    void aResetThatPutsBackTheSeedsRowsDropsWhatTheCacheKeptOfThem(@org.junit.jupiter.api.io.TempDir
                                                                    java.nio.file.Path dir) {
        byte[] seeded = random(2 * MIB, 1);
        byte[] written = random(2 * MIB, 2);
        java.nio.file.Path seed = dir.resolve("seed.sqlite3");
        try (S3iteServer maker = new S3iteServer().withBucket("seeded").start();
             S3Client client = maker.createClient()) {
            client.putObject(b -> b.bucket("seeded").key("k"), RequestBody.fromBytes(seeded));
            maker.snapshot("seeded", seed);
        }
        try (S3iteServer own = new S3iteServer().withBucket("seeded", seed).withMemoryBudget(64L * MIB).start();
             S3Client client = own.createClient()) {
            client.putObject(b -> b.bucket("seeded").key("k"), RequestBody.fromBytes(written));
            assertArrayEquals(slice(written, 0, 9), client.getObjectAsBytes(b -> b.bucket("seeded").key("k")
                    .range("bytes=0-9")).asByteArray());
            own.reset(); // two writes of a seed of one object: its rows are put back in place, not copied
            assertArrayEquals(slice(seeded, 0, 9), client.getObjectAsBytes(b -> b.bucket("seeded").key("k")
                    .range("bytes=0-9")).asByteArray());
        }
    }

    @Test
    void anUploadThatNeedsTheBudgetTheCacheHoldsTakesItBackAndSucceeds() {
        try (S3iteServer small = new S3iteServer().withBucket("tight")
                .withMemoryBudget(48L * MIB, Duration.ofMillis(100)).withRangeCache(30L * MIB).start();
             S3Client client = small.createClient()) {
            byte[] a = random(12 * MIB, 1);
            byte[] b = random(12 * MIB, 2);
            client.putObject(put -> put.bucket("tight").key("a"), RequestBody.fromBytes(a));
            client.putObject(put -> put.bucket("tight").key("b"), RequestBody.fromBytes(b));
            client.getObjectAsBytes(get -> get.bucket("tight").key("a").range("bytes=0-9"));
            client.getObjectAsBytes(get -> get.bucket("tight").key("b").range("bytes=0-9"));
            assertEquals(24L * MIB, small.getRangeCacheBytes());

            byte[] large = random(20 * MIB, 3);
            small.clearRequests();
            client.putObject(put -> put.bucket("tight").key("large"), RequestBody.fromBytes(large));
            assertEquals(List.of(200), small.getRequests("PutObject").stream().map(RecordedRequest::status).toList(),
                    "answered at the first attempt, no SlowDown");
            // the upload held about 40 MiB of the 48 at once: received, and decoded
            assertEquals(0, small.getRangeCacheBytes(), "the cache gave its bytes back");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (small.getBufferedBytes() != 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(0, small.getBufferedBytes());

            assertArrayEquals(slice(large, 20 * MIB - 10, 20 * MIB - 1), client.getObjectAsBytes(get -> get.bucket("tight")
                    .key("large").range("bytes=-10")).asByteArray());
            assertArrayEquals(slice(a, MIB, MIB + 9), client.getObjectAsBytes(get -> get.bucket("tight").key("a")
                    .range("bytes=" + MIB + "-" + (MIB + 9))).asByteArray());
            assertTrue(small.getRangeCacheBytes() <= 30L * MIB, "never more than its capacity");
        }
    }
}
