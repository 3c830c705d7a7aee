package io.github.s3ite.server.operations;

import io.github.s3ite.server.access.AccessControlList;
import io.github.s3ite.server.access.BucketAccess;
import io.github.s3ite.server.access.BucketPolicy;
import io.github.s3ite.server.access.Grantee;
import io.github.s3ite.server.access.Identity;
import io.github.s3ite.server.access.ObjectOwnership;
import io.github.s3ite.server.access.PublicAccessBlock;
import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.http.S3Request;
import io.github.s3ite.server.http.S3Response;
import io.github.s3ite.server.http.XmlWriter;
import io.github.s3ite.server.storage.BucketFile;
import io.github.s3ite.server.storage.BucketStore;
import java.nio.charset.StandardCharsets;

/**
 * Get/PutBucketAcl, Get/PutObjectAcl, the bucket policy (Put/Get/Delete and its status), the public
 * access block and the ownership controls. Each is kept in the bucket file as S3 answers it.
 */
final class AccessOperations {
    private static final int MAX_POLICY_READ = 1024 * 1024;
    private static final int MAX_ACL_BYTES = 64 * 1024;

    private final BucketStore store;
    private final AccessControls access;

    AccessOperations(BucketStore store, AccessControls access) {
        this.store = store;
        this.access = access;
    }

    /** Whether a DeleteObjects may delete one of its keys: judged key by key, as S3 does. */
    boolean mayDelete(S3Request request, String key, String versionId) {
        return access.mayDelete(request.accessCheck(), key, versionId);
    }

    S3Response getBucketAcl(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        return ConfigurationDocuments.answer(AclDocuments.write(access.bucket(bucket).acl()));
    }

    S3Response putBucketAcl(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        BucketAccess settings = access.bucket(bucket);
        AccessControlList acl = requestedAcl(request, settings.owner(), settings.owner());
        checkSettable(acl, settings);
        bucket.setConfiguration(AccessControls.ACL, AclDocuments.write(acl));
        return S3Response.ok();
    }

    S3Response getObjectAcl(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        BucketAccess settings = access.bucket(bucket);
        String versionId = request.query("versionId");
        AccessControlList acl = access.objectAcl(bucket, settings, request.key(), versionId);
        if (!settings.ownership().aclsEnabled()) {
            acl = AccessControlList.privateTo(settings.owner());
        }
        S3Response response = ConfigurationDocuments.answer(AclDocuments.write(acl));
        if (versionId != null) {
            response.header("x-amz-version-id", versionId);
        }
        return response;
    }

    S3Response putObjectAcl(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        BucketAccess settings = access.bucket(bucket);
        String versionId = request.query("versionId");
        AccessControlList current = access.objectAcl(bucket, settings, request.key(), versionId);
        AccessControlList acl = requestedAcl(request, current.owner(), settings.owner());
        checkSettable(acl, settings);
        bucket.putObjectAcl(request.key(), versionId, AclDocuments.write(acl));
        S3Response response = S3Response.ok();
        if (versionId != null) {
            response.header("x-amz-version-id", versionId);
        }
        return response;
    }

    /** The ACL a PutBucketAcl or PutObjectAcl sends: in its body, or in its headers, never both. */
    private AccessControlList requestedAcl(S3Request request, Grantee owner, Grantee bucketOwner) {
        byte[] body = request.readSmallBody(MAX_ACL_BYTES);
        AccessControlList fromHeaders = AclDocuments.fromHeaders(request, owner, bucketOwner, access.users());
        if (body.length > 0 && fromHeaders != null) {
            throw new S3Exception(S3ErrorCode.UNEXPECTED_CONTENT,
                    "This request does not support content");
        }
        if (fromHeaders != null) {
            return fromHeaders;
        }
        if (body.length == 0) {
            throw new S3Exception(S3ErrorCode.MISSING_SECURITY_HEADER)
                    .with("MissingHeaderName", "x-amz-acl");
        }
        return AclDocuments.parse(body, owner, access.users().enforced() ? access.users() : null);
    }

    /**
     * BucketOwnerEnforced accepts only ACLs that give the bucket owner alone access; BlockPublicAcls
     * refuses public ones.
     */
    static void checkSettable(AccessControlList acl, BucketAccess settings) {
        if (!settings.ownership().aclsEnabled() && !acl.onlyOwner(settings.owner())) {
            throw new S3Exception(S3ErrorCode.ACCESS_CONTROL_LIST_NOT_SUPPORTED);
        }
        if (settings.publicAccessBlock().blockPublicAcls() && acl.isPublic()) {
            throw AccessControls.accessDenied();
        }
    }

