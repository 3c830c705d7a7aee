package io.github.s3ite.server.operations;

import io.github.s3ite.server.http.S3Request;
import io.github.s3ite.server.http.S3Response;
import io.github.s3ite.server.http.XmlWriter;
import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.storage.BucketFile;
import io.github.s3ite.server.storage.BucketInfo;
import io.github.s3ite.server.storage.BucketNames;
import io.github.s3ite.server.storage.BucketStore;
import io.github.s3ite.server.storage.Versioning;
import io.github.s3ite.server.access.AccessControlList;
import io.github.s3ite.server.access.Grantee;
import io.github.s3ite.server.access.Identity;
import io.github.s3ite.server.access.ObjectOwnership;
import io.github.s3ite.server.access.PublicAccessBlock;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Base64;
import java.util.regex.Pattern;
import org.w3c.dom.Element;

/**
 * ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, GetBucketVersioning,
 * PutBucketVersioning.
 */
final class BucketOperations {
    private static final String US_EAST_1 = "us-east-1";
    private static final int MAX_BUCKETS_PAGE = 10_000;
    /** The form of an AWS region name: us-east-1, eu-central-2, us-gov-west-1, ap-southeast-5. */
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");

    private final BucketStore store;
    private final String region;
    private final Owner owner;
    private final AccessControls access;

    BucketOperations(BucketStore store, String region, Owner owner, AccessControls access) {
        this.store = store;
        this.region = region;
        this.owner = owner;
        this.access = access;
    }

    /**
     * Every bucket, or with {@code max-buckets}, {@code continuation-token}, {@code prefix} or
     * {@code bucket-region} a page of them (10,000 unless {@code max-buckets} says fewer), as S3 pages
     * them. The token carries the last name listed, so it survives a restart.
     */
    S3Response listBuckets(S3Request request) {
        String prefix = request.query("prefix");
        String token = request.query("continuation-token");
        String bucketRegion = request.query("bucket-region");
        String maxBuckets = request.query("max-buckets");
        boolean paged = maxBuckets != null || token != null || prefix != null || bucketRegion != null;
        int limit = paged ? maxBuckets(maxBuckets) : Integer.MAX_VALUE;
        String after = token == null || token.isEmpty() ? null : decodeToken(token);
        XmlWriter xml = XmlWriter.document("ListAllMyBucketsResult");
        Identity requester = access.requester(request.accessKey());
        Grantee listing = access.ownerFor(requester);
        new Owner(listing.id(), listing.displayName()).write(xml, "Owner");
        xml.start("Buckets");
        String next = null;
        String last = null;
        int listed = 0;
        if (bucketRegion == null || bucketRegion.equals(region)) {
            for (BucketInfo bucket : store.listBuckets()) {
                if ((prefix != null && !bucket.name().startsWith(prefix))
                        || (after != null && bucket.name().compareTo(after) <= 0)
                        || (requester != null && !ownedBy(bucket.name(), listing))) {
                    continue;
                }
                if (listed == limit) {
                    next = encodeToken(last);
                    break;
                }
                xml.start("Bucket")
                        .element("Name", bucket.name())
                        .element("CreationDate", bucket.creationDate())
                        .element("BucketRegion", region)
                        .end();
                last = bucket.name();
                listed++;
            }
        }
        xml.end();
        xml.element("ContinuationToken", next);
        xml.element("Prefix", prefix);
        return S3Response.xml(xml);
    }

    /** Whether a user's ListBuckets shows the bucket: S3 lists the buckets the requester owns. */
    private boolean ownedBy(String bucket, Grantee user) {
        try {
            return access.bucket(store.bucket(bucket)).owner().id().equals(user.id());
        } catch (S3Exception gone) {
            return false; // deleted while listed
        }
    }

