package io.github.s3ite.server.operations;

import io.github.s3ite.server.http.S3Request;
import io.github.s3ite.server.http.S3Response;
import io.github.s3ite.server.http.XmlWriter;
import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.storage.BucketFile;
import io.github.s3ite.server.storage.BucketInfo;
import io.github.s3ite.server.storage.BucketStore;
import io.github.s3ite.server.storage.Versioning;

/**
 * ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, GetBucketVersioning,
 * PutBucketVersioning.
 */
final class BucketOperations {
    private final BucketStore store;
    private final String region;
    private final Owner owner;

    BucketOperations(BucketStore store, String region, Owner owner) {
        this.store = store;
        this.region = region;
        this.owner = owner;
    }

    S3Response listBuckets() {
        XmlWriter xml = XmlWriter.document("ListAllMyBucketsResult");
        owner.write(xml, "Owner");
        xml.start("Buckets");
        for (BucketInfo bucket : store.listBuckets()) {
            xml.start("Bucket")
                    .element("Name", bucket.name())
                    .element("CreationDate", bucket.creationDate())
                    .element("BucketRegion", region)
                    .end();
        }
        xml.end();
        return S3Response.xml(xml);
    }

    /** The body may carry a CreateBucketConfiguration; a bucket lives in this server's one region whatever it says. */
    S3Response createBucket(S3Request request) {
        request.readSmallBody(64 * 1024);
        store.createBucket(request.bucket());
        if ("true".equalsIgnoreCase(request.header("x-amz-bucket-object-lock-enabled"))) {
            store.bucket(request.bucket()).enableObjectLock();
        }
        return S3Response.ok().header("Location", "/" + request.bucket());
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
        if (!"us-east-1".equals(region)) {
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