    S3Response getBucketPolicy(S3Request request) {
        String policy = store.bucket(request.bucket()).configuration(AccessControls.POLICY);
        if (policy == null) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_BUCKET_POLICY).with("BucketName", request.bucket());
        }
        return S3Response.ok().header("Content-Type", "application/json")
                .body(policy.getBytes(StandardCharsets.UTF_8));
    }

    S3Response putBucketPolicy(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        // the 20 KB limit counts the document without its whitespace: the parser checks it
        String document = new String(request.readSmallBody(MAX_POLICY_READ), StandardCharsets.UTF_8);
        BucketPolicy policy = BucketPolicy.parse(document, request.bucket(), access::principalExists);
        if (access.bucket(bucket).publicAccessBlock().blockPublicPolicy() && policy.isPublic()) {
            throw AccessControls.accessDenied();
        }
        bucket.setConfiguration(AccessControls.POLICY, document);
        return S3Response.noContent();
    }

    S3Response deleteBucketPolicy(S3Request request) {
        store.bucket(request.bucket()).deleteConfiguration(AccessControls.POLICY);
        return S3Response.noContent();
    }

    S3Response getBucketPolicyStatus(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        BucketPolicy policy = access.bucket(bucket).policy();
        if (policy == null) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_BUCKET_POLICY).with("BucketName", request.bucket());
        }
        return S3Response.xml(XmlWriter.document("PolicyStatus").element("IsPublic", policy.isPublic()));
    }

    S3Response getPublicAccessBlock(S3Request request) {
        String document = store.bucket(request.bucket()).configuration(AccessControls.PUBLIC_ACCESS_BLOCK);
        if (document == null) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_PUBLIC_ACCESS_BLOCK_CONFIGURATION).with("BucketName", request.bucket());
        }
        return ConfigurationDocuments.answer(document);
    }

    S3Response putPublicAccessBlock(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        PublicAccessBlock block = AccessDocuments.parsePublicAccessBlock(request.readSmallBody(64 * 1024));
        bucket.setConfiguration(AccessControls.PUBLIC_ACCESS_BLOCK, AccessDocuments.write(block));
        return S3Response.ok();
    }

    S3Response deletePublicAccessBlock(S3Request request) {
        store.bucket(request.bucket()).deleteConfiguration(AccessControls.PUBLIC_ACCESS_BLOCK);
        return S3Response.noContent();
    }

    S3Response getBucketOwnershipControls(S3Request request) {
        String document = store.bucket(request.bucket()).configuration(AccessControls.OWNERSHIP_CONTROLS);
        if (document == null) {
            throw new S3Exception(S3ErrorCode.OWNERSHIP_CONTROLS_NOT_FOUND_ERROR).with("BucketName", request.bucket());
        }
        return ConfigurationDocuments.answer(document);
    }

    /** BucketOwnerEnforced is refused while the bucket's ACL grants anyone but its owner. */
    S3Response putBucketOwnershipControls(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        ObjectOwnership ownership = AccessDocuments.parseOwnership(request.readSmallBody(64 * 1024));
        BucketAccess settings = access.bucket(bucket);
        if (!ownership.aclsEnabled() && !settings.acl().onlyOwner(settings.owner())) {
            throw new S3Exception(S3ErrorCode.INVALID_BUCKET_ACL_WITH_OBJECT_OWNERSHIP);
        }
        bucket.setConfiguration(AccessControls.OWNERSHIP_CONTROLS, AccessDocuments.write(ownership));
        return S3Response.ok();
    }

    S3Response deleteBucketOwnershipControls(S3Request request) {
        store.bucket(request.bucket()).deleteConfiguration(AccessControls.OWNERSHIP_CONTROLS);
        return S3Response.noContent();
    }

    /**
     * The ACL and owner a new object gets from its write: the writer owns it, unless the bucket
     * enforces its own ownership, or prefers it and the write grants it full control. Null when that
     * is the bucket owner's private ACL, which needs no row.
     *
     * @throws S3Exception AccessControlListNotSupported, AccessDenied (BlockPublicAcls), InvalidArgument
     */
    String newObjectAcl(S3Request request, BucketFile bucket) {
        BucketAccess settings = access.bucket(bucket);
        Identity requester = access.requester(request.accessKey());
        Grantee writer = access.users().enforced() ? access.ownerFor(requester) : settings.owner();
        Grantee owner = switch (settings.ownership()) {
            case BucketOwnerEnforced -> settings.owner();
            case BucketOwnerPreferred -> "bucket-owner-full-control".equals(request.header("x-amz-acl"))
                    ? settings.owner() : writer;
            case ObjectWriter -> writer;
        };
        AccessControlList acl = AclDocuments.fromHeaders(request, owner, settings.owner(),
                access.users().enforced() ? access.users() : null);
        if (acl != null) {
            checkSettable(acl, settings);
        }
        if (!settings.ownership().aclsEnabled()) {
            return null;
        }
        if (acl == null) {
            acl = AccessControlList.privateTo(owner);
        }
        boolean ownersDefault = owner.id().equals(settings.owner().id())
                && acl.equals(AccessControlList.privateTo(settings.owner()));
        return ownersDefault ? null : AclDocuments.write(acl);
    }
}
