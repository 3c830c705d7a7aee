package io.github.s3ite.server.operations;

import io.github.s3ite.server.access.AccessControlList;
import io.github.s3ite.server.access.AccessRequest;
import io.github.s3ite.server.access.Authorizer;
import io.github.s3ite.server.access.BucketAccess;
import io.github.s3ite.server.access.BucketPolicy;
import io.github.s3ite.server.access.Grantee;
import io.github.s3ite.server.access.Identity;
import io.github.s3ite.server.access.ObjectOwnership;
import io.github.s3ite.server.access.Permission;
import io.github.s3ite.server.access.PolicyDecision;
import io.github.s3ite.server.access.PolicyRequest;
import io.github.s3ite.server.access.PublicAccessBlock;
import io.github.s3ite.server.access.Users;
import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.http.AccessCheck;
import io.github.s3ite.server.http.S3Operation;
import io.github.s3ite.server.storage.BucketFile;
import io.github.s3ite.server.storage.BucketStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Who may do what: the users, each bucket's owner, ACL, policy, public access block and object
 * ownership as kept in its file, and the check every request passes before its handler runs. With
 * no users, nothing is checked.
 */
final class AccessControls {
    private static final Logger LOG = Logger.getLogger(AccessControls.class.getName());
    static final String ACL = "acl";
    static final String POLICY = "policy";
    static final String PUBLIC_ACCESS_BLOCK = "public-access-block";
    static final String OWNERSHIP_CONTROLS = "ownership-controls";

    private final BucketStore store;
    private final Users users;
    private final Grantee serverOwner;
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();

    AccessControls(BucketStore store, Users users, Grantee serverOwner) {
        this.store = store;
        this.users = users;
        this.serverOwner = serverOwner;
    }

    Users users() {
        return users;
    }

    /** The user that signed {@code accessKey}'s request, or null for an anonymous one (or server). */
    Identity requester(String accessKey) {
        return users.byAccessKey(accessKey);
    }

    /** Who owns what a request creates: its signer, or the server's owner on an anonymous server. */
    Grantee ownerFor(Identity requester) {
        return requester == null ? serverOwner : Grantee.user(requester.canonicalId(), requester.displayName());
    }

    Grantee serverOwner() {
        return serverOwner;
    }

    /**
     * Whether a policy's AWS principal (an account id, an account's root ARN or a user ARN) names
     * one of the users: S3 refuses a policy naming a principal that does not exist.
     */
    boolean principalExists(String principal) {
        for (Identity user : users.all()) {
            if (principal.equals(user.accountId()) || principal.equals("arn:aws:iam::" + user.accountId() + ":root")
                    || principal.equals(user.arn())) {
                return true;
            }
        }
        return false;
    }

    /** A bucket's access settings, parsed once per change of its documents. */
    BucketAccess bucket(BucketFile bucket) {
        String acl = bucket.configuration(ACL);
        String policy = bucket.configuration(POLICY);
        String block = bucket.configuration(PUBLIC_ACCESS_BLOCK);
        String ownership = bucket.configuration(OWNERSHIP_CONTROLS);
        Parsed cached = parsed.get(bucket.name());
        if (cached != null && Objects.equals(cached.acl, acl) && Objects.equals(cached.policy, policy)
                && Objects.equals(cached.block, block) && Objects.equals(cached.ownership, ownership)) {
            if (cached.acl != acl || cached.policy != policy || cached.block != block || cached.ownership != ownership) {
                // the same documents read again (after a reset): kept as these instances, so that
                // later requests compare references, not whole documents
                parsed.put(bucket.name(), new Parsed(acl, policy, block, ownership, cached.access));
            }
            return cached.access;
        }
        AccessControlList bucketAcl = acl == null ? AccessControlList.privateTo(serverOwner) : AclDocuments.read(acl);
        BucketAccess access = new BucketAccess(bucketAcl.owner(), bucketAcl,
                policy == null ? null : storedPolicy(policy, bucket.name()),
                block == null ? PublicAccessBlock.NONE : AccessDocuments.readPublicAccessBlock(block),
                ownership == null ? ObjectOwnership.ObjectWriter : AccessDocuments.readOwnership(ownership));
        parsed.put(bucket.name(), new Parsed(acl, policy, block, ownership, access));
        return access;
    }

