package io.github.s3ite.server.operations;

import io.github.s3ite.server.access.Grantee;
import io.github.s3ite.server.access.Users;
import io.github.s3ite.server.http.AccessCheck;
import io.github.s3ite.server.http.CorsLookup;
import io.github.s3ite.server.http.CorsRules;
import io.github.s3ite.server.http.OperationHandler;
import io.github.s3ite.server.http.S3Request;
import io.github.s3ite.server.http.S3Response;
import io.github.s3ite.server.lifecycle.LifecycleOutcome;
import io.github.s3ite.server.storage.BucketStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/** Sends each routed request to the handler of its operation. */
public final class S3Operations implements OperationHandler, CorsLookup {
    private final BucketOperations buckets;
    private final ObjectOperations objects;
    private final ListingOperations listings;
    private final MultipartOperations multipart;
    private final TaggingOperations tagging;
    private final ObjectAttributesOperations attributes;
    private final ObjectLockOperations locks;
    private final BucketEncryptionOperations encryption;
    private final BucketConfigurationOperations configurations;
    private final AccessControls accessControls;
    private final AccessOperations access;
    private final LifecycleOperations lifecycle;

    /**
     * @param ownerName the name listings give the owner of everything (the access key, or "s3ite")
     */
    public S3Operations(BucketStore store, String region, String ownerName) {
        this(store, region, ownerName, new Users(List.of()));
    }

    /**
     * @param ownerName the name listings give the owner of what no user created (the first user's
     *                  access key, or "s3ite")
     * @param users     the users whose requests are checked; none: nothing is checked
     */
    public S3Operations(BucketStore store, String region, String ownerName, Users users) {
        Owner owner = new Owner(canonicalId(ownerName), ownerName);
        this.accessControls = new AccessControls(store, users, Grantee.user(owner.id(), owner.displayName()));
        this.access = new AccessOperations(store, accessControls);
        this.lifecycle = new LifecycleOperations(store);
        this.buckets = new BucketOperations(store, region, owner, accessControls);
        this.objects = new ObjectOperations(store, access, lifecycle);
        this.listings = new ListingOperations(store, accessControls);
        this.multipart = new MultipartOperations(store, owner, access, lifecycle);
        this.tagging = new TaggingOperations(store);
        this.attributes = new ObjectAttributesOperations(store);
        this.locks = new ObjectLockOperations(store);
        this.encryption = new BucketEncryptionOperations(store);
        this.configurations = new BucketConfigurationOperations(store);
    }

