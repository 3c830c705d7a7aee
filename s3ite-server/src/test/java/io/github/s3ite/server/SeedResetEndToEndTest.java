package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3ite.server.storage.BucketTables;
import io.github.s3ite.server.storage.StoreLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * {@link S3iteServer#reset()} after writes of every kind through the AWS SDK leaves each seeded
 * bucket's file exactly as a fresh copy of its seed: every table, ours included, row for row. The
 * rows a test changed are put back in place; a bucket deleted and created again is copied.
 */
class SeedResetEndToEndTest {
    private static final String CUSTOMER_KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::seeded/public/*\"}]}";

    @TempDir
    Path dir;

    private static String md5(String base64Key) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5")
                    .digest(Base64.getDecoder().decode(base64Key)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private static LifecycleRule expire(String prefix, int days) {
        return LifecycleRule.builder().id("expire-" + prefix).status("Enabled").filter(f -> f.prefix(prefix))
                .expiration(e -> e.days(days)).abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(days))
                .build();
    }

    /** A bucket with object lock, versions, tags, ACLs, encryption, configurations and uploads. */
    private Path seed() {
        Path seed = dir.resolve("seeded.sqlite3");
        try (S3iteServer maker = new S3iteServer().start()) {
            S3Client s3 = maker.createClient();
            s3.createBucket(b -> b.bucket("seeded").objectLockEnabledForBucket(true));
            s3.putBucketOwnershipControls(b -> b.bucket("seeded").ownershipControls(o -> o.rules(r -> r
                    .objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED))));
            s3.deletePublicAccessBlock(b -> b.bucket("seeded"));
            for (int i = 0; i < 30; i++) {
                String key = String.format("objects/%02d", i);
                s3.putObject(b -> b.bucket("seeded").key(key).metadata(java.util.Map.of("n", key))
                        .tagging("kind=seed"), RequestBody.fromString("seed " + key));
            }
            s3.putObject(b -> b.bucket("seeded").key("versioned"), RequestBody.fromString("v1"));
            s3.putObject(b -> b.bucket("seeded").key("versioned"), RequestBody.fromString("v2"));
            s3.deleteObject(b -> b.bucket("seeded").key("deleted"));
            s3.putObject(b -> b.bucket("seeded").key("held").objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON)
                    .objectLockMode(software.amazon.awssdk.services.s3.model.ObjectLockMode.GOVERNANCE)
                    .objectLockRetainUntilDate(Instant.now().plus(Duration.ofDays(2))), RequestBody.fromString("held"));
            s3.putObject(b -> b.bucket("seeded").key("kms").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId("key-1"), RequestBody.fromString("kms"));
            s3.putObject(b -> b.bucket("seeded").key("public/page").acl("public-read"), RequestBody.fromString("page"));
            s3.putBucketCors(b -> b.bucket("seeded").corsConfiguration(c -> c.corsRules(r -> r.allowedOrigins("*")
                    .allowedMethods("GET"))));
            s3.putBucketTagging(b -> b.bucket("seeded").tagging(t -> t.tagSet(tag("team", "seed"))));
            s3.putBucketLifecycleConfiguration(b -> b.bucket("seeded").lifecycleConfiguration(c -> c.rules(
                    expire("tmp/", 30))));
            s3.putBucketEncryption(b -> b.bucket("seeded").serverSideEncryptionConfiguration(c -> c.rules(r -> r
                    .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256)))));
            CreateMultipartUploadResponse open = s3.createMultipartUpload(b -> b.bucket("seeded").key("uploading")
                    .sseCustomerAlgorithm("AES256").sseCustomerKey(CUSTOMER_KEY).sseCustomerKeyMD5(md5(CUSTOMER_KEY)));
            s3.uploadPart(b -> b.bucket("seeded").key("uploading").uploadId(open.uploadId()).partNumber(1)
                    .sseCustomerAlgorithm("AES256").sseCustomerKey(CUSTOMER_KEY).sseCustomerKeyMD5(md5(CUSTOMER_KEY)),
                    RequestBody.fromString("part one"));
            CreateMultipartUploadResponse done = s3.createMultipartUpload(b -> b.bucket("seeded").key("completed"));
            String etag = s3.uploadPart(b -> b.bucket("seeded").key("completed").uploadId(done.uploadId()).partNumber(1),
                    RequestBody.fromString("the only part")).eTag();
            s3.completeMultipartUpload(b -> b.bucket("seeded").key("completed").uploadId(done.uploadId())
                    .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
            maker.snapshot("seeded", seed);
        }
        return seed;
    }

    /** Writes of every kind, to the bucket as the seed left it; refusals are expected and ignored. */
    private static void writeEverything(S3iteServer server, S3Client s3, int round) {
        String bucket = "seeded";
        List<Runnable> writes = new ArrayList<>();
        writes.add(() -> s3.putObject(b -> b.bucket(bucket).key("objects/01").tagging("kind=changed"),
                RequestBody.fromString("overwritten " + round)));
        writes.add(() -> s3.putObject(b -> b.bucket(bucket).key("new-" + round).serverSideEncryption(
                ServerSideEncryption.AWS_KMS), RequestBody.fromString("new")));
        writes.add(() -> s3.putObject(b -> b.bucket(bucket).key("tmp/scratch").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(CUSTOMER_KEY).sseCustomerKeyMD5(md5(CUSTOMER_KEY)), RequestBody.fromString("secret")));
        writes.add(() -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("objects/02").destinationBucket(bucket)
                .destinationKey("copied")));
        writes.add(() -> s3.deleteObject(b -> b.bucket(bucket).key("objects/03")));
        // values over 1 MiB are written after the rows that reference their key (ObjectTable.write)
        writes.add(() -> s3.putObject(b -> b.bucket(bucket).key("objects/09"), RequestBody.fromBytes(new byte[1536 * 1024])));
        writes.add(() -> {
            String upload = s3.createMultipartUpload(b -> b.bucket(bucket).key("large-" + round)).uploadId();
            String first = s3.uploadPart(b -> b.bucket(bucket).key("large-" + round).uploadId(upload).partNumber(1),
                    RequestBody.fromBytes(new byte[5 * 1024 * 1024])).eTag();
            String second = s3.uploadPart(b -> b.bucket(bucket).key("large-" + round).uploadId(upload).partNumber(2),
                    RequestBody.fromString("end")).eTag();
            s3.completeMultipartUpload(b -> b.bucket(bucket).key("large-" + round).uploadId(upload).multipartUpload(m -> m.parts(
                    p -> p.partNumber(1).eTag(first), p -> p.partNumber(2).eTag(second))));
        });
        writes.add(() -> {
            for (ObjectVersion version : s3.listObjectVersions(b -> b.bucket(bucket).prefix("versioned")).versions()) {
                if (!version.isLatest()) {
                    s3.deleteObject(b -> b.bucket(bucket).key("versioned").versionId(version.versionId()));
                }
            }
        });
        writes.add(() -> s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(o -> o.key("objects/04"),
                o -> o.key("objects/05"), o -> o.key("public/page")))));
        writes.add(() -> s3.putObjectTagging(b -> b.bucket(bucket).key("objects/06").tagging(t -> t.tagSet(
                tag("kind", "retagged")))));
        writes.add(() -> s3.deleteObjectTagging(b -> b.bucket(bucket).key("objects/07")));
        writes.add(() -> s3.putObjectAcl(b -> b.bucket(bucket).key("objects/08").acl("public-read")));
        writes.add(() -> s3.putObjectLegalHold(b -> b.bucket(bucket).key("held").legalHold(h -> h.status(
                ObjectLockLegalHoldStatus.OFF))));
        writes.add(() -> s3.putObjectRetention(b -> b.bucket(bucket).key("held").bypassGovernanceRetention(true)
                .retention(r -> r.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(Instant.now().plusSeconds(60)))));
        writes.add(() -> s3.deleteBucketCors(b -> b.bucket(bucket)));
        writes.add(() -> s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(tag("team", "test")))));
        writes.add(() -> s3.putBucketLifecycleConfiguration(b -> b.bucket(bucket).lifecycleConfiguration(c -> c.rules(
                expire("tmp/", 1)))));
        writes.add(() -> s3.putBucketPolicy(b -> b.bucket(bucket).policy(POLICY)));
        writes.add(() -> s3.deleteBucketEncryption(b -> b.bucket(bucket)));
        writes.add(() -> s3.putObjectLockConfiguration(b -> b.bucket(bucket).objectLockConfiguration(c -> c
                .objectLockEnabled("Enabled").rule(r -> r.defaultRetention(d -> d
                        .mode(ObjectLockRetentionMode.GOVERNANCE).days(1))))));
        writes.add(() -> s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v
                .status(BucketVersioningStatus.SUSPENDED))));
        writes.add(() -> {
            String uploadId = s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().get(0).uploadId();
            s3.uploadPart(b -> b.bucket(bucket).key("uploading").uploadId(uploadId).partNumber(2)
                    .sseCustomerAlgorithm("AES256").sseCustomerKey(CUSTOMER_KEY).sseCustomerKeyMD5(md5(CUSTOMER_KEY)),
                    RequestBody.fromString("part two"));
            s3.abortMultipartUpload(b -> b.bucket(bucket).key("uploading").uploadId(uploadId));
        });
        writes.add(() -> {
            CreateMultipartUploadResponse upload = s3.createMultipartUpload(b -> b.bucket(bucket).key("multi")
                    .tagging("kind=multi").acl("public-read"));
            String etag = s3.uploadPart(b -> b.bucket(bucket).key("multi").uploadId(upload.uploadId()).partNumber(1)
                    .checksumAlgorithm("CRC32"), RequestBody.fromString("one part")).eTag();
            s3.completeMultipartUpload(b -> b.bucket(bucket).key("multi").uploadId(upload.uploadId())
                    .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
            s3.createMultipartUpload(b -> b.bucket(bucket).key("tmp/left-over"));
        });
        writes.add(() -> s3.putPublicAccessBlock(b -> b.bucket(bucket).publicAccessBlockConfiguration(p -> p
                .blockPublicAcls(true))));
        writes.add(() -> server.applyLifecycle(Instant.now().plus(Duration.ofDays(3))));
        for (Runnable write : writes) {
            try {
                write.run();
            } catch (S3Exception refused) {
                // object lock, versioning rules: a refusal writes nothing
            }
        }
    }

    @Test
    void writesOfEveryKindThroughTheSdkArePutBackRowForRow() throws Exception {
        Path seed = seed();
        Path photos = OriginalFixtureEndToEndTest.copyFixture(dir);
        Path scratch = dir.resolve("scratch");
        try (S3iteServer server = new S3iteServer().withLifecycleInterval(Duration.ZERO)
                .withBucket("seeded", seed).withBucket("photos", photos).start()) {
            S3Client s3 = server.createClient();
            Path data = server.getDataDirectory();
            for (int round = 0; round < 3; round++) {
                writeEverything(server, s3, round);
                s3.deleteObject(b -> b.bucket("photos").key("hello.txt"));
                s3.putObject(b -> b.bucket("photos").key("images/cat.jpg").tagging("animal=cat"),
                        RequestBody.fromString("not a cat"));
                s3.createBucket(b -> b.bucket("undeclared"));

                List<String> messages = StoreLog.messagesWhile(server::reset);
                assertEquals(2, messages.size(), messages.toString());
                assertTrue(messages.stream().allMatch(message -> message.contains("changed rows put back")),
                        messages.toString());
                assertEquals(BucketTables.reference(seed, scratch), BucketTables.contents(data.resolve("seeded.sqlite3")));
                assertEquals(BucketTables.reference(photos, scratch), BucketTables.contents(data.resolve("photos.sqlite3")));
                assertEquals(List.of("photos", "seeded"), List.copyOf(server.getBucketNames()));
            }
            // and what the server answers from them is the seed's again
            assertEquals("*", s3.getBucketCors(b -> b.bucket("seeded")).corsRules().get(0).allowedOrigins().get(0));
            assertEquals(BucketVersioningStatus.ENABLED, s3.getBucketVersioning(b -> b.bucket("seeded")).status());
            assertEquals(ServerSideEncryption.AES256, s3.getBucketEncryption(b -> b.bucket("seeded"))
                    .serverSideEncryptionConfiguration().rules().get(0).applyServerSideEncryptionByDefault().sseAlgorithm());
            assertEquals(List.of(tag("kind", "seed")), s3.getObjectTagging(b -> b.bucket("seeded").key("objects/01")).tagSet());
            assertEquals(ObjectLockLegalHoldStatus.ON, s3.getObjectLegalHold(b -> b.bucket("seeded").key("held"))
                    .legalHold().status());
            assertEquals("hello world", s3.getObjectAsBytes(b -> b.bucket("photos").key("hello.txt")).asUtf8String());
            assertEquals(1, s3.listMultipartUploads(b -> b.bucket("seeded")).uploads().size());
        }
    }

    @Test
    void aSeededBucketDeletedAndCreatedAgainThroughS3IsCopiedFromItsSeed() throws Exception {
        Path photos = OriginalFixtureEndToEndTest.copyFixture(dir);
        try (S3iteServer server = new S3iteServer().withBucket("photos", photos).start()) {
            S3Client s3 = server.createClient();
            s3.listObjectsV2(b -> b.bucket("photos")).contents()
                    .forEach(object -> s3.deleteObject(b -> b.bucket("photos").key(object.key())));
            s3.listMultipartUploads(b -> b.bucket("photos")).uploads().forEach(upload -> s3.abortMultipartUpload(b -> b
                    .bucket("photos").key(upload.key()).uploadId(upload.uploadId())));
            s3.deleteBucket(b -> b.bucket("photos"));
            s3.createBucket(b -> b.bucket("photos"));
            s3.putObject(b -> b.bucket("photos").key("only"), RequestBody.fromString("x"));

            List<String> messages = StoreLog.messagesWhile(server::reset);
            assertEquals(1, messages.size(), messages.toString());
            assertTrue(messages.get(0).contains(" copied ("), messages.get(0));
            assertEquals(BucketTables.reference(photos, dir.resolve("scratch")),
                    BucketTables.contents(server.getDataDirectory().resolve("photos.sqlite3")));
            assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket("photos").key("only")));
            assertEquals("hello world", new String(s3.getObjectAsBytes(b -> b.bucket("photos").key("hello.txt"))
                    .asByteArray(), StandardCharsets.UTF_8));
        }
    }
}