    /**
     * A policy as stored. PutBucketPolicy accepted it for this bucket, but a seed file copied from a
     * bucket of another name keeps a policy whose resources name that one, which S3 would refuse
     * here: such a policy is left out, with a warning, rather than refusing every request.
     */
    private static BucketPolicy storedPolicy(String document, String bucketName) {
        try {
            return BucketPolicy.parse(document, bucketName, stored -> true);
        } catch (S3Exception unusable) {
            LOG.log(Level.WARNING, "Bucket " + bucketName + ": its stored policy is ignored, as it is not one for this bucket: "
                    + unusable.getMessage());
            return null;
        }
    }

    /** The ACL of an object's version; its owner is the object's owner. */
    AccessControlList objectAcl(BucketFile bucket, BucketAccess access, String key, String versionId) {
        String document = bucket.objectAcl(key, versionId);
        return document == null ? AccessControlList.privateTo(access.owner()) : AclDocuments.read(document);
    }

    /** @throws S3Exception AccessDenied when the check's requester may not make its request */
    void authorize(AccessCheck check) {
        if (!users.enforced()) {
            return;
        }
        Identity requester = users.byAccessKey(check.accessKey());
        S3Operation operation = check.route().operation();
        if (operation == S3Operation.CORS_PREFLIGHT) {
            return;
        }
        if (operation == S3Operation.LIST_BUCKETS || operation == S3Operation.CREATE_BUCKET) {
            if (requester == null) {
                throw accessDenied();
            }
            return;
        }
        String bucketName = check.route().bucket();
        if (bucketName == null) {
            return;
        }
        BucketFile bucket;
        try {
            bucket = store.bucket(bucketName);
        } catch (S3Exception e) {
            if (e.error() == S3ErrorCode.NO_SUCH_BUCKET || e.error() == S3ErrorCode.INVALID_BUCKET_NAME) {
                return; // answered NoSuchBucket (or InvalidBucketName) by the handler, as S3 answers anyone
            }
            throw e;
        }
        BucketAccess access = bucket(bucket);
        String expectedOwner = check.header("x-amz-expected-bucket-owner");
        if (expectedOwner != null) {
            Identity owner = users.byCanonicalId(access.owner().id());
            if (owner == null || !owner.accountId().equals(expectedOwner)) {
                throw accessDenied();
            }
        }
        if (operation == S3Operation.DELETE_OBJECTS) {
            return; // judged key by key, as S3 does: see mayDelete
        }
        if (!soleUser(requester, access)) {
            check(check, requester, operation, bucket, access);
        }
        if (operation == S3Operation.COPY_OBJECT || operation == S3Operation.UPLOAD_PART_COPY) {
            // a copy reads its source: allowed only to whoever may GetObject it
            CopySource source = CopySource.parse(check.header("x-amz-copy-source"));
            authorizeCopySource(check, requester, source.bucket(), source.key(), source.versionId());
        }
    }

    /**
     * Whether the request is the only user's to a bucket without a policy: it owns every bucket and
     * every object (no one else can have written one), so nothing can refuse it. Saves reading the
     * object's ACL on every request of the common one-user server.
     */
    private boolean soleUser(Identity requester, BucketAccess access) {
        return requester != null && users.all().size() == 1 && access.policy() == null;
    }

