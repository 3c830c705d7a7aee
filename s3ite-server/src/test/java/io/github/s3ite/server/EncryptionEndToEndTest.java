package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
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
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.GetBucketEncryptionResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/** Default bucket encryption, SSE-S3 and SSE-KMS headers, and SSE-C through the AWS SDK. */
class EncryptionEndToEndTest {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final String KEY_A = key((byte) 1);
    private static final String KEY_B = key((byte) 2);
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
        bucket = "encryption-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket));
    }

    private static String key(byte fill) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, fill);
        return Base64.getEncoder().encodeToString(key);
    }

    private static String md5(String base64Key) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("MD5").digest(Base64.getDecoder().decode(base64Key)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private PutObjectResponse putWithCustomerKey(String objectKey, String body, String customerKey) {
        return s3.putObject(b -> b.bucket(bucket).key(objectKey).sseCustomerAlgorithm("AES256")
                .sseCustomerKey(customerKey).sseCustomerKeyMD5(md5(customerKey)), RequestBody.fromString(body));
    }

    private static GetObjectRequest.Builder withKey(GetObjectRequest.Builder builder, String customerKey) {
        return builder.sseCustomerAlgorithm("AES256").sseCustomerKey(customerKey).sseCustomerKeyMD5(md5(customerKey));
    }

    @Test
    void getBucketEncryptionOfANewBucketAnswersS3sDefaultSseS3() {
        GetBucketEncryptionResponse response = s3.getBucketEncryption(b -> b.bucket(bucket));
        ServerSideEncryptionRule rule = response.serverSideEncryptionConfiguration().rules().get(0);
        assertEquals(ServerSideEncryption.AES256, rule.applyServerSideEncryptionByDefault().sseAlgorithm());
        assertNull(rule.applyServerSideEncryptionByDefault().kmsMasterKeyID());
        assertFalse(rule.bucketKeyEnabled());
    }

    @Test
    void putBucketEncryptionIsReturnedAndDeleteBucketEncryptionRestoresTheDefault() {
        s3.putBucketEncryption(b -> b.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(r -> r
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS).kmsMasterKeyID("my-key"))
                .bucketKeyEnabled(true))));
        ServerSideEncryptionRule rule = s3.getBucketEncryption(b -> b.bucket(bucket))
                .serverSideEncryptionConfiguration().rules().get(0);
        assertEquals(ServerSideEncryption.AWS_KMS, rule.applyServerSideEncryptionByDefault().sseAlgorithm());
        assertEquals("my-key", rule.applyServerSideEncryptionByDefault().kmsMasterKeyID());
        assertTrue(rule.bucketKeyEnabled());

        s3.deleteBucketEncryption(b -> b.bucket(bucket));
        rule = s3.getBucketEncryption(b -> b.bucket(bucket)).serverSideEncryptionConfiguration().rules().get(0);
        assertEquals(ServerSideEncryption.AES256, rule.applyServerSideEncryptionByDefault().sseAlgorithm());
    }

    @Test
    void putBucketEncryptionRefusesAKmsKeyWithSseS3AndAnUnknownAlgorithm() {
        S3Exception keyWithAes = assertThrows(S3Exception.class, () -> s3.putBucketEncryption(b -> b.bucket(bucket)
                .serverSideEncryptionConfiguration(c -> c.rules(r -> r.applyServerSideEncryptionByDefault(d -> d
                        .sseAlgorithm(ServerSideEncryption.AES256).kmsMasterKeyID("my-key"))))));
        assertEquals("InvalidArgument", keyWithAes.awsErrorDetails().errorCode());
        S3Exception unknown = assertThrows(S3Exception.class, () -> s3.putBucketEncryption(b -> b.bucket(bucket)
                .serverSideEncryptionConfiguration(c -> c.rules(r -> r.applyServerSideEncryptionByDefault(d -> d
                        .sseAlgorithm("ROT13"))))));
        assertEquals("MalformedXML", unknown.awsErrorDetails().errorCode());
    }

    @Test
    void aPlainPutIsSseS3AsInS3() {
        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("plain"), RequestBody.fromString("x"));
        assertEquals(ServerSideEncryption.AES256, put.serverSideEncryption());
        assertEquals(ServerSideEncryption.AES256, s3.headObject(b -> b.bucket(bucket).key("plain")).serverSideEncryption());
    }

    @Test
    void theBucketDefaultAppliesToAPlainPut() {
        s3.putBucketEncryption(b -> b.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(r -> r
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS).kmsMasterKeyID("my-key"))
                .bucketKeyEnabled(true))));
        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("plain"), RequestBody.fromString("x"));
        assertEquals(ServerSideEncryption.AWS_KMS, put.serverSideEncryption());
        assertEquals("my-key", put.ssekmsKeyId());
        assertTrue(put.bucketKeyEnabled());
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("plain"));
        assertEquals(ServerSideEncryption.AWS_KMS, got.response().serverSideEncryption());
        assertEquals("my-key", got.response().ssekmsKeyId());
        assertTrue(got.response().bucketKeyEnabled());
        assertEquals("x", got.asUtf8String());
    }

    @Test
    void sseKmsHeadersAreStoredWithTheVersionAndReturned() {
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
        String context = Base64.getEncoder().encodeToString("{\"a\":\"b\"}".getBytes(StandardCharsets.UTF_8));
        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("k").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId("key-1").ssekmsEncryptionContext(context), RequestBody.fromString("v1"));
        assertEquals(ServerSideEncryption.AWS_KMS, put.serverSideEncryption());
        assertEquals("key-1", put.ssekmsKeyId());
        assertEquals(context, put.ssekmsEncryptionContext());
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("v2"));
        HeadObjectResponse current = s3.headObject(b -> b.bucket(bucket).key("k"));
        assertEquals(ServerSideEncryption.AES256, current.serverSideEncryption());
        assertNull(current.ssekmsKeyId());
        // the first version, now in object_version, keeps its encryption
        HeadObjectResponse first = s3.headObject(b -> b.bucket(bucket).key("k").versionId(put.versionId()));
        assertEquals(ServerSideEncryption.AWS_KMS, first.serverSideEncryption());
        assertEquals("key-1", first.ssekmsKeyId());

        CopyObjectResponse copy = s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("k").sourceVersionId(put.versionId())
                .destinationBucket(bucket).destinationKey("copy").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId("key-2"));
        assertEquals(ServerSideEncryption.AWS_KMS, copy.serverSideEncryption());
        assertEquals("key-2", copy.ssekmsKeyId());
        assertEquals("key-2", s3.headObject(b -> b.bucket(bucket).key("copy")).ssekmsKeyId());
    }

    @Test
    void anUnknownAlgorithmOrAKmsKeyWithoutKmsIsInvalidArgument() {
        S3Exception unknown = assertThrows(S3Exception.class, () -> s3.putObject(b -> b.bucket(bucket).key("k")
                .serverSideEncryption("ROT13"), RequestBody.fromString("x")));
        assertEquals(400, unknown.statusCode());
        assertEquals("InvalidArgument", unknown.awsErrorDetails().errorCode());
        S3Exception keyWithoutKms = assertThrows(S3Exception.class, () -> s3.putObject(b -> b.bucket(bucket).key("k")
                .serverSideEncryption(ServerSideEncryption.AES256).ssekmsKeyId("key-1"), RequestBody.fromString("x")));
        assertEquals("InvalidArgument", keyWithoutKms.awsErrorDetails().errorCode());
    }

    @Test
    void multipartUploadsCarryTheirEncryptionToEveryAnswer() {
        CreateMultipartUploadResponse created = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId("key-1").bucketKeyEnabled(true));
        assertEquals(ServerSideEncryption.AWS_KMS, created.serverSideEncryption());
        assertEquals("key-1", created.ssekmsKeyId());
        UploadPartResponse part = s3.uploadPart(b -> b.bucket(bucket).key("mp").uploadId(created.uploadId()).partNumber(1),
                RequestBody.fromString("part"));
        assertEquals(ServerSideEncryption.AWS_KMS, part.serverSideEncryption());
        assertEquals("key-1", part.ssekmsKeyId());
        assertTrue(part.bucketKeyEnabled());
        CompleteMultipartUploadResponse completed = s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp")
                .uploadId(created.uploadId()).multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(part.eTag()))));
        assertEquals(ServerSideEncryption.AWS_KMS, completed.serverSideEncryption());
        assertEquals("key-1", completed.ssekmsKeyId());
        assertEquals("key-1", s3.headObject(b -> b.bucket(bucket).key("mp")).ssekmsKeyId());
    }

    @Test
    void anSseCObjectIsReadWithItsKeyAndAnswersTheKeyMd5() {
        PutObjectResponse put = putWithCustomerKey("secret", "hello, encrypted world", KEY_A);
        assertEquals("AES256", put.sseCustomerAlgorithm());
        assertEquals(md5(KEY_A), put.sseCustomerKeyMD5());
        assertNull(put.serverSideEncryption());
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> withKey(b.bucket(bucket).key("secret"), KEY_A));
        assertEquals("hello, encrypted world", got.asUtf8String());
        assertEquals("AES256", got.response().sseCustomerAlgorithm());
        assertEquals(md5(KEY_A), got.response().sseCustomerKeyMD5());
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("secret").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(KEY_A).sseCustomerKeyMD5(md5(KEY_A)));
        assertEquals(md5(KEY_A), head.sseCustomerKeyMD5());
    }

    @Test
    void anSseCObjectIsRefusedWithoutItsKeyOrWithAnother() {
        putWithCustomerKey("secret", "hello", KEY_A);
        S3Exception withoutKey = assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("secret")));
        assertEquals(400, withoutKey.statusCode());
        assertEquals("InvalidRequest", withoutKey.awsErrorDetails().errorCode());
        S3Exception headWithoutKey = assertThrows(S3Exception.class,
                () -> s3.headObject(b -> b.bucket(bucket).key("secret")));
        assertEquals(400, headWithoutKey.statusCode());
        S3Exception otherKey = assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(b -> withKey(b.bucket(bucket).key("secret"), KEY_B)));
        assertEquals(403, otherKey.statusCode());
        assertEquals("AccessDenied", otherKey.awsErrorDetails().errorCode());
    }

    @Test
    void aCustomerKeyThatDoesNotMatchItsMd5IsInvalidArgument() {
        S3Exception refused = assertThrows(S3Exception.class, () -> s3.putObject(b -> b.bucket(bucket).key("k")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(KEY_A).sseCustomerKeyMD5(md5(KEY_B)),
                RequestBody.fromString("x")));
        assertEquals(400, refused.statusCode());
        assertEquals("InvalidArgument", refused.awsErrorDetails().errorCode());
        assertThrows(S3Exception.class, () -> s3.headObject(b -> b.bucket(bucket).key("k")));
    }

    @Test
    void aRangedGetOfAnSseCObjectDecryptsTheRange() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            body.append(i).append(',');
        }
        putWithCustomerKey("long", body.toString(), KEY_A);
        for (String range : new String[] {"bytes=0-9", "bytes=17-50", "bytes=1001-1234", "bytes=-7"}) {
            ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> withKey(b.bucket(bucket).key("long"), KEY_A)
                    .range(range));
            assertEquals(md5(KEY_A), got.response().sseCustomerKeyMD5());
            String[] bounds = got.response().contentRange().substring(6).split("[-/]");
            assertEquals(body.substring(Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1]) + 1), got.asUtf8String(),
                    range);
        }
    }

    @Test
    void anSseCObjectsBytesInTheBucketFileAreNotThePlaintext() throws Exception {
        String plaintext = "a plaintext that must not be found in the file";
        putWithCustomerKey("secret", plaintext, KEY_A);
        Path file = server.getDataDirectory().resolve(bucket + ".sqlite3");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT value, size FROM data WHERE key = 'secret'")) {
            assertTrue(rows.next());
            byte[] stored = rows.getBytes(1);
            assertEquals(plaintext.length(), rows.getLong(2));
            assertEquals(plaintext.length(), stored.length);
            assertFalse(java.util.Arrays.equals(plaintext.getBytes(StandardCharsets.UTF_8), stored));
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT customer_key_md5 FROM object_encryption WHERE key = 'secret'")) {
            assertTrue(rows.next());
            assertEquals(md5(KEY_A), rows.getString(1));
        }
    }

    @Test
    void copyingAnSseCSourceNeedsItsKeyAndMayReEncrypt() {
        putWithCustomerKey("secret", "copied secret", KEY_A);
        S3Exception withoutKey = assertThrows(S3Exception.class, () -> s3.copyObject(b -> b.sourceBucket(bucket)
                .sourceKey("secret").destinationBucket(bucket).destinationKey("copy")));
        assertEquals(400, withoutKey.statusCode());
        assertEquals("InvalidRequest", withoutKey.awsErrorDetails().errorCode());

        CopyObjectResponse copy = s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("secret")
                .copySourceSSECustomerAlgorithm("AES256").copySourceSSECustomerKey(KEY_A)
                .copySourceSSECustomerKeyMD5(md5(KEY_A))
                .sseCustomerAlgorithm("AES256").sseCustomerKey(KEY_B).sseCustomerKeyMD5(md5(KEY_B))
                .destinationBucket(bucket).destinationKey("copy"));
        assertEquals(md5(KEY_B), copy.sseCustomerKeyMD5());
        assertEquals("copied secret", s3.getObjectAsBytes(b -> withKey(b.bucket(bucket).key("copy"), KEY_B)).asUtf8String());

        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("secret")
                .copySourceSSECustomerAlgorithm("AES256").copySourceSSECustomerKey(KEY_A)
                .copySourceSSECustomerKeyMD5(md5(KEY_A)).destinationBucket(bucket).destinationKey("plain"));
        assertEquals("copied secret", s3.getObjectAsBytes(b -> b.bucket(bucket).key("plain")).asUtf8String());
    }

    @Test
    void uploadPartCopyOfAnSseCSourceNeedsItsKey() {
        putWithCustomerKey("secret", "part source", KEY_A);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp")).uploadId();
        S3Exception withoutKey = assertThrows(S3Exception.class, () -> s3.uploadPartCopy(b -> b.sourceBucket(bucket)
                .sourceKey("secret").destinationBucket(bucket).destinationKey("mp").uploadId(uploadId).partNumber(1)));
        assertEquals(400, withoutKey.statusCode());
        String etag = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("secret")
                .copySourceSSECustomerAlgorithm("AES256").copySourceSSECustomerKey(KEY_A)
                .copySourceSSECustomerKeyMD5(md5(KEY_A))
                .destinationBucket(bucket).destinationKey("mp").uploadId(uploadId).partNumber(1)).copyPartResult().eTag();
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp").uploadId(uploadId)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
        assertEquals("part source", s3.getObjectAsBytes(b -> b.bucket(bucket).key("mp")).asUtf8String());
    }

    @Test
    void anSseCVersionKeepsNeedingItsKeyOnceNonCurrent() {
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
        String first = putWithCustomerKey("k", "first", KEY_A).versionId();
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("second"));
        assertEquals("second", s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asUtf8String());
        assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").versionId(first)));
        assertArrayEquals("first".getBytes(StandardCharsets.UTF_8), s3.getObjectAsBytes(b -> withKey(b.bucket(bucket)
                .key("k").versionId(first), KEY_A)).asByteArray());
    }

    @Test
    void aCustomerKeyIsCheckedAgainstItsMd5BeforeItsLengthAsS3Does() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[24]);
        S3Exception otherMd5 = assertThrows(S3Exception.class, () -> s3.putObject(b -> b.bucket(bucket).key("k")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(shortKey).sseCustomerKeyMD5(md5(KEY_A)),
                RequestBody.fromString("x")));
        assertEquals("InvalidArgument", otherMd5.awsErrorDetails().errorCode());
        assertEquals("The calculated MD5 hash of the key did not match the hash that was provided.",
                otherMd5.awsErrorDetails().errorMessage());
        S3Exception ownMd5 = assertThrows(S3Exception.class, () -> s3.putObject(b -> b.bucket(bucket).key("k")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(shortKey).sseCustomerKeyMD5(md5(shortKey)),
                RequestBody.fromString("x")));
        assertEquals("The secret key was invalid for the specified algorithm.", ownMd5.awsErrorDetails().errorMessage());
    }
}
