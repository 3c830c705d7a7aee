package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningResponse;
import software.amazon.awssdk.services.s3.model.GetObjectTaggingResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.MFADelete;
import software.amazon.awssdk.services.s3.model.MFADeleteStatus;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

/** Versioned buckets through the AWS SDK v2, sync and async. */
class VersioningEndToEndTest {
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
        bucket = "versions-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket));
    }

    private void versioning(BucketVersioningStatus status) {
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(c -> c.status(status)));
    }

    private String put(String key, String content) {
        return s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content)).versionId();
    }

    private String get(String key, String versionId) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).versionId(versionId)).asUtf8String();
    }

    private List<ObjectVersion> versions(String key) {
        return s3.listObjectVersions(b -> b.bucket(bucket).prefix(key)).versions();
    }

    @Test
    void aNewBucketIsUnversionedAndCanBeEnabledAndSuspendedButNeverUnversionedAgain() {
        GetBucketVersioningResponse fresh = s3.getBucketVersioning(b -> b.bucket(bucket));
        assertNull(fresh.status());
        assertNull(fresh.mfaDelete());
        versioning(BucketVersioningStatus.ENABLED);
        assertEquals(BucketVersioningStatus.ENABLED, s3.getBucketVersioning(b -> b.bucket(bucket)).status());
        versioning(BucketVersioningStatus.SUSPENDED);
        assertEquals(BucketVersioningStatus.SUSPENDED, s3.getBucketVersioning(b -> b.bucket(bucket)).status());
        S3Exception unversioned = assertThrows(S3Exception.class, () -> s3.putBucketVersioning(b -> b.bucket(bucket)
                .versioningConfiguration(c -> c.status("Unversioned"))));
        assertEquals(400, unversioned.statusCode());
        assertEquals("MalformedXML", unversioned.awsErrorDetails().errorCode());
        assertEquals(BucketVersioningStatus.SUSPENDED, s3.getBucketVersioning(b -> b.bucket(bucket)).status());
    }

    @Test
    void mfaDeleteIsRefusedWithoutAnMfaAndDisabledIsKept() {
        S3Exception refused = assertThrows(S3Exception.class, () -> s3.putBucketVersioning(b -> b.bucket(bucket)
                .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED).mfaDelete(MFADelete.ENABLED))));
        assertEquals(400, refused.statusCode());
        assertEquals("InvalidRequest", refused.awsErrorDetails().errorCode());
        assertNull(s3.getBucketVersioning(b -> b.bucket(bucket)).status());
        s3.putBucketVersioning(b -> b.bucket(bucket)
                .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED).mfaDelete(MFADelete.DISABLED)));
        GetBucketVersioningResponse got = s3.getBucketVersioning(b -> b.bucket(bucket));
        assertEquals(BucketVersioningStatus.ENABLED, got.status());
        assertEquals(MFADeleteStatus.DISABLED, got.mfaDelete());
    }

    @Test
    void unversionedBucketsAnswerWithoutVersionIdsAndListEachObjectOnceAsNull() {
        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("one"));
        assertNull(put.versionId());
        put("k", "two");
        List<ObjectVersion> versions = versions("k");
        assertEquals(1, versions.size());
        assertEquals("null", versions.get(0).versionId());
        assertTrue(versions.get(0).isLatest());
        assertEquals("two", get("k", "null"));
        DeleteObjectResponse deleted = s3.deleteObject(b -> b.bucket(bucket).key("k"));
        assertNull(deleted.versionId());
        assertNull(deleted.deleteMarker());
        assertTrue(s3.listObjectVersions(b -> b.bucket(bucket)).versions().isEmpty());
        assertTrue(s3.listObjectVersions(b -> b.bucket(bucket)).deleteMarkers().isEmpty());
    }

    @Test
    void everyPutOfAnEnabledBucketIsAVersionOfItsOwnAndOldOnesStayReadable() {
        put("k", "before");
        versioning(BucketVersioningStatus.ENABLED);
        String first = put("k", "first");
        String second = put("k", "second");
        assertNotEquals(first, second);
        assertTrue(first.matches("[0-9A-Za-z]{32}"), first);
        assertTrue(first.compareTo(second) < 0, "version ids sort by time");

        assertEquals("second", get("k", null));
        assertEquals("first", get("k", first));
        assertEquals("before", get("k", "null"));
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("k").versionId(first));
        assertEquals(first, head.versionId());
        assertEquals(5L, head.contentLength());
        assertEquals(second, s3.getObject(b -> b.bucket(bucket).key("k")).response().versionId());

        List<ObjectVersion> versions = versions("k");
        assertEquals(List.of(second, first, "null"), versions.stream().map(ObjectVersion::versionId).toList());
        assertEquals(List.of(true, false, false), versions.stream().map(ObjectVersion::isLatest).toList());
        assertEquals(List.of(6L, 5L, 6L), versions.stream().map(ObjectVersion::size).toList());
        assertEquals("\"" + md5Hex("first") + "\"", versions.get(1).eTag());

        S3Exception missing = assertThrows(S3Exception.class, () -> get("k", "0000000000aaaaaaaaaaaaaaaaaaaaaa"));
        assertEquals(404, missing.statusCode());
        assertEquals("NoSuchVersion", missing.awsErrorDetails().errorCode());
        S3Exception malformed = assertThrows(S3Exception.class, () -> get("k", "not-a-version"));
        assertEquals(400, malformed.statusCode());
        assertEquals("InvalidArgument", malformed.awsErrorDetails().errorCode());
    }

    @Test
    void aDeleteOfAnEnabledBucketPutsADeleteMarkerThatGetAndHeadAnswerAs404And405() {
        versioning(BucketVersioningStatus.ENABLED);
        String v1 = put("k", "one");
        DeleteObjectResponse deleted = s3.deleteObject(b -> b.bucket(bucket).key("k"));
        assertTrue(deleted.deleteMarker());
        String marker = deleted.versionId();
        assertNotEquals(v1, marker);

        NoSuchKeyException gone = assertThrows(NoSuchKeyException.class, () -> get("k", null));
        assertEquals("true", gone.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-delete-marker").orElse(null));
        assertEquals(marker, gone.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-version-id").orElse(null));
        S3Exception headGone = assertThrows(S3Exception.class, () -> s3.headObject(b -> b.bucket(bucket).key("k")));
        assertEquals(404, headGone.statusCode());
        S3Exception byVersion = assertThrows(S3Exception.class, () -> get("k", marker));
        assertEquals(405, byVersion.statusCode());
        assertEquals("MethodNotAllowed", byVersion.awsErrorDetails().errorCode());
        assertEquals("true", byVersion.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-delete-marker").orElse(null));
        assertTrue(byVersion.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Last-Modified").isPresent());
        S3Exception headByVersion = assertThrows(S3Exception.class,
                () -> s3.headObject(b -> b.bucket(bucket).key("k").versionId(marker)));
        assertEquals(405, headByVersion.statusCode());

        assertEquals("one", get("k", v1));
        assertTrue(s3.listObjectsV2(b -> b.bucket(bucket)).contents().isEmpty());
        ListObjectVersionsResponse listed = s3.listObjectVersions(b -> b.bucket(bucket));
        assertEquals(1, listed.deleteMarkers().size());
        DeleteMarkerEntry entry = listed.deleteMarkers().get(0);
        assertEquals(marker, entry.versionId());
        assertTrue(entry.isLatest());
        assertFalse(listed.versions().get(0).isLatest());

        S3Exception notEmpty = assertThrows(S3Exception.class, () -> s3.deleteBucket(b -> b.bucket(bucket)));
        assertEquals("BucketNotEmpty", notEmpty.awsErrorDetails().errorCode());
    }

    @Test
    void deletingTheDeleteMarkerByIdBringsTheObjectBack() {
        versioning(BucketVersioningStatus.ENABLED);
        String v1 = put("k", "one");
        String marker = s3.deleteObject(b -> b.bucket(bucket).key("k")).versionId();
        DeleteObjectResponse removed = s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(marker));
        assertEquals(marker, removed.versionId());
        assertTrue(removed.deleteMarker());
        assertEquals("one", get("k", null));
        assertEquals(v1, s3.headObject(b -> b.bucket(bucket).key("k")).versionId());
        assertEquals(List.of("k"), s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(o -> o.key()).toList());
    }

    @Test
    void deletingTheCurrentVersionByIdMakesTheNextNewestCurrentAndDeletingAllEmptiesTheBucket() {
        versioning(BucketVersioningStatus.ENABLED);
        String v1 = put("k", "one");
        String v2 = put("k", "two");
        DeleteObjectResponse removed = s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(v2));
        assertEquals(v2, removed.versionId());
        assertNull(removed.deleteMarker());
        assertEquals("one", get("k", null));
        assertEquals(List.of(v1), versions("k").stream().map(ObjectVersion::versionId).toList());
        assertTrue(versions("k").get(0).isLatest());
        s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(v1));
        assertThrows(NoSuchKeyException.class, () -> get("k", null));
        DeleteObjectResponse unknown = s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(v1));
        assertEquals(v1, unknown.versionId());
        S3Exception malformed = assertThrows(S3Exception.class,
                () -> s3.deleteObject(b -> b.bucket(bucket).key("k").versionId("bad-id")));
        assertEquals("InvalidArgument", malformed.awsErrorDetails().errorCode());
        s3.deleteBucket(b -> b.bucket(bucket));
        s3.createBucket(b -> b.bucket(bucket));
    }

    @Test
    void aSuspendedBucketWritesTheNullVersionOverTheOldNullAndKeepsVersionsWithIds() {
        put("k", "original");
        versioning(BucketVersioningStatus.ENABLED);
        String v1 = put("k", "enabled");
        versioning(BucketVersioningStatus.SUSPENDED);
        PutObjectResponse suspended = s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("suspended"));
        assertEquals("null", suspended.versionId());
        assertEquals(List.of("null", v1), versions("k").stream().map(ObjectVersion::versionId).toList());
        assertEquals("suspended", get("k", "null"));
        assertEquals("enabled", get("k", v1));
        put("k", "again");
        assertEquals(List.of("null", v1), versions("k").stream().map(ObjectVersion::versionId).toList());
        assertEquals("again", get("k", null));

        DeleteObjectResponse deleted = s3.deleteObject(b -> b.bucket(bucket).key("k"));
        assertTrue(deleted.deleteMarker());
        assertEquals("null", deleted.versionId());
        ListObjectVersionsResponse listed = s3.listObjectVersions(b -> b.bucket(bucket));
        assertEquals(List.of(v1), listed.versions().stream().map(ObjectVersion::versionId).toList());
        assertEquals(List.of("null"), listed.deleteMarkers().stream().map(DeleteMarkerEntry::versionId).toList());
        assertEquals("enabled", get("k", v1));
        s3.deleteObject(b -> b.bucket(bucket).key("k").versionId("null"));
        assertEquals("enabled", get("k", null));
    }

    @Test
    void copyObjectCopiesTheNamedSourceVersionAndNamesBothVersions() {
        versioning(BucketVersioningStatus.ENABLED);
        String v1 = put("src", "one");
        put("src", "two");
        CopyObjectResponse copy = s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("src").sourceVersionId(v1)
                .destinationBucket(bucket).destinationKey("dst"));
        assertEquals(v1, copy.copySourceVersionId());
        assertTrue(copy.versionId().matches("[0-9A-Za-z]{32}"));
        assertEquals("one", get("dst", null));
        assertEquals(copy.versionId(), s3.headObject(b -> b.bucket(bucket).key("dst")).versionId());

        CopyObjectResponse restore = s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("src").sourceVersionId(v1)
                .destinationBucket(bucket).destinationKey("src"));
        assertEquals("one", get("src", null));
        assertEquals(3, versions("src").size());
        assertEquals(restore.versionId(), versions("src").get(0).versionId());

        String marker = s3.deleteObject(b -> b.bucket(bucket).key("src")).versionId();
        S3Exception fromMarker = assertThrows(S3Exception.class, () -> s3.copyObject(b -> b.sourceBucket(bucket)
                .sourceKey("src").sourceVersionId(marker).destinationBucket(bucket).destinationKey("x")));
        assertEquals(400, fromMarker.statusCode());
        assertEquals("InvalidRequest", fromMarker.awsErrorDetails().errorCode());
        S3Exception fromCurrentMarker = assertThrows(S3Exception.class, () -> s3.copyObject(b -> b.sourceBucket(bucket)
                .sourceKey("src").destinationBucket(bucket).destinationKey("x")));
        assertEquals("NoSuchKey", fromCurrentMarker.awsErrorDetails().errorCode());
        S3Exception unknown = assertThrows(S3Exception.class, () -> s3.copyObject(b -> b.sourceBucket(bucket)
                .sourceKey("src").sourceVersionId("0000000000aaaaaaaaaaaaaaaaaaaaaa").destinationBucket(bucket)
                .destinationKey("x")));
        assertEquals("NoSuchVersion", unknown.awsErrorDetails().errorCode());
    }

    @Test
    void multipartUploadsBecomeVersionsAndUploadPartCopyReadsASourceVersion() {
        versioning(BucketVersioningStatus.ENABLED);
        String v1 = put("src", "0123456789");
        put("src", "something else");
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp")).uploadId();
        UploadPartCopyResponse part = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("src").sourceVersionId(v1)
                .copySourceRange("bytes=2-5").destinationBucket(bucket).destinationKey("mp").uploadId(uploadId).partNumber(1));
        assertEquals(v1, part.copySourceVersionId());
        CompleteMultipartUploadResponse done = s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp").uploadId(uploadId)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(part.copyPartResult().eTag()))));
        assertTrue(done.versionId().matches("[0-9A-Za-z]{32}"));
        assertEquals("2345", get("mp", done.versionId()));
        assertEquals(done.versionId(), versions("mp").get(0).versionId());
    }

    @Test
    void taggingReadsAndWritesTheNamedVersion() {
        versioning(BucketVersioningStatus.ENABLED);
        String v1 = put("k", "one");
        String v2 = put("k", "two");
        s3.putObjectTagging(b -> b.bucket(bucket).key("k").versionId(v1)
                .tagging(t -> t.tagSet(Tag.builder().key("old").value("yes").build())));
        s3.putObjectTagging(b -> b.bucket(bucket).key("k")
                .tagging(t -> t.tagSet(Tag.builder().key("new").value("yes").build())));
        GetObjectTaggingResponse old = s3.getObjectTagging(b -> b.bucket(bucket).key("k").versionId(v1));
        assertEquals(v1, old.versionId());
        assertEquals("old", old.tagSet().get(0).key());
        GetObjectTaggingResponse current = s3.getObjectTagging(b -> b.bucket(bucket).key("k"));
        assertEquals(v2, current.versionId());
        assertEquals("new", current.tagSet().get(0).key());
        assertEquals(v1, s3.deleteObjectTagging(b -> b.bucket(bucket).key("k").versionId(v1)).versionId());
        assertTrue(s3.getObjectTagging(b -> b.bucket(bucket).key("k").versionId(v1)).tagSet().isEmpty());
        assertEquals(1, s3.getObjectTagging(b -> b.bucket(bucket).key("k")).tagSet().size());
        assertEquals("one", get("k", v1));

        String marker = s3.deleteObject(b -> b.bucket(bucket).key("k")).versionId();
        S3Exception onMarker = assertThrows(S3Exception.class,
                () -> s3.getObjectTagging(b -> b.bucket(bucket).key("k").versionId(marker)));
        assertEquals(405, onMarker.statusCode());
        S3Exception unknown = assertThrows(S3Exception.class, () -> s3.getObjectTagging(b -> b.bucket(bucket).key("k")
                .versionId("0000000000aaaaaaaaaaaaaaaaaaaaaa")));
        assertEquals("NoSuchVersion", unknown.awsErrorDetails().errorCode());
    }

    @Test
    void deleteObjectsDeletesVersionsAndPutsMarkers() {
        versioning(BucketVersioningStatus.ENABLED);
        String a1 = put("a", "one");
        put("a", "two");
        put("b", "one");
        DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(
                ObjectIdentifier.builder().key("a").versionId(a1).build(),
                ObjectIdentifier.builder().key("b").build(),
                ObjectIdentifier.builder().key("c").versionId("bad").build())));
        assertEquals(2, response.deleted().size());
        DeletedObject a = response.deleted().get(0);
        assertEquals("a", a.key());
        assertEquals(a1, a.versionId());
        assertNull(a.deleteMarker());
        DeletedObject b = response.deleted().get(1);
        assertTrue(b.deleteMarker());
        assertTrue(b.deleteMarkerVersionId().matches("[0-9A-Za-z]{32}"));
        assertEquals(1, response.errors().size());
        assertEquals("NoSuchVersion", response.errors().get(0).code());
        assertEquals(1, versions("a").size());
        assertThrows(NoSuchKeyException.class, () -> get("b", null));
    }

    @Test
    void listObjectVersionsPagesWithKeyAndVersionIdMarkersAcrossKeysAndVersions() {
        versioning(BucketVersioningStatus.ENABLED);
        List<String> expected = new ArrayList<>();
        for (String key : List.of("a", "b/1", "b/2", "c")) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(0, key + "@" + put(key, key + i));
            }
            expected.addAll(ids);
        }
        String marker = s3.deleteObject(b -> b.bucket(bucket).key("c")).versionId();
        expected.add(expected.indexOf(expected.stream().filter(e -> e.startsWith("c@")).findFirst().orElseThrow()),
                "c@" + marker);

        List<String> seen = new ArrayList<>();
        String keyMarker = null;
        String versionIdMarker = null;
        int pages = 0;
        while (true) {
            String km = keyMarker;
            String vm = versionIdMarker;
            ListObjectVersionsResponse page = s3.listObjectVersions(b -> b.bucket(bucket).maxKeys(2).keyMarker(km)
                    .versionIdMarker(vm));
            pages++;
            List<String> entries = new ArrayList<>();
            page.versions().forEach(v -> entries.add(v.key() + "@" + v.versionId()));
            page.deleteMarkers().forEach(m -> entries.add(m.key() + "@" + m.versionId()));
            assertTrue(entries.size() <= 2);
            entries.sort((x, y) -> Integer.compare(expected.indexOf(x), expected.indexOf(y)));
            seen.addAll(entries);
            if (!page.isTruncated()) {
                break;
            }
            keyMarker = page.nextKeyMarker();
            versionIdMarker = page.nextVersionIdMarker();
        }
        assertEquals(expected, seen);
        assertEquals(7, pages);

        ListObjectVersionsResponse rolled = s3.listObjectVersions(b -> b.bucket(bucket).delimiter("/"));
        assertEquals(List.of("b/"), rolled.commonPrefixes().stream().map(p -> p.prefix()).toList());
        assertEquals(3, rolled.versions().stream().filter(v -> v.key().equals("a")).count());
        ListObjectVersionsResponse afterPrefix = s3.listObjectVersions(b -> b.bucket(bucket).delimiter("/")
                .keyMarker("b/"));
        assertTrue(afterPrefix.versions().stream().allMatch(v -> v.key().equals("c")));
        ListObjectVersionsResponse prefixed = s3.listObjectVersions(b -> b.bucket(bucket).prefix("b/"));
        assertEquals(6, prefixed.versions().size());
        assertEquals(List.of(true, false, false, true, false, false),
                prefixed.versions().stream().map(ObjectVersion::isLatest).toList());
        S3Exception noKeyMarker = assertThrows(S3Exception.class,
                () -> s3.listObjectVersions(b -> b.bucket(bucket).versionIdMarker(marker)));
        assertEquals("InvalidArgument", noKeyMarker.awsErrorDetails().errorCode());
    }

    @Test
    void listObjectVersionsUrlEncodesKeys() {
        versioning(BucketVersioningStatus.ENABLED);
        put("a b+c", "x");
        s3.deleteObject(b -> b.bucket(bucket).key("d e"));
        ListObjectVersionsResponse listed = s3.listObjectVersions(b -> b.bucket(bucket).encodingType(EncodingType.URL));
        assertEquals("a b+c", listed.versions().get(0).key());
        assertEquals("d e", listed.deleteMarkers().get(0).key());
    }

    @Test
    void theAsyncClientSeesVersionsAndDeleteMarkersToo() {
        async.putBucketVersioning(b -> b.bucket(bucket)
                .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED))).join();
        String v1 = async.putObject(b -> b.bucket(bucket).key("k"), AsyncRequestBody.fromString("one")).join().versionId();
        String v2 = async.putObject(b -> b.bucket(bucket).key("k"), AsyncRequestBody.fromString("two")).join().versionId();
        assertEquals("one", async.getObject(b -> b.bucket(bucket).key("k").versionId(v1),
                AsyncResponseTransformer.toBytes()).join().asUtf8String());
        DeleteObjectResponse deleted = async.deleteObject(b -> b.bucket(bucket).key("k")).join();
        assertTrue(deleted.deleteMarker());
        CompletionException gone = assertThrows(CompletionException.class, () -> async.getObject(
                b -> b.bucket(bucket).key("k"), AsyncResponseTransformer.toBytes()).join());
        assertTrue(gone.getCause() instanceof NoSuchKeyException, gone.getCause().toString());
        ListObjectVersionsResponse listed = async.listObjectVersions(b -> b.bucket(bucket)).join();
        assertEquals(List.of(v2, v1), listed.versions().stream().map(ObjectVersion::versionId).toList());
        assertEquals(deleted.versionId(), listed.deleteMarkers().get(0).versionId());
        async.deleteObject(b -> b.bucket(bucket).key("k").versionId(deleted.versionId())).join();
        assertEquals("two", async.getObject(b -> b.bucket(bucket).key("k"), AsyncResponseTransformer.toBytes())
                .join().asUtf8String());
    }

    private static String md5Hex(String content) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("MD5")
                    .digest(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
