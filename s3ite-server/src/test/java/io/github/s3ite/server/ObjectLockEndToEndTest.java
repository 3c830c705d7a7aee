package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectLockConfigurationResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRetentionResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Object lock through the AWS SDK v2: configuration, retention, legal hold and what they refuse. */
class ObjectLockEndToEndTest {
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
    void newLockedBucket() {
        bucket = "locked-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
    }

    private String put(String key, String content) {
        return s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content)).versionId();
    }

    private static Instant inADay() {
        return Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    }

    @Test
    void createBucketWithObjectLockTurnsVersioningOnAndItCannotBeSuspended() {
        assertEquals(BucketVersioningStatus.ENABLED, s3.getBucketVersioning(b -> b.bucket(bucket)).status());
        GetObjectLockConfigurationResponse configuration = s3.getObjectLockConfiguration(b -> b.bucket(bucket));
        assertEquals(ObjectLockEnabled.ENABLED, configuration.objectLockConfiguration().objectLockEnabled());
        assertNull(configuration.objectLockConfiguration().rule());
        S3Exception suspend = assertThrows(S3Exception.class, () -> s3.putBucketVersioning(b -> b.bucket(bucket)
                .versioningConfiguration(c -> c.status(BucketVersioningStatus.SUSPENDED))));
        assertEquals(409, suspend.statusCode());
        assertEquals("InvalidBucketState", suspend.awsErrorDetails().errorCode());
    }

    @Test
    void aBucketWithoutObjectLockAnswersItsErrors() {
        s3.createBucket(b -> b.bucket(bucket + "-plain"));
        S3Exception none = assertThrows(S3Exception.class,
                () -> s3.getObjectLockConfiguration(b -> b.bucket(bucket + "-plain")));
        assertEquals(404, none.statusCode());
        assertEquals("ObjectLockConfigurationNotFoundError", none.awsErrorDetails().errorCode());
        S3Exception unversioned = assertThrows(S3Exception.class, () -> s3.putObjectLockConfiguration(b -> b
                .bucket(bucket + "-plain").objectLockConfiguration(c -> c.objectLockEnabled(ObjectLockEnabled.ENABLED))));
        assertEquals("InvalidBucketState", unversioned.awsErrorDetails().errorCode());
        s3.putObject(b -> b.bucket(bucket + "-plain").key("k"), RequestBody.fromString("x"));
        S3Exception retention = assertThrows(S3Exception.class, () -> s3.putObjectRetention(b -> b.bucket(bucket + "-plain")
                .key("k").retention(r -> r.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(inADay()))));
        assertEquals(400, retention.statusCode());
        assertEquals("InvalidRequest", retention.awsErrorDetails().errorCode());
        S3Exception header = assertThrows(S3Exception.class, () -> s3.putObject(b -> b.bucket(bucket + "-plain").key("k")
                .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON), RequestBody.fromString("x")));
        assertEquals("InvalidRequest", header.awsErrorDetails().errorCode());

        s3.putBucketVersioning(b -> b.bucket(bucket + "-plain")
                .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
        s3.putObjectLockConfiguration(b -> b.bucket(bucket + "-plain")
                .objectLockConfiguration(c -> c.objectLockEnabled(ObjectLockEnabled.ENABLED)));
        assertEquals(ObjectLockEnabled.ENABLED, s3.getObjectLockConfiguration(b -> b.bucket(bucket + "-plain"))
                .objectLockConfiguration().objectLockEnabled());
    }

    @Test
    void aVersionUnderComplianceRetentionIsNeitherDeletedNorShortenedButADeleteMarkerGoesOnTop() {
        Instant until = inADay();
        String v1 = s3.putObject(b -> b.bucket(bucket).key("k").objectLockMode(ObjectLockMode.COMPLIANCE)
                .objectLockRetainUntilDate(until), RequestBody.fromString("kept")).versionId();
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("k"));
        assertEquals(ObjectLockMode.COMPLIANCE, head.objectLockMode());
        assertEquals(until, head.objectLockRetainUntilDate());
        GetObjectRetentionResponse retention = s3.getObjectRetention(b -> b.bucket(bucket).key("k").versionId(v1));
        assertEquals(ObjectLockRetentionMode.COMPLIANCE, retention.retention().mode());
        assertEquals(until, retention.retention().retainUntilDate());

        S3Exception refused = assertThrows(S3Exception.class,
                () -> s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(v1).bypassGovernanceRetention(true)));
        assertEquals(403, refused.statusCode());
        assertEquals("AccessDenied", refused.awsErrorDetails().errorCode());
        S3Exception shorter = assertThrows(S3Exception.class, () -> s3.putObjectRetention(b -> b.bucket(bucket).key("k")
                .versionId(v1).retention(r -> r.mode(ObjectLockRetentionMode.COMPLIANCE)
                        .retainUntilDate(until.minus(Duration.ofHours(1))))));
        assertEquals("AccessDenied", shorter.awsErrorDetails().errorCode());
        s3.putObjectRetention(b -> b.bucket(bucket).key("k").versionId(v1).retention(r -> r
                .mode(ObjectLockRetentionMode.COMPLIANCE).retainUntilDate(until.plus(Duration.ofDays(1)))));

        assertTrue(s3.deleteObject(b -> b.bucket(bucket).key("k")).deleteMarker());
        assertEquals("kept", s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").versionId(v1)).asUtf8String());
    }

    @Test
    void governanceRetentionYieldsToTheBypassHeaderOnly() {
        String v1 = s3.putObject(b -> b.bucket(bucket).key("k").objectLockMode(ObjectLockMode.GOVERNANCE)
                .objectLockRetainUntilDate(inADay()), RequestBody.fromString("x")).versionId();
        S3Exception refused = assertThrows(S3Exception.class,
                () -> s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(v1)));
        assertEquals("AccessDenied", refused.awsErrorDetails().errorCode());
        S3Exception removal = assertThrows(S3Exception.class, () -> s3.putObjectRetention(b -> b.bucket(bucket).key("k")
                .versionId(v1).retention(r -> r.mode(ObjectLockRetentionMode.GOVERNANCE)
                        .retainUntilDate(Instant.now().plus(Duration.ofHours(1))))));
        assertEquals("AccessDenied", removal.awsErrorDetails().errorCode());
        s3.putObjectRetention(b -> b.bucket(bucket).key("k").versionId(v1).bypassGovernanceRetention(true)
                .retention(r -> r.mode(ObjectLockRetentionMode.GOVERNANCE)
                        .retainUntilDate(Instant.now().plus(Duration.ofHours(1)))));
        s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(v1).bypassGovernanceRetention(true));
        S3Exception gone = assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").versionId(v1)));
        assertEquals("NoSuchVersion", gone.awsErrorDetails().errorCode());
    }

    @Test
    void aLegalHoldProtectsAVersionUntilItIsTurnedOff() {
        String v1 = put("k", "held");
        S3Exception none = assertThrows(S3Exception.class, () -> s3.getObjectLegalHold(b -> b.bucket(bucket).key("k")));
        assertEquals("NoSuchObjectLockConfiguration", none.awsErrorDetails().errorCode());
        S3Exception noRetention = assertThrows(S3Exception.class,
                () -> s3.getObjectRetention(b -> b.bucket(bucket).key("k")));
        assertEquals(404, noRetention.statusCode());
        s3.putObjectLegalHold(b -> b.bucket(bucket).key("k").legalHold(h -> h.status(ObjectLockLegalHoldStatus.ON)));
        assertEquals(ObjectLockLegalHoldStatus.ON,
                s3.getObjectLegalHold(b -> b.bucket(bucket).key("k").versionId(v1)).legalHold().status());
        assertEquals(ObjectLockLegalHoldStatus.ON, s3.headObject(b -> b.bucket(bucket).key("k")).objectLockLegalHoldStatus());

        DeleteObjectsResponse batch = s3.deleteObjects(b -> b.bucket(bucket).bypassGovernanceRetention(true)
                .delete(d -> d.objects(ObjectIdentifier.builder().key("k").versionId(v1).build())));
        assertTrue(batch.deleted().isEmpty());
        assertEquals("AccessDenied", batch.errors().get(0).code());
        assertEquals("held", s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asUtf8String());

        s3.putObjectLegalHold(b -> b.bucket(bucket).key("k").versionId(v1)
                .legalHold(h -> h.status(ObjectLockLegalHoldStatus.OFF)));
        s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(v1));
        assertTrue(s3.listObjectVersions(b -> b.bucket(bucket)).versions().isEmpty());
    }

    @Test
    void theDefaultRetentionLocksNewVersionsAndMultipartUploadsCarryTheirLock() {
        s3.putObjectLockConfiguration(b -> b.bucket(bucket).objectLockConfiguration(c -> c
                .objectLockEnabled(ObjectLockEnabled.ENABLED)
                .rule(r -> r.defaultRetention(d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).days(2)))));
        GetObjectLockConfigurationResponse configuration = s3.getObjectLockConfiguration(b -> b.bucket(bucket));
        assertEquals(2, configuration.objectLockConfiguration().rule().defaultRetention().days());
        put("k", "x");
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("k"));
        assertEquals(ObjectLockMode.GOVERNANCE, head.objectLockMode());
        assertTrue(head.objectLockRetainUntilDate().isAfter(Instant.now().plus(Duration.ofDays(1))));

        Instant until = inADay();
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp").objectLockMode(ObjectLockMode.COMPLIANCE)
                .objectLockRetainUntilDate(until)).uploadId();
        String etag = s3.uploadPart(b -> b.bucket(bucket).key("mp").uploadId(uploadId).partNumber(1),
                RequestBody.fromString("part")).eTag();
        String version = s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp").uploadId(uploadId)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag)))).versionId();
        GetObjectRetentionResponse retention = s3.getObjectRetention(b -> b.bucket(bucket).key("mp").versionId(version));
        assertEquals(ObjectLockRetentionMode.COMPLIANCE, retention.retention().mode());
        assertEquals(until, retention.retention().retainUntilDate());

        S3Exception bad = assertThrows(S3Exception.class, () -> s3.putObject(b -> b.bucket(bucket).key("k")
                .objectLockMode(ObjectLockMode.GOVERNANCE), RequestBody.fromString("x")));
        assertEquals("InvalidArgument", bad.awsErrorDetails().errorCode());
    }

    @Test
    void theAsyncClientIsRefusedALockedDeleteToo() {
        try (S3AsyncClient async = server.createAsyncClient()) {
            String v1 = async.putObject(b -> b.bucket(bucket).key("k").objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON),
                    AsyncRequestBody.fromString("x")).join().versionId();
            CompletionException refused = assertThrows(CompletionException.class,
                    () -> async.deleteObject(b -> b.bucket(bucket).key("k").versionId(v1)).join());
            assertEquals("AccessDenied", ((S3Exception) refused.getCause()).awsErrorDetails().errorCode());
            assertEquals(ObjectLockLegalHoldStatus.ON,
                    async.getObjectLegalHold(b -> b.bucket(bucket).key("k")).join().legalHold().status());
        }
    }
}