    private void check(AccessCheck check, Identity requester, S3Operation operation, BucketFile bucket,
                       BucketAccess access) {
        String bucketName = bucket.name();
        Rule rule = Rule.of(operation, check.query().get("versionId"));
        String key = check.route().key();
        AccessControlList acl = access.acl();
        Permission permission = rule.permission();
        if (rule.objectAcl() && key != null) {
            try {
                acl = objectAcl(bucket, access, key, check.query().get("versionId"));
            } catch (S3Exception missing) {
                requireMayLearnMissing(check, requester, bucket, access, rule.action(), bucketArn(bucketName) + "/" + key);
                return;
            }
        }
        String resource = key == null || !rule.objectResource() ? bucketArn(bucketName) : bucketArn(bucketName) + "/" + key;
        if (!allowed(access, new AccessRequest(requester, rule.action(), resource, acl, permission,
                conditions(check, requester, bucket, access, key)))) {
            throw accessDenied();
        }
    }

    /** Whether a DeleteObjects may delete one of its keys (and version): as a DeleteObject of it would. */
    boolean mayDelete(AccessCheck check, String key, String versionId) {
        if (!users.enforced()) {
            return true;
        }
        BucketFile bucket = store.bucket(check.route().bucket());
        BucketAccess access = bucket(bucket);
        Identity requester = users.byAccessKey(check.accessKey());
        if (soleUser(requester, access)) {
            return true;
        }
        Map<String, List<String>> conditions = conditions(check, requester, bucket, access, key);
        if (access.policy() != null) {
            put(conditions, "s3:VersionId", versionId);
        }
        return allowed(access, new AccessRequest(requester, versionId == null ? "s3:DeleteObject" : "s3:DeleteObjectVersion",
                bucketArn(bucket.name()) + "/" + key, access.acl(), Permission.WRITE, conditions));
    }

    /**
     * Whether {@code requester} may read the object a copy takes its bytes from: as a GetObject of
     * it would be judged, with the same condition keys (its tags, the source IP, the signature...).
     */
    private void authorizeCopySource(AccessCheck check, Identity requester, String bucketName, String key, String versionId) {
        if (!users.enforced() || !store.exists(bucketName)) {
            return;
        }
        BucketFile bucket = store.bucket(bucketName);
        BucketAccess access = bucket(bucket);
        if (soleUser(requester, access)) {
            return;
        }
        String action = versionId == null ? "s3:GetObject" : "s3:GetObjectVersion";
        AccessControlList acl;
        try {
            acl = objectAcl(bucket, access, key, versionId);
        } catch (S3Exception missing) {
            requireMayLearnMissing(check, requester, bucket, access, action, bucketArn(bucketName) + "/" + key);
            return; // the copy answers NoSuchKey
        }
        Map<String, List<String>> conditions = conditions(check, requester, bucket, access, key);
        if (access.policy() != null) {
            conditions.remove("s3:VersionId");
            put(conditions, "s3:VersionId", versionId);
        }
        if (!allowed(access, new AccessRequest(requester, action, bucketArn(bucketName) + "/" + key, acl,
                Permission.READ, conditions))) {
            throw accessDenied();
        }
    }

    /**
     * For a request on an object that does not exist: only who may list the bucket learns that
     * (404), as S3 answers; anyone else, and anyone the bucket policy explicitly denies the action
     * itself, gets 403.
     */
    private void requireMayLearnMissing(AccessCheck check, Identity requester, BucketFile bucket, BucketAccess access,
                                        String action, String objectArn) {
        Map<String, List<String>> conditions = conditions(check, requester, bucket, access, null);
        boolean denied = access.policy() != null && access.policy().evaluate(new PolicyRequest(
                Authorizer.principal(requester), action, objectArn, conditions)) == PolicyDecision.DENY;
        if (denied || !allowed(access, new AccessRequest(requester, "s3:ListBucket", bucketArn(bucket.name()),
                access.acl(), Permission.READ, conditions))) {
            throw accessDenied();
        }
    }

    private static boolean allowed(BucketAccess access, AccessRequest request) {
        return Authorizer.allowed(access, request);
    }

