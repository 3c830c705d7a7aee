package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

/** Bucket policies, stored and enforced for the owner, another user and anonymous requests, through the AWS SDK v2. */
class BucketPolicyEndToEndTest {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3iteServer server;
    private static S3Client owner;
    private static S3Client bob;
    private static S3Client anonymous;
    private static S3iteUser bobUser;
    private String bucket;

    @BeforeAll
    static void start() {
        server = new S3iteServer().withCredentials("owner-key", "owner-secret").withUser("bob", "bob-secret").start();
        owner = server.createClient();
        bob = server.createClient("bob");
        anonymous = server.createClient(null);
        bobUser = server.getUsers().get(1);
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void newBucket() {
        bucket = "policed-" + BUCKETS.incrementAndGet();
        owner.createBucket(b -> b.bucket(bucket));
        put(owner, "shared/report.txt", "shared");
        put(owner, "private/diary.txt", "private");
    }

    private static S3Exception assertS3Error(int status, String code, Executable request) {
        S3Exception error = assertThrows(S3Exception.class, request);
        assertEquals(status, error.statusCode(), error.getMessage());
        assertEquals(code, error.awsErrorDetails().errorCode(), error.getMessage());
        return error;
    }

    private void put(S3Client client, String key, String text) {
        client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(text));
    }

    private String get(S3Client client, String key) {
        return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
    }

    private void policy(String statements) {
        owner.putBucketPolicy(b -> b.bucket(bucket).policy("{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}"));
    }

    private String allow(String principal, String action, String resource) {
        return "{\"Effect\":\"Allow\",\"Principal\":" + principal + ",\"Action\":\"" + action + "\",\"Resource\":\"arn:aws:s3:::"
                + bucket + resource + "\"}";
    }

    @Test
    void aPolicyIsKeptAsSentAndRemoved() {
        assertS3Error(404, "NoSuchBucketPolicy", () -> owner.getBucketPolicy(b -> b.bucket(bucket)));
        String document = "{\"Version\":\"2012-10-17\",\"Statement\":[" + allow("{\"AWS\":\"" + bobUser.arn() + "\"}",
                "s3:GetObject", "/shared/*") + "]}";
        owner.putBucketPolicy(b -> b.bucket(bucket).policy(document));
        assertEquals(document, owner.getBucketPolicy(b -> b.bucket(bucket)).policy());
        assertFalse(owner.getBucketPolicyStatus(b -> b.bucket(bucket)).policyStatus().isPublic());
        owner.deleteBucketPolicy(b -> b.bucket(bucket));
        assertS3Error(404, "NoSuchBucketPolicy", () -> owner.getBucketPolicy(b -> b.bucket(bucket)));
        assertS3Error(404, "NoSuchBucketPolicy", () -> owner.getBucketPolicyStatus(b -> b.bucket(bucket)));
    }

    @Test
    void anAllowForAUserGivesItExactlyTheActionsAndResourcesNamed() {
        policy(allow("{\"AWS\":\"" + bobUser.arn() + "\"}", "s3:GetObject", "/shared/*"));
        assertEquals("shared", get(bob, "shared/report.txt"));
        assertS3Error(403, "AccessDenied", () -> get(bob, "private/diary.txt"));
        assertS3Error(403, "AccessDenied", () -> put(bob, "shared/new.txt", "x"));
        assertS3Error(403, "AccessDenied", () -> get(anonymous, "shared/report.txt"));
        assertS3Error(403, "AccessDenied", () -> bob.getBucketPolicy(b -> b.bucket(bucket)));
    }

    @Test
    void anAccountPrincipalAndAPrefixConditionScopeListing() {
        policy("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + bobUser.accountId() + "\"},\"Action\":\"s3:ListBucket\","
                + "\"Resource\":\"arn:aws:s3:::" + bucket + "\",\"Condition\":{\"StringLike\":{\"s3:prefix\":\"shared/*\"}}}");
        assertEquals(1, bob.listObjectsV2(b -> b.bucket(bucket).prefix("shared/")).keyCount());
        assertS3Error(403, "AccessDenied", () -> bob.listObjectsV2(b -> b.bucket(bucket).prefix("private/")));
        assertS3Error(403, "AccessDenied", () -> bob.listObjectsV2(b -> b.bucket(bucket)));
    }

