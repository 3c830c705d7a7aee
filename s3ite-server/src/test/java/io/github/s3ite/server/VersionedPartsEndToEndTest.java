package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Part boundaries, repeated completions and conditional deletes in a versioned bucket. */
class VersionedPartsEndToEndTest {
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
    void newVersionedBucket() {
        bucket = "versioned-parts-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket));
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
    }

    private String uploadTwoParts(String key, byte[] first, byte[] second, List<CompletedPart> completed) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        byte[][] parts = {first, second};
        for (int i = 0; i < parts.length; i++) {
            int number = i + 1;
            String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                    RequestBody.fromBytes(parts[number - 1])).eTag();
            completed.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        return uploadId;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] whole = new byte[first.length + second.length];
        System.arraycopy(first, 0, whole, 0, first.length);
        System.arraycopy(second, 0, whole, first.length, second.length);
        return whole;
    }

    @Test
    void aNonCurrentVersionIsServedAsOnePart() {
        byte[] first = MultipartEndToEndTest.bytes(5 * MIB, 1);
        byte[] second = MultipartEndToEndTest.bytes(1000, 2);
        List<CompletedPart> completed = new ArrayList<>();
        String uploadId = uploadTwoParts("k", first, second, completed);
        String multipart = s3.completeMultipartUpload(b -> b.bucket(bucket).key("k").uploadId(uploadId)
                .multipartUpload(m -> m.parts(completed))).versionId();
        ResponseBytes<GetObjectResponse> current = s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")
                .versionId(multipart).partNumber(2));
        assertArrayEquals(second, current.asByteArray());
        assertEquals(2, current.response().partsCount());

        String single = s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("single")).versionId();
        ResponseBytes<GetObjectResponse> whole = s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")
                .versionId(multipart).partNumber(1));
        assertArrayEquals(concat(first, second), whole.asByteArray());
        assertEquals(multipart, whole.response().versionId());
        assertNull(whole.response().partsCount());
        S3Exception beyond = assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")
                .versionId(multipart).partNumber(2)));
        assertEquals(416, beyond.statusCode());
        assertEquals("InvalidPartNumber", beyond.awsErrorDetails().errorCode());
        assertNull(s3.getObjectAttributes(b -> b.bucket(bucket).key("k").versionId(multipart)
                .objectAttributes(ObjectAttributes.OBJECT_PARTS, ObjectAttributes.OBJECT_SIZE)).objectParts());

        // made current again, the version has lost its part rows: still one part
        s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(single));
        assertArrayEquals(concat(first, second),
                s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").partNumber(1)).asByteArray());
        assertEquals(416, assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").partNumber(2))).statusCode());
    }

    @Test
    void aRepeatedCompletionAnswersTheSameVersion() {
        List<CompletedPart> completed = new ArrayList<>();
        String uploadId = uploadTwoParts("k", MultipartEndToEndTest.bytes(5 * MIB, 3), new byte[] {1, 2, 3}, completed);
        CompleteMultipartUploadResponse once = s3.completeMultipartUpload(b -> b.bucket(bucket).key("k")
                .uploadId(uploadId).multipartUpload(m -> m.parts(completed)));
        CompleteMultipartUploadResponse again = s3.completeMultipartUpload(b -> b.bucket(bucket).key("k")
                .uploadId(uploadId).multipartUpload(m -> m.parts(completed)));
        assertNotNull(once.versionId());
        assertEquals(once.versionId(), again.versionId());
        assertEquals(once.eTag(), again.eTag());
        assertEquals(1, s3.listObjectVersions(b -> b.bucket(bucket).prefix("k")).versions().size());
    }

    @Test
    void aDeleteWhoseIfMatchFailsMakesNoDeleteMarker() {
        String etag = s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("kept")).eTag();
        S3Exception refused = assertThrows(S3Exception.class, () -> s3.deleteObject(b -> b.bucket(bucket).key("k")
                .ifMatch("\"0123456789abcdef0123456789abcdef\"")));
        assertEquals(412, refused.statusCode());
        DeleteObjectsResponse batch = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(
                ObjectIdentifier.builder().key("k").eTag("\"0123456789abcdef0123456789abcdef\"").build())));
        assertEquals("PreconditionFailed", batch.errors().get(0).code());
        ListObjectVersionsResponse versions = s3.listObjectVersions(b -> b.bucket(bucket));
        assertTrue(versions.deleteMarkers().isEmpty());
        assertEquals(1, versions.versions().size());

        assertTrue(s3.deleteObject(b -> b.bucket(bucket).key("k").ifMatch(etag)).deleteMarker());
        S3Exception missing = assertThrows(S3Exception.class, () -> s3.deleteObject(b -> b.bucket(bucket).key("k")
                .ifMatch(etag)));
        assertEquals(404, missing.statusCode());
        assertEquals(1, s3.listObjectVersions(b -> b.bucket(bucket)).deleteMarkers().size());
    }
}