    /**
     * The values of the policy condition keys a request has, with the tags of {@code taggedKey}'s
     * object (none for null); none at all without a bucket policy, as only a policy asks for them.
     */
    private Map<String, List<String>> conditions(AccessCheck check, Identity requester, BucketFile bucket,
                                                 BucketAccess access, String taggedKey) {
        if (access.policy() == null) {
            return Map.of();
        }
        Map<String, List<String>> keys = new HashMap<>();
        Instant now = Instant.now();
        keys.put("aws:SecureTransport", List.of(Boolean.toString(check.secure())));
        put(keys, "aws:SourceIp", check.sourceIp());
        keys.put("aws:CurrentTime", List.of(now.toString()));
        keys.put("aws:EpochTime", List.of(Long.toString(now.getEpochSecond())));
        put(keys, "aws:UserAgent", check.header("user-agent"));
        put(keys, "aws:Referer", check.header("referer"));
        if (requester != null) {
            keys.put("aws:username", List.of(requester.displayName()));
            keys.put("aws:userid", List.of(requester.canonicalId()));
            keys.put("aws:PrincipalAccount", List.of(requester.accountId()));
            keys.put("aws:PrincipalArn", List.of(requester.arn()));
            keys.put("aws:PrincipalType", List.of("User"));
        } else {
            keys.put("aws:PrincipalType", List.of("Anonymous"));
            keys.put("aws:userid", List.of("anonymous"));
        }
        put(keys, "s3:authType", check.authType());
        if (check.authType() != null) {
            String authorization = check.header("authorization");
            boolean version2 = authorization != null ? authorization.startsWith("AWS ")
                    : check.query().containsKey("AWSAccessKeyId");
            keys.put("s3:signatureversion", List.of(version2 ? "AWS" : "AWS4-HMAC-SHA256"));
        }
        for (String name : List.of("prefix", "delimiter", "max-keys", "versionId")) {
            put(keys, "s3:" + (name.equals("versionId") ? "VersionId" : name), check.query().get(name));
        }
        for (Map.Entry<String, List<String>> header : check.headers().entrySet()) {
            String name = header.getKey();
            if (name.equals("x-amz-acl") || name.startsWith("x-amz-grant-") || name.startsWith("x-amz-server-side-encryption")
                    || name.equals("x-amz-storage-class") || name.equals("x-amz-content-sha256")
                    || name.equals("x-amz-copy-source") || name.equals("x-amz-metadata-directive")
                    || name.equals("x-amz-object-lock-mode") || name.equals("x-amz-object-lock-retain-until-date")
                    || name.equals("x-amz-object-lock-legal-hold")) {
                keys.put("s3:" + name, header.getValue());
            }
        }
        String tagging = check.header("x-amz-tagging");
        if (tagging != null) {
            // refused as the request itself would be, before anything is judged on them
            Map<String, String> tags = ObjectRequests.tagsFromHeader(tagging);
            tags.forEach((name, value) -> keys.put("s3:RequestObjectTag/" + name, List.of(value)));
            keys.put("s3:RequestObjectTagKeys", List.copyOf(tags.keySet()));
        }
        if (taggedKey != null) {
            try {
                for (Map.Entry<String, String> tag : bucket.getTags(taggedKey).entrySet()) {
                    keys.put("s3:ExistingObjectTag/" + tag.getKey(), List.of(tag.getValue()));
                }
            } catch (S3Exception absent) {
                // a key without an object has no tags to test
            }
        }
        return keys;
    }

    private static void put(Map<String, List<String>> keys, String name, String value) {
        if (value != null) {
            keys.put(name, List.of(value));
        }
    }

    static String bucketArn(String bucket) {
        return "arn:aws:s3:::" + bucket;
    }

    static S3Exception accessDenied() {
        return new S3Exception(S3ErrorCode.ACCESS_DENIED);
    }

    private record Parsed(String acl, String policy, String block, String ownership, BucketAccess access) {
    }

