package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;

/** PutObject, GetObject, HeadObject, DeleteObject(s), CopyObject and tagging through the AWS SDK v2. */
class ObjectOperationsEndToEndTest {
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
        bucket = "objects-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket));
    }

    private void put(String key, String content) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content));
    }

    private String get(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
    }

    @Test
    void putThenGetReturnsTheSameBytesAndMd5ETag() {
        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("hello.txt"), RequestBody.fromString("hello world"));
        assertEquals("\"5eb63bbbe01eeed093cb22bb8f5acdc3\"", put.eTag());
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("hello.txt"));
        assertEquals("hello world", got.asUtf8String());
        assertEquals("\"5eb63bbbe01eeed093cb22bb8f5acdc3\"", got.response().eTag());
        assertEquals(11L, got.response().contentLength());
    }

    @Test
    void headOfAnObjectOverOneMebibyteDescribesItAsAGetDoes() {
        byte[] data = new byte[2 * 1024 * 1024 + 3];
        new java.util.Random(5).nextBytes(data);
        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("large").contentType("application/x-test")
                .metadata(java.util.Map.of("color", "blue")), RequestBody.fromBytes(data));
        var head = s3.headObject(b -> b.bucket(bucket).key("large"));
        var got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("large"));
        assertArrayEquals(data, got.asByteArray());
        assertEquals(data.length, head.contentLength());
        assertEquals(put.eTag(), head.eTag());
        assertEquals("application/x-test", head.contentType());
        assertEquals(java.util.Map.of("color", "blue"), head.metadata());
        assertEquals(got.response().lastModified(), head.lastModified());
        var notModified = assertThrows(software.amazon.awssdk.services.s3.model.S3Exception.class,
                () -> s3.headObject(b -> b.bucket(bucket).key("large").ifNoneMatch(put.eTag())));
        assertEquals(304, notModified.statusCode());
        s3.deleteObject(b -> b.bucket(bucket).key("large"));
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket(bucket).key("large")));
    }

    @Test
    void emptyObjectRoundTrips() {
        s3.putObject(b -> b.bucket(bucket).key("empty"), RequestBody.empty());
        assertEquals(0, s3.getObjectAsBytes(b -> b.bucket(bucket).key("empty")).asByteArray().length);
        assertEquals(0L, s3.headObject(b -> b.bucket(bucket).key("empty")).contentLength());
    }

    @Test
    void keysWithSpecialCharactersRoundTrip() {
        List<String> keys = List.of("a b/c+d", "unicode/café 漢字.txt", "percent%20sign", "q?x=1&y=2", "hash#tag",
                "dots/../x", "~tilde", "emoji-\uD83D\uDE00");
        for (String key : keys) {
            put(key, key);
        }
        for (String key : keys) {
            assertEquals(key, get(key));
        }
    }

    @Test
    void userMetadataAndSystemHeadersAreKept() {
        s3.putObject(b -> b.bucket(bucket).key("meta").metadata(Map.of("Camera", "nikon", "label", "cat"))
                .contentType("image/jpeg").contentEncoding("gzip").contentDisposition("attachment; filename=\"x.jpg\"")
                .cacheControl("max-age=60").contentLanguage("en").expires(Instant.parse("2030-01-01T00:00:00Z")),
                RequestBody.fromString("x"));
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("meta"));
        assertEquals(Map.of("camera", "nikon", "label", "cat"), head.metadata());
        assertEquals("image/jpeg", head.contentType());
        assertEquals("gzip", head.contentEncoding());
        assertEquals("attachment; filename=\"x.jpg\"", head.contentDisposition());
        assertEquals("max-age=60", head.cacheControl());
        assertEquals("en", head.contentLanguage());
        assertEquals(Instant.parse("2030-01-01T00:00:00Z"), head.expires());
        assertEquals("bytes", head.acceptRanges());
    }

    @Test
    void responseOverridesReplaceStoredHeaders() {
        s3.putObject(b -> b.bucket(bucket).key("o").contentType("text/plain"), RequestBody.fromString("x"));
        GetObjectResponse response = s3.getObjectAsBytes(b -> b.bucket(bucket).key("o")
                .responseContentType("application/json").responseContentDisposition("inline")
                .responseCacheControl("no-cache")).response();
        assertEquals("application/json", response.contentType());
        assertEquals("inline", response.contentDisposition());
        assertEquals("no-cache", response.cacheControl());
    }

    @Test
    void rangesReturnPartialContent() {
        put("r", "0123456789");
        ResponseBytes<GetObjectResponse> middle = s3.getObjectAsBytes(b -> b.bucket(bucket).key("r").range("bytes=2-5"));
        assertEquals("2345", middle.asUtf8String());
        assertEquals("bytes 2-5/10", middle.response().contentRange());
        assertEquals("789", s3.getObjectAsBytes(b -> b.bucket(bucket).key("r").range("bytes=-3")).asUtf8String());
        assertEquals("89", s3.getObjectAsBytes(b -> b.bucket(bucket).key("r").range("bytes=8-")).asUtf8String());
        assertEquals("89", s3.getObjectAsBytes(b -> b.bucket(bucket).key("r").range("bytes=8-100")).asUtf8String());
        S3Exception error = assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("r").range("bytes=10-")));
        assertEquals(416, error.statusCode());
        assertEquals("InvalidRange", error.awsErrorDetails().errorCode());
    }

    @Test
    void conditionalGetsAnswer304And412() {
        put("c", "content");
        String etag = s3.headObject(b -> b.bucket(bucket).key("c")).eTag();
        Instant lastModified = s3.headObject(b -> b.bucket(bucket).key("c")).lastModified();
        assertEquals("content", s3.getObjectAsBytes(b -> b.bucket(bucket).key("c").ifMatch(etag)).asUtf8String());
        S3Exception notModified = assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("c").ifNoneMatch(etag)));
        assertEquals(304, notModified.statusCode());
        S3Exception failed = assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("c").ifMatch("\"0000\"")));
        assertEquals(412, failed.statusCode());
        assertEquals("PreconditionFailed", failed.awsErrorDetails().errorCode());
        S3Exception notModifiedSince = assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("c").ifModifiedSince(lastModified.plusSeconds(5))));
        assertEquals(304, notModifiedSince.statusCode());
        S3Exception modifiedSince = assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("c").ifUnmodifiedSince(lastModified.minusSeconds(5))));
        assertEquals(412, modifiedSince.statusCode());
        assertEquals("content", s3.getObjectAsBytes(b -> b.bucket(bucket).key("c")
                .ifModifiedSince(lastModified.minusSeconds(5))).asUtf8String());
    }

    @Test
    void missingKeyAndBucketAreNoSuchKeyAndNoSuchBucket() {
        NoSuchKeyException noKey = assertThrows(NoSuchKeyException.class, () -> get("missing"));
        assertEquals(404, noKey.statusCode());
        assertThrows(NoSuchBucketException.class,
                () -> s3.getObjectAsBytes(b -> b.bucket("no-such-bucket-here").key("x")));
        S3Exception head = assertThrows(S3Exception.class, () -> s3.headObject(b -> b.bucket(bucket).key("missing")));
        assertEquals(404, head.statusCode());
    }

    @Test
    void wrongContentMd5IsBadDigestAndStoresNothing() {
        put("kept", "old");
        S3Exception error = assertThrows(S3Exception.class, () -> s3.putObject(b -> b.bucket(bucket).key("kept")
                .contentMD5("1B2M2Y8AsgTpgAmY7PhCfg=="), RequestBody.fromString("new")));
        assertEquals("BadDigest", error.awsErrorDetails().errorCode());
        assertEquals("old", get("kept"));
    }

    @Test
    void ifNoneMatchStarRefusesToOverwrite() {
        s3.putObject(b -> b.bucket(bucket).key("once").ifNoneMatch("*"), RequestBody.fromString("first"));
        S3Exception error = assertThrows(S3Exception.class,
                () -> s3.putObject(b -> b.bucket(bucket).key("once").ifNoneMatch("*"), RequestBody.fromString("second")));
        assertEquals(412, error.statusCode());
        assertEquals("first", get("once"));
    }

    @Test
    void ifMatchWritesOnlyOverTheNamedVersion() {
        PutObjectResponse first = s3.putObject(b -> b.bucket(bucket).key("v"), RequestBody.fromString("1"));
        s3.putObject(b -> b.bucket(bucket).key("v").ifMatch(first.eTag()), RequestBody.fromString("2"));
        S3Exception stale = assertThrows(S3Exception.class,
                () -> s3.putObject(b -> b.bucket(bucket).key("v").ifMatch(first.eTag()), RequestBody.fromString("3")));
        assertEquals(412, stale.statusCode());
        assertEquals("2", get("v"));
        S3Exception missing = assertThrows(S3Exception.class,
                () -> s3.putObject(b -> b.bucket(bucket).key("absent").ifMatch(first.eTag()), RequestBody.fromString("x")));
        assertEquals(404, missing.statusCode());
    }

    @Test
    void checksumsAreVerifiedStoredAndReturnedWhenAsked() {
        for (ChecksumAlgorithm algorithm : List.of(ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32_C,
                ChecksumAlgorithm.CRC64_NVME, ChecksumAlgorithm.SHA1, ChecksumAlgorithm.SHA256)) {
            String key = "checksum-" + algorithm;
            s3.putObject(b -> b.bucket(bucket).key(key).checksumAlgorithm(algorithm), RequestBody.fromString("payload"));
            GetObjectResponse response = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)
                    .checksumMode(ChecksumMode.ENABLED)).response();
            String value = switch (algorithm) {
                case CRC32 -> response.checksumCRC32();
                case CRC32_C -> response.checksumCRC32C();
                case CRC64_NVME -> response.checksumCRC64NVME();
                case SHA1 -> response.checksumSHA1();
                default -> response.checksumSHA256();
            };
            assertTrue(value != null && !value.isEmpty(), "checksum returned for " + algorithm);
        }
    }

    @Test
    void wrongChecksumHeaderIsBadDigest() {
        S3Exception error = assertThrows(S3Exception.class, () -> s3.putObject(b -> b.bucket(bucket).key("bad")
                .checksumCRC32("AAAAAA=="), RequestBody.fromString("payload")));
        assertEquals("BadDigest", error.awsErrorDetails().errorCode());
        assertThrows(NoSuchKeyException.class, () -> get("bad"));
    }

    @Test
    void deleteRemovesAndDeletingNothingSucceeds() {
        put("d", "x");
        s3.deleteObject(b -> b.bucket(bucket).key("d"));
        assertThrows(NoSuchKeyException.class, () -> get("d"));
        s3.deleteObject(b -> b.bucket(bucket).key("d"));
    }

    @Test
    void deleteObjectsRemovesManyInOneRequest() {
        put("a", "1");
        put("b", "2");
        put("c", "3");
        DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder()
                .objects(ObjectIdentifier.builder().key("a").build(), ObjectIdentifier.builder().key("b").build(),
                        ObjectIdentifier.builder().key("never-existed").build()).build()));
        assertEquals(3, response.deleted().size());
        assertTrue(response.errors().isEmpty());
        assertEquals(List.of("c"), s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(o -> o.key()).toList());
    }

    @Test
    void copyObjectCopiesContentAndMetadata() {
        s3.putObject(b -> b.bucket(bucket).key("src").metadata(Map.of("k", "v")).contentType("text/plain"),
                RequestBody.fromString("copied"));
        CopyObjectResponse copy = s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("src")
                .destinationBucket(bucket).destinationKey("dst"));
        assertEquals("\"" + md5Hex("copied") + "\"", copy.copyObjectResult().eTag());
        assertEquals("copied", get("dst"));
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("dst"));
        assertEquals(Map.of("k", "v"), head.metadata());
        assertEquals("text/plain", head.contentType());
    }

    @Test
    void copyObjectWithReplaceTakesNewMetadataAndMayTargetItself() {
        s3.putObject(b -> b.bucket(bucket).key("self").metadata(Map.of("old", "1")), RequestBody.fromString("same"));
        S3Exception illegal = assertThrows(S3Exception.class, () -> s3.copyObject(b -> b.sourceBucket(bucket)
                .sourceKey("self").destinationBucket(bucket).destinationKey("self")));
        assertEquals("InvalidRequest", illegal.awsErrorDetails().errorCode());
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("self").destinationBucket(bucket).destinationKey("self")
                .metadataDirective(MetadataDirective.REPLACE).metadata(Map.of("new", "2")));
        assertEquals(Map.of("new", "2"), s3.headObject(b -> b.bucket(bucket).key("self")).metadata());
        assertEquals("same", get("self"));
    }

    @Test
    void copySourceConditionsFailWith412() {
        put("cond", "x");
        S3Exception error = assertThrows(S3Exception.class, () -> s3.copyObject(b -> b.sourceBucket(bucket)
                .sourceKey("cond").destinationBucket(bucket).destinationKey("out").copySourceIfMatch("\"nope\"")));
        assertEquals(412, error.statusCode());
        assertThrows(NoSuchKeyException.class, () -> get("out"));
    }

    @Test
    void copyFromMissingSourceIsNoSuchKey() {
        assertThrows(NoSuchKeyException.class, () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("none")
                .destinationBucket(bucket).destinationKey("out")));
    }

    @Test
    void taggingIsStoredReplacedAndDeleted() {
        s3.putObject(b -> b.bucket(bucket).key("t").tagging("team=core&env=test"), RequestBody.fromString("x"));
        assertEquals(2, s3.getObjectTagging(b -> b.bucket(bucket).key("t")).tagSet().size());
        assertEquals(2, s3.getObjectAsBytes(b -> b.bucket(bucket).key("t")).response().tagCount());
        s3.putObjectTagging(b -> b.bucket(bucket).key("t").tagging(Tagging.builder()
                .tagSet(Tag.builder().key("only").value("one").build()).build()));
        List<Tag> tags = s3.getObjectTagging(b -> b.bucket(bucket).key("t")).tagSet();
        assertEquals(1, tags.size());
        assertEquals("only", tags.get(0).key());
        s3.deleteObjectTagging(b -> b.bucket(bucket).key("t"));
        assertTrue(s3.getObjectTagging(b -> b.bucket(bucket).key("t")).tagSet().isEmpty());
        assertThrows(NoSuchKeyException.class, () -> s3.getObjectTagging(b -> b.bucket(bucket).key("none")));
    }

    @Test
    void tooManyTagsAreInvalidTag() {
        StringBuilder tagging = new StringBuilder();
        for (int i = 0; i < 11; i++) {
            tagging.append(i == 0 ? "" : "&").append("k").append(i).append("=v");
        }
        S3Exception error = assertThrows(S3Exception.class, () -> s3.putObject(b -> b.bucket(bucket).key("x")
                .tagging(tagging.toString()), RequestBody.fromString("x")));
        assertEquals("InvalidTag", error.awsErrorDetails().errorCode());
    }

    @Test
    void largeObjectRoundTrips() {
        byte[] data = new byte[12 * 1024 * 1024 + 7];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        s3.putObject(b -> b.bucket(bucket).key("large"), RequestBody.fromBytes(data));
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key("large")).asByteArray());
    }

    @Test
    void keyLongerThan1024BytesIsRefused() {
        String key = "k".repeat(1025);
        S3Exception error = assertThrows(S3Exception.class, () -> put(key, "x"));
        assertEquals("KeyTooLongError", error.awsErrorDetails().errorCode());
    }

    @Test
    void aClientThatStallsMidBodyIsCutOffAndStoresNothing() throws Exception {
        try (S3iteServer strict = new S3iteServer().withAnonymousAccess().withBucket("stall")
                .withReadTimeout(java.time.Duration.ofSeconds(1)).start();
             java.net.Socket socket = new java.net.Socket("127.0.0.1", strict.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("PUT /stall/half HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n"
                    + "only ten b").getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            byte[] answer = socket.getInputStream().readAllBytes();
            long waitedSeconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertTrue(waitedSeconds < 20, "the server closed the stalled connection after " + waitedSeconds + " s");
            assertFalse(new String(answer, StandardCharsets.UTF_8).startsWith("HTTP/1.1 200"));
            assertThrows(NoSuchKeyException.class,
                    () -> strict.createClient().headObject(b -> b.bucket("stall").key("half")));
        }
    }

    @Test
    void headObjectHasNoBodyButTheLength() {
        put("h", "12345");
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("h"));
        assertEquals(5L, head.contentLength());
        assertNull(head.contentRange());
        assertFalse(head.metadata().containsKey("anything"));
    }

    static String md5Hex(String content) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("MD5").digest(content.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
