package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AccessControlPolicy;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.GetBucketAclResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.Grantee;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.Owner;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Type;

/**
 * Several users, ACLs, public access blocks and object ownership, enforced for signed requests of
 * another user and for anonymous ones, through the AWS SDK v2.
 */
class AccessControlEndToEndTest {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3iteServer server;
    private static S3Client owner;
    private static S3Client bob;
    private static S3Client anonymous;
    private static S3iteUser ownerUser;
    private static S3iteUser bobUser;
    private String bucket;

    @BeforeAll
    static void start() {
        server = new S3iteServer().withCredentials("owner-key", "owner-secret").withUser("bob", "bob-secret").start();
        owner = server.createClient();
        bob = server.createClient("bob");
        anonymous = server.createClient(null);
        ownerUser = server.getUsers().get(0);
        bobUser = server.getUsers().get(1);
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void newBucket() {
        bucket = "guarded-" + BUCKETS.incrementAndGet();
    }

    /** A bucket with ACLs enabled and no public access block: what most ACL tests need. */
    private void createAclBucket() {
        owner.createBucket(b -> b.bucket(bucket).objectOwnership(ObjectOwnership.OBJECT_WRITER));
        owner.deletePublicAccessBlock(b -> b.bucket(bucket));
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

    @Test
    void anotherUserAndAnonymousRequestsAreRefusedWhatNoGrantAllows() {
        owner.createBucket(b -> b.bucket(bucket));
        put(owner, "private.txt", "mine");
        assertS3Error(403, "AccessDenied", () -> get(bob, "private.txt"));
        assertS3Error(403, "AccessDenied", () -> get(anonymous, "private.txt"));
        assertS3Error(403, "AccessDenied", () -> put(bob, "intruder.txt", "x"));
        assertS3Error(403, "AccessDenied", () -> bob.listObjectsV2(b -> b.bucket(bucket)));
        assertS3Error(403, "AccessDenied", () -> bob.deleteBucket(b -> b.bucket(bucket)));
        assertS3Error(403, "AccessDenied", () -> bob.getBucketAcl(b -> b.bucket(bucket)));
        assertS3Error(403, "AccessDenied", () -> anonymous.listBuckets());
        assertEquals("mine", get(owner, "private.txt"));
    }

    @Test
    void aMissingKeyIs404OnlyToWhoeverMayListTheBucket() {
        createAclBucket();
        assertS3Error(404, "NoSuchKey", () -> get(owner, "absent"));
        assertS3Error(403, "AccessDenied", () -> get(anonymous, "absent"));
        owner.putBucketAcl(b -> b.bucket(bucket).acl(BucketCannedACL.PUBLIC_READ));
        assertS3Error(404, "NoSuchKey", () -> get(anonymous, "absent"));
    }

    @Test
    void aNewBucketGetsSsDefaultsOwnerEnforcedAndEveryPublicAccessBlockOn() {
        owner.createBucket(b -> b.bucket(bucket));
        assertEquals(ObjectOwnership.BUCKET_OWNER_ENFORCED, owner.getBucketOwnershipControls(b -> b.bucket(bucket))
                .ownershipControls().rules().get(0).objectOwnership());
        PublicAccessBlockConfiguration block = owner.getPublicAccessBlock(b -> b.bucket(bucket))
                .publicAccessBlockConfiguration();
        assertTrue(block.blockPublicAcls() && block.ignorePublicAcls() && block.blockPublicPolicy()
                && block.restrictPublicBuckets());
        GetBucketAclResponse acl = owner.getBucketAcl(b -> b.bucket(bucket));
        assertEquals(ownerUser.canonicalId(), acl.owner().id());
        assertEquals(List.of(Grant.builder().grantee(Grantee.builder().type(Type.CANONICAL_USER).id(ownerUser.canonicalId())
                .displayName("owner-key").build()).permission(Permission.FULL_CONTROL).build()), acl.grants());
        assertS3Error(400, "AccessControlListNotSupported", () -> owner.putObject(b -> b.bucket(bucket).key("k")
                .acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("x")));
        owner.putObject(b -> b.bucket(bucket).key("k").acl(ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL),
                RequestBody.fromString("x"));
        assertS3Error(400, "AccessControlListNotSupported",
                () -> owner.putBucketAcl(b -> b.bucket(bucket).acl(BucketCannedACL.PUBLIC_READ)));
    }

    @Test
    void createBucketRefusesAnAclThatItsOwnershipOrPublicAccessBlockForbids() {
        assertS3Error(400, "InvalidBucketAclWithObjectOwnership",
                () -> owner.createBucket(b -> b.bucket(bucket).acl(BucketCannedACL.PUBLIC_READ)));
        assertS3Error(400, "InvalidBucketAclWithBlockPublicAccessError", () -> owner.createBucket(b -> b.bucket(bucket)
                .acl(BucketCannedACL.PUBLIC_READ).objectOwnership(ObjectOwnership.OBJECT_WRITER)));
        assertS3Error(404, "NoSuchBucket", () -> owner.headBucket(b -> b.bucket(bucket)));
        owner.createBucket(b -> b.bucket(bucket).acl(BucketCannedACL.PRIVATE));
    }

    @Test
    void aPublicReadObjectIsReadAnonymouslyAndOthersAreNot() {
        createAclBucket();
        owner.putObject(b -> b.bucket(bucket).key("public.txt").acl(ObjectCannedACL.PUBLIC_READ),
                RequestBody.fromString("for all"));
        put(owner, "private.txt", "mine");
        assertEquals("for all", get(anonymous, "public.txt"));
        assertEquals("for all", get(bob, "public.txt"));
        assertS3Error(403, "AccessDenied", () -> get(anonymous, "private.txt"));
        GetObjectAclResponse acl = owner.getObjectAcl(b -> b.bucket(bucket).key("public.txt"));
        assertTrue(acl.grants().contains(Grant.builder().grantee(Grantee.builder().type(Type.GROUP)
                .uri("http://acs.amazonaws.com/groups/global/AllUsers").build()).permission(Permission.READ).build()),
                acl.grants().toString());
        assertS3Error(403, "AccessDenied", () -> anonymous.getObjectAcl(b -> b.bucket(bucket).key("public.txt")));
    }

    @Test
    void grantsByEmailAndByIdGiveThatUserExactlyThePermissionGranted() {
        createAclBucket();
        owner.putObject(b -> b.bucket(bucket).key("shared.txt").grantRead("emailAddress=\"bob@s3ite.local\""),
                RequestBody.fromString("to bob"));
        assertEquals("to bob", get(bob, "shared.txt"));
        assertS3Error(403, "AccessDenied", () -> get(anonymous, "shared.txt"));
        assertS3Error(403, "AccessDenied", () -> bob.getObjectAcl(b -> b.bucket(bucket).key("shared.txt")));
        GetObjectAclResponse acl = owner.getObjectAcl(b -> b.bucket(bucket).key("shared.txt"));
        // as S3 does, an e-mail grant is kept as the user's canonical id, and the owner keeps nothing
        assertEquals(List.of(Grant.builder().grantee(Grantee.builder().type(Type.CANONICAL_USER).id(bobUser.canonicalId())
                .displayName("bob").build()).permission(Permission.READ).build()), acl.grants());

        owner.putObjectAcl(b -> b.bucket(bucket).key("shared.txt").grantReadACP("id=\"" + bobUser.canonicalId() + "\""));
        assertS3Error(403, "AccessDenied", () -> get(bob, "shared.txt"));
        assertEquals(ownerUser.canonicalId(), bob.getObjectAcl(b -> b.bucket(bucket).key("shared.txt")).owner().id());
        assertS3Error(400, "UnresolvableGrantByEmailAddress", () -> owner.putObjectAcl(b -> b.bucket(bucket)
                .key("shared.txt").grantRead("emailAddress=\"nobody@example.com\"")));
    }

    @Test
    void aUserGrantedWriteOnABucketOwnsWhatItWritesThere() {
        createAclBucket();
        owner.putBucketAcl(b -> b.bucket(bucket).grantWrite("id=\"" + bobUser.canonicalId() + "\"")
                .grantFullControl("id=\"" + ownerUser.canonicalId() + "\""));
        put(bob, "from-bob.txt", "bob's");
        assertEquals("bob's", get(bob, "from-bob.txt"));
        assertEquals(bobUser.canonicalId(), bob.getObjectAcl(b -> b.bucket(bucket).key("from-bob.txt")).owner().id());
        // an object written by another account belongs to it: the bucket owner may not read it (ObjectWriter)
        assertS3Error(403, "AccessDenied", () -> get(owner, "from-bob.txt"));
        bob.putObject(b -> b.bucket(bucket).key("for-owner.txt").acl(ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL),
                RequestBody.fromString("handed over"));
        assertEquals("handed over", get(owner, "for-owner.txt"));
        owner.deleteObject(b -> b.bucket(bucket).key("from-bob.txt"));
        assertS3Error(403, "AccessDenied", () -> bob.listObjectsV2(b -> b.bucket(bucket)));
    }

    @Test
    void bucketOwnerPreferredGivesTheBucketOwnerWhatIsWrittenWithBucketOwnerFullControl() {
        createAclBucket();
        owner.putBucketOwnershipControls(b -> b.bucket(bucket).ownershipControls(c -> c.rules(r -> r
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED))));
        owner.putBucketAcl(b -> b.bucket(bucket).grantWrite("id=\"" + bobUser.canonicalId() + "\"")
                .grantFullControl("id=\"" + ownerUser.canonicalId() + "\""));
        bob.putObject(b -> b.bucket(bucket).key("preferred.txt").acl(ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL),
                RequestBody.fromString("x"));
        assertEquals(ownerUser.canonicalId(), owner.getObjectAcl(b -> b.bucket(bucket).key("preferred.txt")).owner().id());
    }

    @Test
    void listBucketsShowsEachUserItsOwnBuckets() {
        owner.createBucket(b -> b.bucket(bucket));
        String bobs = bucket + "-bob";
        bob.createBucket(b -> b.bucket(bobs));
        List<String> bobSees = bob.listBuckets().buckets().stream().map(Bucket::name).toList();
        assertTrue(bobSees.contains(bobs) && !bobSees.contains(bucket), bobSees.toString());
        assertEquals(bobUser.canonicalId(), bob.listBuckets().owner().id());
        assertTrue(owner.listBuckets().buckets().stream().map(Bucket::name).toList().contains(bucket));
        assertTrue(!owner.listBuckets().buckets().stream().map(Bucket::name).toList().contains(bobs));
        assertS3Error(409, "BucketAlreadyExists", () -> bob.createBucket(b -> b.bucket(bucket)));
        owner.createBucket(b -> b.bucket(bucket)); // its owner again: 200 in us-east-1
        assertS3Error(403, "AccessDenied", () -> owner.putObject(b -> b.bucket(bobs).key("k"), RequestBody.fromString("x")));
    }

    @Test
    void blockPublicAclsRefusesPublicAclsAndIgnorePublicAclsVoidsThem() {
        createAclBucket();
        owner.putObject(b -> b.bucket(bucket).key("public.txt").acl(ObjectCannedACL.PUBLIC_READ),
                RequestBody.fromString("public"));
        assertEquals("public", get(anonymous, "public.txt"));
        owner.putPublicAccessBlock(b -> b.bucket(bucket).publicAccessBlockConfiguration(c -> c.ignorePublicAcls(true)));
        assertS3Error(403, "AccessDenied", () -> get(anonymous, "public.txt"));
        owner.putPublicAccessBlock(b -> b.bucket(bucket).publicAccessBlockConfiguration(c -> c.blockPublicAcls(true)));
        assertEquals("public", get(anonymous, "public.txt"));
        assertS3Error(403, "AccessDenied", () -> owner.putObject(b -> b.bucket(bucket).key("more.txt")
                .acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("x")));
        assertS3Error(403, "AccessDenied", () -> owner.putObjectAcl(b -> b.bucket(bucket).key("public.txt")
                .acl(ObjectCannedACL.PUBLIC_READ_WRITE)));
        assertS3Error(403, "AccessDenied", () -> owner.putBucketAcl(b -> b.bucket(bucket).acl(BucketCannedACL.PUBLIC_READ)));
        PublicAccessBlockConfiguration stored = owner.getPublicAccessBlock(b -> b.bucket(bucket))
                .publicAccessBlockConfiguration();
        assertTrue(stored.blockPublicAcls() && !stored.ignorePublicAcls() && !stored.blockPublicPolicy());
        owner.deletePublicAccessBlock(b -> b.bucket(bucket));
        assertS3Error(404, "NoSuchPublicAccessBlockConfiguration", () -> owner.getPublicAccessBlock(b -> b.bucket(bucket)));
    }

    @Test
    void aBucketAclIsReplacedWholeFromTheDocumentAndMalformedOnesAreRefused() {
        createAclBucket();
        Owner bucketOwner = Owner.builder().id(ownerUser.canonicalId()).displayName("owner-key").build();
        owner.putBucketAcl(b -> b.bucket(bucket).accessControlPolicy(AccessControlPolicy.builder().owner(bucketOwner)
                .grants(Grant.builder().grantee(Grantee.builder().type(Type.CANONICAL_USER).id(ownerUser.canonicalId()).build())
                                .permission(Permission.FULL_CONTROL).build(),
                        Grant.builder().grantee(Grantee.builder().type(Type.GROUP)
                                .uri("http://acs.amazonaws.com/groups/global/AuthenticatedUsers").build())
                                .permission(Permission.READ).build()).build()));
        assertEquals(0, bob.listObjectsV2(b -> b.bucket(bucket)).keyCount());
        assertS3Error(403, "AccessDenied", () -> anonymous.listObjectsV2(b -> b.bucket(bucket)));
        assertEquals(2, owner.getBucketAcl(b -> b.bucket(bucket)).grants().size());
        assertS3Error(400, "MalformedACLError", () -> owner.putBucketAcl(b -> b.bucket(bucket)
                .accessControlPolicy(AccessControlPolicy.builder().grants(List.of()).build())));
        assertS3Error(403, "AccessDenied", () -> owner.putBucketAcl(b -> b.bucket(bucket)
                .accessControlPolicy(AccessControlPolicy.builder().owner(Owner.builder().id(bobUser.canonicalId()).build())
                        .grants(List.of()).build())));
    }

    @Test
    void ownershipControlsAreKeptAndBucketOwnerEnforcedNeedsAPrivateBucketAcl() {
        createAclBucket();
        assertEquals(ObjectOwnership.OBJECT_WRITER, owner.getBucketOwnershipControls(b -> b.bucket(bucket))
                .ownershipControls().rules().get(0).objectOwnership());
        owner.putBucketAcl(b -> b.bucket(bucket).acl(BucketCannedACL.PUBLIC_READ));
        assertS3Error(400, "InvalidBucketAclWithObjectOwnership", () -> owner.putBucketOwnershipControls(b -> b
                .bucket(bucket).ownershipControls(c -> c.rules(r -> r.objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)))));
        owner.putBucketAcl(b -> b.bucket(bucket).acl(BucketCannedACL.PRIVATE));
        owner.putBucketOwnershipControls(b -> b.bucket(bucket).ownershipControls(c -> c.rules(r -> r
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED))));
        owner.deleteBucketOwnershipControls(b -> b.bucket(bucket));
        assertS3Error(404, "OwnershipControlsNotFoundError", () -> owner.getBucketOwnershipControls(b -> b.bucket(bucket)));
    }

    @Test
    void expectedBucketOwnerMustNameTheOwnersAccount() {
        owner.createBucket(b -> b.bucket(bucket));
        put(owner, "k", "v");
        assertEquals("v", owner.getObjectAsBytes(b -> b.bucket(bucket).key("k")
                .expectedBucketOwner(ownerUser.accountId())).asUtf8String());
        assertS3Error(403, "AccessDenied", () -> owner.getObjectAsBytes(b -> b.bucket(bucket).key("k")
                .expectedBucketOwner(bobUser.accountId())));
    }

    @Test
    void aCopyNeedsReadAccessToItsSource() {
        owner.createBucket(b -> b.bucket(bucket));
        put(owner, "secret.txt", "secret");
        String bobs = bucket + "-bob";
        bob.createBucket(b -> b.bucket(bobs));
        assertS3Error(403, "AccessDenied", () -> bob.copyObject(b -> b.sourceBucket(bucket).sourceKey("secret.txt")
                .destinationBucket(bobs).destinationKey("stolen.txt")));
        assertS3Error(404, "NoSuchKey", () -> bob.headObject(b -> b.bucket(bobs).key("stolen.txt")));
    }
}