    private static int maxBuckets(String value) {
        if (value == null) {
            return MAX_BUCKETS_PAGE;
        }
        try {
            int max = Integer.parseInt(value);
            if (max >= 1 && max <= MAX_BUCKETS_PAGE) {
                return max;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Argument max-buckets must be an integer between 1 and 10000.")
                .with("ArgumentName", "max-buckets")
                .with("ArgumentValue", value);
    }

    private static String encodeToken(String lastName) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastName.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        try {
            String name = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (BucketNames.isValid(name)) {
                return name;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The continuation token provided is incorrect")
                .with("ArgumentName", "continuation-token");
    }

    /**
     * The body may carry a CreateBucketConfiguration whose LocationConstraint must name this
     * server's region, as a regional S3 endpoint requires: none for us-east-1 (where naming it is
     * invalid, as S3 answers), the region otherwise. Re-creating a bucket you own is 200 in us-east-1
     * and 409 BucketAlreadyOwnedByYou elsewhere, as S3 answers.
     */
    S3Response createBucket(S3Request request) {
        byte[] body = request.readSmallBody(64 * 1024);
        checkLocationConstraint(body.length == 0 ? null : locationConstraint(body));
        Grantee creator = access.ownerFor(access.requester(request.accessKey()));
        Map<String, String> settings = newBucketSettings(request, creator);
        try {
            store.createBucket(request.bucket());
        } catch (S3Exception e) {
            if (e.error() == S3ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU) {
                if (!access.bucket(store.bucket(request.bucket())).owner().id().equals(creator.id())) {
                    throw new S3Exception(S3ErrorCode.BUCKET_ALREADY_EXISTS);
                }
                if (US_EAST_1.equals(region)) {
                    return S3Response.ok().header("Location", "/" + request.bucket());
                }
            }
            throw e;
        }
        BucketFile bucket = store.bucket(request.bucket());
        bucket.setConfigurations(settings);
        if ("true".equalsIgnoreCase(request.header("x-amz-bucket-object-lock-enabled"))) {
            bucket.enableObjectLock();
        }
        return S3Response.ok().header("Location", "/" + request.bucket());
    }

    /**
     * What S3 gives a bucket it creates: its creator as owner with the ACL the request asks for,
     * the object ownership it names (BucketOwnerEnforced when none) and every public access block
     * switch on, as S3 does since April 2023.
     *
     * @throws S3Exception InvalidBucketAclWithObjectOwnership for an ACL that grants others while
     *                     ACLs are disabled, InvalidArgument for an unknown ownership
     */
    private Map<String, String> newBucketSettings(S3Request request, Grantee creator) {
        String ownershipHeader = request.header("x-amz-object-ownership");
        ObjectOwnership ownership = ownershipHeader == null
                ? ObjectOwnership.BucketOwnerEnforced : ObjectOwnership.parse(ownershipHeader);
        if (ownership == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid x-amz-object-ownership header: " + ownershipHeader)
                    .with("ArgumentName", "x-amz-object-ownership").with("ArgumentValue", ownershipHeader);
        }
        AccessControlList acl = AclDocuments.fromHeaders(request, creator, creator,
                access.users().enforced() ? access.users() : null);
        if (acl == null) {
            acl = AccessControlList.privateTo(creator);
        }
        if (!ownership.aclsEnabled() && !acl.onlyOwner(creator)) {
            throw new S3Exception(S3ErrorCode.INVALID_BUCKET_ACL_WITH_OBJECT_OWNERSHIP);
        }
        if (acl.isPublic()) {
            // the public access block a new bucket gets blocks public ACLs from the start
            throw new S3Exception(S3ErrorCode.INVALID_BUCKET_ACL_WITH_BLOCK_PUBLIC_ACCESS);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(AccessControls.ACL, AclDocuments.write(acl));
        settings.put(AccessControls.OWNERSHIP_CONTROLS, AccessDocuments.write(ownership));
        settings.put(AccessControls.PUBLIC_ACCESS_BLOCK, AccessDocuments.write(PublicAccessBlock.ALL));
        return settings;
    }

    private static String locationConstraint(byte[] body) {
        Element configuration = ConfigurationDocuments.parse(body, "CreateBucketConfiguration");
        String constraint = ConfigurationDocuments.text(configuration, "LocationConstraint");
        return constraint == null || constraint.isEmpty() ? null : constraint;
    }

    private void checkLocationConstraint(String constraint) {
        if (constraint == null) {
            if (!US_EAST_1.equals(region)) {
                throw new S3Exception(S3ErrorCode.ILLEGAL_LOCATION_CONSTRAINT);
            }
            return;
        }
        String named = constraint.equals("EU") ? "eu-west-1" : constraint;
        if (!REGION.matcher(named).matches() || named.equals(US_EAST_1)) {
            throw new S3Exception(S3ErrorCode.INVALID_LOCATION_CONSTRAINT).with("LocationConstraint", constraint);
        }
        if (!named.equals(region)) {
            throw new S3Exception(S3ErrorCode.ILLEGAL_LOCATION_CONSTRAINT, "The " + constraint
                    + " location constraint is incompatible for the region specific endpoint this request was sent to.");
        }
    }

    S3Response headBucket(S3Request request) {
        store.bucket(request.bucket());
        return S3Response.ok()
                .header("x-amz-bucket-region", region)
                .header("x-amz-access-point-alias", "false");
    }

    S3Response deleteBucket(S3Request request) {
        store.deleteBucket(request.bucket());
        return S3Response.noContent();
    }

    /** S3 answers an empty LocationConstraint for us-east-1. */
    S3Response getBucketLocation(S3Request request) {
        store.bucket(request.bucket());
        XmlWriter xml = XmlWriter.document("LocationConstraint");
        if (!US_EAST_1.equals(region)) {
            xml.text(region);
        }
        return S3Response.xml(xml);
    }

    /** An empty VersioningConfiguration for a bucket never versioned, as S3 answers. */
    S3Response getBucketVersioning(S3Request request) {
        Versioning versioning = store.bucket(request.bucket()).versioning();
        return S3Response.xml(XmlWriter.document("VersioningConfiguration")
                .element("Status", versioning.status().s3Name())
                .element("MfaDelete", versioning.mfaDelete()));
    }

    /**
     * {@code Enabled} or {@code Suspended}; a bucket never goes back to unversioned. MFA delete
     * needs an MFA device, which this server has none of: {@code Enabled} is refused as S3 refuses
     * it without {@code x-amz-mfa}.
     */
    S3Response putBucketVersioning(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        RequestDocuments.VersioningConfiguration document = RequestDocuments.parse(request.readSmallBody(64 * 1024),
                RequestDocuments.VersioningConfiguration.class);
        Versioning.Status status;
        if ("Enabled".equals(document.status)) {
            status = Versioning.Status.ENABLED;
        } else if ("Suspended".equals(document.status)) {
            status = Versioning.Status.SUSPENDED;
        } else {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        String mfaDelete = document.mfaDelete;
        if (mfaDelete != null && !mfaDelete.equals("Enabled") && !mfaDelete.equals("Disabled")) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        if ("Enabled".equals(mfaDelete) || request.header("x-amz-mfa") != null) {
            if (request.header("x-amz-mfa") == null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "MFA Authentication must be used for this request");
            }
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "MFA delete is not implemented by s3ite.");
        }
        String kept = mfaDelete != null ? mfaDelete : bucket.versioning().mfaDelete();
        bucket.setVersioning(new Versioning(status, kept));
        return S3Response.ok();
    }
}