    /**
     * What an operation needs: its IAM action, the ACL permission that grants it (null: none does),
     * whether the object's ACL governs it rather than the bucket's, and whether its resource is the
     * object.
     */
    record Rule(String action, Permission permission, boolean objectAcl, boolean objectResource) {
        static Rule of(S3Operation operation, String versionId) {
            boolean version = versionId != null;
            return switch (operation) {
                case HEAD_BUCKET, LIST_OBJECTS, LIST_OBJECTS_V2 -> bucket("s3:ListBucket", Permission.READ);
                case LIST_OBJECT_VERSIONS -> bucket("s3:ListBucketVersions", Permission.READ);
                case LIST_MULTIPART_UPLOADS -> bucket("s3:ListBucketMultipartUploads", Permission.READ);
                case DELETE_BUCKET -> bucket("s3:DeleteBucket", null);
                case GET_BUCKET_LOCATION -> bucket("s3:GetBucketLocation", null);
                case GET_BUCKET_VERSIONING -> bucket("s3:GetBucketVersioning", null);
                case PUT_BUCKET_VERSIONING -> bucket("s3:PutBucketVersioning", null);
                case GET_BUCKET_TAGGING -> bucket("s3:GetBucketTagging", null);
                case PUT_BUCKET_TAGGING, DELETE_BUCKET_TAGGING -> bucket("s3:PutBucketTagging", null);
                case GET_BUCKET_LOGGING -> bucket("s3:GetBucketLogging", null);
                case PUT_BUCKET_LOGGING -> bucket("s3:PutBucketLogging", null);
                case GET_BUCKET_REQUEST_PAYMENT -> bucket("s3:GetBucketRequestPayment", null);
                case PUT_BUCKET_REQUEST_PAYMENT -> bucket("s3:PutBucketRequestPayment", null);
                case GET_BUCKET_ACCELERATE_CONFIGURATION -> bucket("s3:GetAccelerateConfiguration", null);
                case PUT_BUCKET_ACCELERATE_CONFIGURATION -> bucket("s3:PutAccelerateConfiguration", null);
                case GET_BUCKET_WEBSITE -> bucket("s3:GetBucketWebsite", null);
                case PUT_BUCKET_WEBSITE -> bucket("s3:PutBucketWebsite", null);
                case DELETE_BUCKET_WEBSITE -> bucket("s3:DeleteBucketWebsite", null);
                case GET_BUCKET_NOTIFICATION_CONFIGURATION -> bucket("s3:GetBucketNotification", null);
                case PUT_BUCKET_NOTIFICATION_CONFIGURATION -> bucket("s3:PutBucketNotification", null);
                case GET_BUCKET_REPLICATION -> bucket("s3:GetReplicationConfiguration", null);
                case PUT_BUCKET_REPLICATION, DELETE_BUCKET_REPLICATION -> bucket("s3:PutReplicationConfiguration", null);
                case GET_BUCKET_CORS -> bucket("s3:GetBucketCORS", null);
                case PUT_BUCKET_CORS, DELETE_BUCKET_CORS -> bucket("s3:PutBucketCORS", null);
                case GET_OBJECT_LOCK_CONFIGURATION -> bucket("s3:GetBucketObjectLockConfiguration", null);
                case PUT_OBJECT_LOCK_CONFIGURATION -> bucket("s3:PutBucketObjectLockConfiguration", null);
                case GET_BUCKET_ENCRYPTION -> bucket("s3:GetEncryptionConfiguration", null);
                case PUT_BUCKET_ENCRYPTION, DELETE_BUCKET_ENCRYPTION -> bucket("s3:PutEncryptionConfiguration", null);
                case GET_BUCKET_LIFECYCLE_CONFIGURATION -> bucket("s3:GetLifecycleConfiguration", null);
                case PUT_BUCKET_LIFECYCLE_CONFIGURATION, DELETE_BUCKET_LIFECYCLE -> bucket("s3:PutLifecycleConfiguration", null);
                case GET_BUCKET_ACL -> bucket("s3:GetBucketAcl", Permission.READ_ACP);
                case PUT_BUCKET_ACL -> bucket("s3:PutBucketAcl", Permission.WRITE_ACP);
                case GET_BUCKET_POLICY -> bucket("s3:GetBucketPolicy", null);
                case PUT_BUCKET_POLICY -> bucket("s3:PutBucketPolicy", null);
                case DELETE_BUCKET_POLICY -> bucket("s3:DeleteBucketPolicy", null);
                case GET_BUCKET_POLICY_STATUS -> bucket("s3:GetBucketPolicyStatus", null);
                case GET_PUBLIC_ACCESS_BLOCK -> bucket("s3:GetBucketPublicAccessBlock", null);
                case PUT_PUBLIC_ACCESS_BLOCK, DELETE_PUBLIC_ACCESS_BLOCK -> bucket("s3:PutBucketPublicAccessBlock", null);
                case GET_BUCKET_OWNERSHIP_CONTROLS -> bucket("s3:GetBucketOwnershipControls", null);
                case PUT_BUCKET_OWNERSHIP_CONTROLS, DELETE_BUCKET_OWNERSHIP_CONTROLS ->
                        bucket("s3:PutBucketOwnershipControls", null);
                case DELETE_OBJECTS -> new Rule("s3:DeleteObject", Permission.WRITE, false, false);
                case PUT_OBJECT, POST_OBJECT, COPY_OBJECT, CREATE_MULTIPART_UPLOAD, UPLOAD_PART, UPLOAD_PART_COPY,
                     COMPLETE_MULTIPART_UPLOAD -> bucketWrite("s3:PutObject");
                case ABORT_MULTIPART_UPLOAD -> bucketWrite("s3:AbortMultipartUpload");
                case LIST_PARTS -> new Rule("s3:ListMultipartUploadParts", Permission.READ, false, true);
                case DELETE_OBJECT -> bucketWrite(version ? "s3:DeleteObjectVersion" : "s3:DeleteObject");
                case GET_OBJECT, HEAD_OBJECT -> object(version ? "s3:GetObjectVersion" : "s3:GetObject", Permission.READ);
                case GET_OBJECT_ATTRIBUTES -> object(version ? "s3:GetObjectVersionAttributes" : "s3:GetObjectAttributes", null);
                case GET_OBJECT_ACL -> object(version ? "s3:GetObjectVersionAcl" : "s3:GetObjectAcl", Permission.READ_ACP);
                case PUT_OBJECT_ACL -> object(version ? "s3:PutObjectVersionAcl" : "s3:PutObjectAcl", Permission.WRITE_ACP);
                case GET_OBJECT_TAGGING -> object(version ? "s3:GetObjectVersionTagging" : "s3:GetObjectTagging", null);
                case PUT_OBJECT_TAGGING -> object(version ? "s3:PutObjectVersionTagging" : "s3:PutObjectTagging", null);
                case DELETE_OBJECT_TAGGING -> object(version ? "s3:DeleteObjectVersionTagging" : "s3:DeleteObjectTagging", null);
                case GET_OBJECT_RETENTION -> object("s3:GetObjectRetention", null);
                case PUT_OBJECT_RETENTION -> object("s3:PutObjectRetention", null);
                case GET_OBJECT_LEGAL_HOLD -> object("s3:GetObjectLegalHold", null);
                case PUT_OBJECT_LEGAL_HOLD -> object("s3:PutObjectLegalHold", null);
                case LIST_BUCKETS, CREATE_BUCKET, CORS_PREFLIGHT -> throw new IllegalArgumentException(operation.name());
            };
        }

        private static Rule bucket(String action, Permission permission) {
            return new Rule(action, permission, false, false);
        }

        private static Rule bucketWrite(String action) {
            return new Rule(action, Permission.WRITE, false, true);
        }

        private static Rule object(String action, Permission permission) {
            return new Rule(action, permission, true, true);
        }
    }
}