    @Test
    void anExplicitDenyWinsEvenForTheOwnerWhoMayStillRemoveThePolicy() {
        policy("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":[\"s3:DeleteObject\",\"s3:GetBucketPolicy\","
                + "\"s3:DeleteBucketPolicy\"],\"Resource\":[\"arn:aws:s3:::" + bucket + "/*\",\"arn:aws:s3:::" + bucket + "\"]}");
        assertS3Error(403, "AccessDenied", () -> owner.deleteObject(b -> b.bucket(bucket).key("shared/report.txt")));
        assertEquals("shared", get(owner, "shared/report.txt"));
        owner.getBucketPolicy(b -> b.bucket(bucket));
        owner.deleteBucketPolicy(b -> b.bucket(bucket));
        owner.deleteObject(b -> b.bucket(bucket).key("shared/report.txt"));
    }

    @Test
    void aDenyOnInsecureTransportRefusesEveryPlainHttpRequest() {
        policy("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::" + bucket
                + "/*\",\"arn:aws:s3:::" + bucket + "\"],\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}");
        assertS3Error(403, "AccessDenied", () -> get(owner, "shared/report.txt"));
        assertS3Error(403, "AccessDenied", () -> owner.listObjectsV2(b -> b.bucket(bucket)));
        owner.deleteBucketPolicy(b -> b.bucket(bucket));
        assertEquals("shared", get(owner, "shared/report.txt"));
    }

    @Test
    void aPublicPolicyIsBlockedUntilThePublicAccessBlockAllowsItAndRestrictPublicBucketsHoldsItBack() {
        String everyone = allow("\"*\"", "s3:GetObject", "/shared/*");
        assertS3Error(403, "AccessDenied", () -> policy(everyone));
        owner.deletePublicAccessBlock(b -> b.bucket(bucket));
        policy(everyone);
        assertTrue(owner.getBucketPolicyStatus(b -> b.bucket(bucket)).policyStatus().isPublic());
        assertEquals("shared", get(anonymous, "shared/report.txt"));
        assertS3Error(403, "AccessDenied", () -> get(anonymous, "private/diary.txt"));
        owner.putPublicAccessBlock(b -> b.bucket(bucket).publicAccessBlockConfiguration(c -> c.restrictPublicBuckets(true)));
        assertS3Error(403, "AccessDenied", () -> get(anonymous, "shared/report.txt"));
        assertS3Error(403, "AccessDenied", () -> get(bob, "shared/report.txt"));
        assertEquals("shared", get(owner, "shared/report.txt"));
    }

    @Test
    void anExistingObjectTagConditionReadsTheObjectsTags() {
        owner.putObjectTagging(b -> b.bucket(bucket).key("shared/report.txt")
                .tagging(t -> t.tagSet(Tag.builder().key("visibility").value("team").build())));
        policy("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + bobUser.arn() + "\"},\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::" + bucket + "/*\","
                + "\"Condition\":{\"StringEquals\":{\"s3:ExistingObjectTag/visibility\":\"team\"}}}");
        assertEquals("shared", get(bob, "shared/report.txt"));
        assertS3Error(403, "AccessDenied", () -> get(bob, "private/diary.txt"));
    }

    @Test
    void malformedPoliciesAreRefusedAsS3RefusesThem() {
        assertS3Error(400, "MalformedPolicy", () -> owner.putBucketPolicy(b -> b.bucket(bucket).policy("not json")));
        assertS3Error(400, "MalformedPolicy", () -> policy(allow("\"*\"", "s3:FlyAway", "/*")));
        assertS3Error(400, "MalformedPolicy", () -> owner.putBucketPolicy(b -> b.bucket(bucket).policy(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":"
                        + "\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::another-bucket/*\"}]}")));
        assertS3Error(400, "MalformedPolicy", () -> policy(allow("{\"AWS\":\"arn:aws:iam::999999999999:user/nobody\"}",
                "s3:GetObject", "/*")));
        assertS3Error(404, "NoSuchBucketPolicy", () -> owner.getBucketPolicy(b -> b.bucket(bucket)));
    }

    @Test
    void aDeleteObjectsIsJudgedKeyByKey() {
        policy(allow("{\"AWS\":\"" + bobUser.arn() + "\"}", "s3:DeleteObject", "/shared/*"));
        var result = bob.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(
                o -> o.key("shared/report.txt"), o -> o.key("private/diary.txt"))));
        assertEquals(1, result.deleted().size());
        assertEquals("shared/report.txt", result.deleted().get(0).key());
        assertEquals(1, result.errors().size());
        assertEquals("AccessDenied", result.errors().get(0).code());
        assertEquals("private", get(owner, "private/diary.txt"));
    }

    @Test
    void aCopyIsJudgedOnItsSourceWithTheConditionsAGetWouldHave() {
        owner.putObjectTagging(b -> b.bucket(bucket).key("private/diary.txt")
                .tagging(t -> t.tagSet(Tag.builder().key("secret").value("yes").build())));
        policy(allow("{\"AWS\":\"" + bobUser.arn() + "\"}", "s3:GetObject", "/*") + ",{\"Effect\":\"Deny\","
                + "\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::" + bucket + "/*\","
                + "\"Condition\":{\"StringEquals\":{\"s3:ExistingObjectTag/secret\":\"yes\"}}}");
        String own = bucket + "-bob";
        bob.createBucket(b -> b.bucket(own));
        assertEquals("shared", get(bob, "shared/report.txt"));
        assertS3Error(403, "AccessDenied", () -> get(bob, "private/diary.txt"));
        bob.copyObject(b -> b.sourceBucket(bucket).sourceKey("shared/report.txt").destinationBucket(own).destinationKey("copy"));
        assertS3Error(403, "AccessDenied", () -> bob.copyObject(b -> b.sourceBucket(bucket).sourceKey("private/diary.txt")
                .destinationBucket(own).destinationKey("stolen")));
        String upload = bob.createMultipartUpload(b -> b.bucket(own).key("stolen")).uploadId();
        assertS3Error(403, "AccessDenied", () -> bob.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("private/diary.txt")
                .destinationBucket(own).destinationKey("stolen").uploadId(upload).partNumber(1)));
        assertS3Error(404, "NoSuchKey", () -> bob.headObject(b -> b.bucket(own).key("stolen")));
    }

    @Test
    void aSeedWhosePolicyNamesTheBucketItWasCopiedFromServesWithoutIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory)
            throws Exception {
        java.nio.file.Path seed = directory.resolve("prod-assets.sqlite3");
        try (S3iteServer maker = new S3iteServer().withCredentials("owner-key", "owner-secret").withBucket("prod-assets").start();
             S3Client makerClient = maker.createClient()) {
            makerClient.putObject(b -> b.bucket("prod-assets").key("logo.png"), RequestBody.fromString("logo"));
            makerClient.putBucketPolicy(b -> b.bucket("prod-assets").policy("{\"Version\":\"2012-10-17\",\"Statement\":["
                    + "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                    + "\"Resource\":\"arn:aws:s3:::prod-assets/*\"}]}"));
            assertEquals("logo", makerClient.getObjectAsBytes(b -> b.bucket("prod-assets").key("logo.png")).asUtf8String());
            maker.snapshot("prod-assets", seed);
        }
        try (S3iteServer seeded = new S3iteServer().withCredentials("owner-key", "owner-secret").withBucket("assets", seed).start();
             S3Client seededOwner = seeded.createClient(); S3Client seededAnonymous = seeded.createClient(null)) {
            assertEquals("logo", seededOwner.getObjectAsBytes(b -> b.bucket("assets").key("logo.png")).asUtf8String());
            seededOwner.putObject(b -> b.bucket("assets").key("new.txt"), RequestBody.fromString("new"));
            assertS3Error(403, "AccessDenied", () -> seededAnonymous.getObjectAsBytes(b -> b.bucket("assets").key("logo.png")));
            seededOwner.deleteBucketPolicy(b -> b.bucket("assets"));
        }
    }

    @Test
    void aMissingKeyIs404OnlyToWhoMayListAndIsNotDeniedTheActionItself() {
        policy(allow("{\"AWS\":\"" + bobUser.arn() + "\"}", "s3:GetObject", "/*") + ","
                + allow("{\"AWS\":\"" + bobUser.arn() + "\"}", "s3:ListBucket", "") + ",{\"Effect\":\"Deny\","
                + "\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::" + bucket + "/private/*\"}");
        String own = bucket + "-bob";
        bob.createBucket(b -> b.bucket(own));
        assertS3Error(404, "NoSuchKey", () -> get(bob, "shared/missing.txt"));
        assertS3Error(403, "AccessDenied", () -> get(bob, "private/missing.txt"));
        assertS3Error(404, "NoSuchKey", () -> bob.copyObject(b -> b.sourceBucket(bucket).sourceKey("shared/missing.txt")
                .destinationBucket(own).destinationKey("copy")));
        assertS3Error(403, "AccessDenied", () -> bob.copyObject(b -> b.sourceBucket(bucket).sourceKey("private/missing.txt")
                .destinationBucket(own).destinationKey("copy")));
        policy(allow("{\"AWS\":\"" + bobUser.arn() + "\"}", "s3:GetObject", "/*"));
        assertS3Error(403, "AccessDenied", () -> get(bob, "shared/missing.txt"));
        assertS3Error(403, "AccessDenied", () -> bob.copyObject(b -> b.sourceBucket(bucket).sourceKey("shared/missing.txt")
                .destinationBucket(own).destinationKey("copy")));
    }
}
