package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Conditional requests beyond reads: CopyObject's destination, CompleteMultipartUpload,
 * DeleteObject and DeleteObjects.
 */
class ConditionalRequestsEndToEndTest {
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
        bucket = "conditions-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket));
    }

    private String put(String key, String content) {
        return s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content)).eTag();
    }

    private String read(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
    }

    private static void assertFails(int status, String code, Runnable call) {
        S3Exception failure = assertThrows(S3Exception.class, call::run);
        assertEquals(status, failure.statusCode());
        assertEquals(code, failure.awsErrorDetails().errorCode());
    }

    @Test
    void deleteObjectWithAnotherETagIsRefusedAndKeepsTheObject() {
        put("kept", "still here");
        assertFails(412, "PreconditionFailed",
                () -> s3.deleteObject(b -> b.bucket(bucket).key("kept").ifMatch("\"0123456789abcdef0123456789abcdef\"")));
        assertEquals("still here", read("kept"));
    }

    @Test
    void deleteObjectWithItsETagOrStarDeletesIt() {
        String etag = put("gone", "x");
        s3.deleteObject(b -> b.bucket(bucket).key("gone").ifMatch(etag));
        assertThrows(NoSuchKeyException.class, () -> read("gone"));
        put("also-gone", "y");
        s3.deleteObject(b -> b.bucket(bucket).key("also-gone").ifMatch("*"));
        assertThrows(NoSuchKeyException.class, () -> read("also-gone"));
    }

    @Test
    void deleteObjectIfMatchOfAMissingKeyIsNoSuchKey() {
        assertFails(404, "NoSuchKey", () -> s3.deleteObject(b -> b.bucket(bucket).key("never").ifMatch("*")));
        s3.deleteObject(b -> b.bucket(bucket).key("never"));
    }

    @Test
    void asyncDeleteObjectWithAnotherETagIsRefused() {
        put("kept", "still here");
        CompletionException failure = assertThrows(CompletionException.class, () -> async.deleteObject(
                b -> b.bucket(bucket).key("kept").ifMatch("\"0123456789abcdef0123456789abcdef\"")).join());
        assertEquals(412, ((S3Exception) failure.getCause()).statusCode());
        assertEquals("still here", read("kept"));
    }

    @Test
    void deleteObjectsDeletesOnlyTheObjectsWhoseETagMatches() {
        String first = put("first", "1");
        put("second", "2");
        DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(
                ObjectIdentifier.builder().key("first").eTag(first).build(),
                ObjectIdentifier.builder().key("second").eTag("\"0123456789abcdef0123456789abcdef\"").build(),
                ObjectIdentifier.builder().key("third").build())));
        assertEquals(List.of("first", "third"), response.deleted().stream().map(d -> d.key()).toList());
        assertEquals(1, response.errors().size());
        assertEquals("second", response.errors().get(0).key());
        assertEquals("PreconditionFailed", response.errors().get(0).code());
        assertEquals("2", read("second"));
        assertThrows(NoSuchKeyException.class, () -> read("first"));
    }

    @Test
    void asyncDeleteObjectsWithAnotherETagKeepsTheObject() {
        put("kept", "k");
        DeleteObjectsResponse response = async.deleteObjects(b -> b.bucket(bucket).delete(d -> d.quiet(true).objects(
                ObjectIdentifier.builder().key("kept").eTag("\"0123456789abcdef0123456789abcdef\"").build()))).join();
        assertTrue(response.deleted().isEmpty());
        assertEquals("PreconditionFailed", response.errors().get(0).code());
        assertEquals("k", read("kept"));
    }

    @Test
    void copyObjectIfNoneMatchRefusesAnExistingDestination() {
        put("source", "new");
        put("target", "old");
        assertFails(412, "PreconditionFailed", () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("source")
                .destinationBucket(bucket).destinationKey("target").ifNoneMatch("*")));
        assertEquals("old", read("target"));
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("source").destinationBucket(bucket)
                .destinationKey("fresh").ifNoneMatch("*"));
        assertEquals("new", read("fresh"));
    }

    @Test
    void copyObjectIfMatchNeedsTheDestinationsETag() {
        put("source", "new");
        String targetETag = put("target", "old");
        assertFails(412, "PreconditionFailed", () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("source")
                .destinationBucket(bucket).destinationKey("target").ifMatch("\"0123456789abcdef0123456789abcdef\"")));
        assertEquals("old", read("target"));
        assertFails(404, "NoSuchKey", () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("source")
                .destinationBucket(bucket).destinationKey("absent").ifMatch(targetETag)));
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("source").destinationBucket(bucket)
                .destinationKey("target").ifMatch(targetETag));
        assertEquals("new", read("target"));
    }

    @Test
    void asyncCopyObjectIfNoneMatchRefusesAnExistingDestination() {
        async.putObject(b -> b.bucket(bucket).key("source"), AsyncRequestBody.fromString("new")).join();
        put("target", "old");
        CompletionException failure = assertThrows(CompletionException.class, () -> async.copyObject(b -> b
                .sourceBucket(bucket).sourceKey("source").destinationBucket(bucket).destinationKey("target")
                .ifNoneMatch("*")).join());
        assertEquals(412, ((S3Exception) failure.getCause()).statusCode());
        assertEquals("old", read("target"));
    }

    private String startUpload(String key) {
        return s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
    }

    private CompletedPart uploadPart(String key, String uploadId) {
        String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(1),
                RequestBody.fromString("part")).eTag();
        return CompletedPart.builder().partNumber(1).eTag(etag).build();
    }

    @Test
    void completeIfNoneMatchRefusesAnObjectThatExistedBeforeTheUploadAndKeepsTheUpload() {
        put("key", "before");
        String uploadId = startUpload("key");
        CompletedPart part = uploadPart("key", uploadId);
        assertFails(412, "PreconditionFailed", () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("key")
                .uploadId(uploadId).ifNoneMatch("*").multipartUpload(m -> m.parts(part))));
        assertEquals("before", read("key"));
        assertEquals(1, s3.listParts(b -> b.bucket(bucket).key("key").uploadId(uploadId)).parts().size());
    }

    @Test
    void completeIfNoneMatchAfterAWriteDuringTheUploadIsAConflictThatEndsTheUpload() {
        String uploadId = startUpload("key");
        CompletedPart part = uploadPart("key", uploadId);
        put("key", "meanwhile");
        assertFails(409, "ConditionalRequestConflict", () -> s3.completeMultipartUpload(b -> b.bucket(bucket)
                .key("key").uploadId(uploadId).ifNoneMatch("*").multipartUpload(m -> m.parts(part))));
        assertEquals("meanwhile", read("key"));
        assertThrows(NoSuchUploadException.class, () -> s3.listParts(b -> b.bucket(bucket).key("key").uploadId(uploadId)));
    }

    @Test
    void completeIfMatchNeedsTheCurrentETag() {
        String etag = put("key", "before");
        String uploadId = startUpload("key");
        CompletedPart part = uploadPart("key", uploadId);
        assertFails(412, "PreconditionFailed", () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("key")
                .uploadId(uploadId).ifMatch("\"0123456789abcdef0123456789abcdef\"").multipartUpload(m -> m.parts(part))));
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("key").uploadId(uploadId).ifMatch(etag)
                .multipartUpload(m -> m.parts(part)));
        assertEquals("part", read("key"));
    }

    @Test
    void asyncCompleteIfNoneMatchOnAFreeKeySucceeds() {
        String uploadId = startUpload("key");
        CompletedPart part = uploadPart("key", uploadId);
        async.completeMultipartUpload(b -> b.bucket(bucket).key("key").uploadId(uploadId).ifNoneMatch("*")
                .multipartUpload(m -> m.parts(part))).join();
        assertEquals("part", read("key"));
    }
}