    @Override
    public S3Response handle(S3Request request) {
        return switch (request.operation()) {
            case LIST_BUCKETS -> buckets.listBuckets(request);
            case CREATE_BUCKET -> buckets.createBucket(request);
            case HEAD_BUCKET -> buckets.headBucket(request);
            case DELETE_BUCKET -> buckets.deleteBucket(request);
            case GET_BUCKET_LOCATION -> buckets.getBucketLocation(request);
            case GET_BUCKET_VERSIONING -> buckets.getBucketVersioning(request);
            case PUT_BUCKET_VERSIONING -> buckets.putBucketVersioning(request);
            case GET_BUCKET_TAGGING -> configurations.getBucketTagging(request);
            case PUT_BUCKET_TAGGING -> configurations.putBucketTagging(request);
            case DELETE_BUCKET_TAGGING -> configurations.deleteBucketTagging(request);
            case GET_BUCKET_LOGGING -> configurations.getBucketLogging(request);
            case PUT_BUCKET_LOGGING -> configurations.putBucketLogging(request);
            case GET_BUCKET_REQUEST_PAYMENT -> configurations.getBucketRequestPayment(request);
            case PUT_BUCKET_REQUEST_PAYMENT -> configurations.putBucketRequestPayment(request);
            case GET_BUCKET_ACCELERATE_CONFIGURATION -> configurations.getBucketAccelerateConfiguration(request);
            case PUT_BUCKET_ACCELERATE_CONFIGURATION -> configurations.putBucketAccelerateConfiguration(request);
            case GET_BUCKET_WEBSITE -> configurations.getBucketWebsite(request);
            case PUT_BUCKET_WEBSITE -> configurations.putBucketWebsite(request);
            case DELETE_BUCKET_WEBSITE -> configurations.deleteBucketWebsite(request);
            case GET_BUCKET_NOTIFICATION_CONFIGURATION -> configurations.getBucketNotificationConfiguration(request);
            case PUT_BUCKET_NOTIFICATION_CONFIGURATION -> configurations.putBucketNotificationConfiguration(request);
            case GET_BUCKET_REPLICATION -> configurations.getBucketReplication(request);
            case PUT_BUCKET_REPLICATION -> configurations.putBucketReplication(request);
            case DELETE_BUCKET_REPLICATION -> configurations.deleteBucketReplication(request);
            case GET_BUCKET_CORS -> configurations.getBucketCors(request);
            case PUT_BUCKET_CORS -> configurations.putBucketCors(request);
            case DELETE_BUCKET_CORS -> configurations.deleteBucketCors(request);
            case GET_BUCKET_LIFECYCLE_CONFIGURATION -> lifecycle.getBucketLifecycleConfiguration(request);
            case PUT_BUCKET_LIFECYCLE_CONFIGURATION -> lifecycle.putBucketLifecycleConfiguration(request);
            case DELETE_BUCKET_LIFECYCLE -> lifecycle.deleteBucketLifecycle(request);
            case CORS_PREFLIGHT -> throw new IllegalStateException("A preflight is answered at the edge");
            case GET_OBJECT_LOCK_CONFIGURATION -> locks.getObjectLockConfiguration(request);
            case PUT_OBJECT_LOCK_CONFIGURATION -> locks.putObjectLockConfiguration(request);
            case GET_BUCKET_ENCRYPTION -> encryption.getBucketEncryption(request);
            case PUT_BUCKET_ENCRYPTION -> encryption.putBucketEncryption(request);
            case DELETE_BUCKET_ENCRYPTION -> encryption.deleteBucketEncryption(request);
            case GET_OBJECT_RETENTION -> locks.getObjectRetention(request);
            case PUT_OBJECT_RETENTION -> locks.putObjectRetention(request);
            case GET_OBJECT_LEGAL_HOLD -> locks.getObjectLegalHold(request);
            case PUT_OBJECT_LEGAL_HOLD -> locks.putObjectLegalHold(request);
            case GET_BUCKET_ACL -> access.getBucketAcl(request);
            case PUT_BUCKET_ACL -> access.putBucketAcl(request);
            case GET_BUCKET_POLICY -> access.getBucketPolicy(request);
            case PUT_BUCKET_POLICY -> access.putBucketPolicy(request);
            case DELETE_BUCKET_POLICY -> access.deleteBucketPolicy(request);
            case GET_BUCKET_POLICY_STATUS -> access.getBucketPolicyStatus(request);
            case GET_PUBLIC_ACCESS_BLOCK -> access.getPublicAccessBlock(request);
            case PUT_PUBLIC_ACCESS_BLOCK -> access.putPublicAccessBlock(request);
            case DELETE_PUBLIC_ACCESS_BLOCK -> access.deletePublicAccessBlock(request);
            case GET_BUCKET_OWNERSHIP_CONTROLS -> access.getBucketOwnershipControls(request);
            case PUT_BUCKET_OWNERSHIP_CONTROLS -> access.putBucketOwnershipControls(request);
            case DELETE_BUCKET_OWNERSHIP_CONTROLS -> access.deleteBucketOwnershipControls(request);
            case GET_OBJECT_ACL -> access.getObjectAcl(request);
            case PUT_OBJECT_ACL -> access.putObjectAcl(request);
            case LIST_OBJECTS -> listings.listObjects(request);
            case LIST_OBJECTS_V2 -> listings.listObjectsV2(request);
            case LIST_OBJECT_VERSIONS -> listings.listObjectVersions(request);
            case LIST_MULTIPART_UPLOADS -> multipart.listMultipartUploads(request);
            case DELETE_OBJECTS -> objects.deleteObjects(request);
            case PUT_OBJECT -> objects.putObject(request);
            case POST_OBJECT -> objects.postObject(request);
            case COPY_OBJECT -> objects.copyObject(request);
            case GET_OBJECT -> objects.getObject(request, false);
            case HEAD_OBJECT -> objects.getObject(request, true);
            case GET_OBJECT_ATTRIBUTES -> attributes.getObjectAttributes(request);
            case DELETE_OBJECT -> objects.deleteObject(request);
            case GET_OBJECT_TAGGING -> tagging.getObjectTagging(request);
            case PUT_OBJECT_TAGGING -> tagging.putObjectTagging(request);
            case DELETE_OBJECT_TAGGING -> tagging.deleteObjectTagging(request);
            case CREATE_MULTIPART_UPLOAD -> multipart.createMultipartUpload(request);
            case UPLOAD_PART -> multipart.uploadPart(request);
            case UPLOAD_PART_COPY -> multipart.uploadPartCopy(request);
            case COMPLETE_MULTIPART_UPLOAD -> multipart.completeMultipartUpload(request);
            case ABORT_MULTIPART_UPLOAD -> multipart.abortMultipartUpload(request);
            case LIST_PARTS -> multipart.listParts(request);
        };
    }

    /**
     * Applies every bucket's lifecycle rules as they stand at {@code now}: what falls due by then
     * is expired, deleted or aborted (see {@link io.github.s3ite.server.storage.BucketFile#applyLifecycle}).
     */
    public LifecycleOutcome applyLifecycle(Instant now) {
        return lifecycle.apply(now);
    }

    @Override
    public void authorize(AccessCheck check) {
        accessControls.authorize(check);
    }

    @Override
    public CorsRules rules(String bucket) {
        return configurations.corsRules(bucket);
    }

    /** S3 shows owners as a 64-hex canonical id; ours is derived from the owner's name. */
    private static String canonicalId(String name) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
