package io.github.s3ite.server.operations;

import io.github.s3ite.server.http.S3Request;
import io.github.s3ite.server.http.S3Response;
import io.github.s3ite.server.http.XmlWriter;
import io.github.s3ite.server.storage.BucketInfo;
import io.github.s3ite.server.storage.BucketStore;

/** ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, GetBucketVersioning. */
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

    /** Buckets are never versioned: an empty VersioningConfiguration, as for a bucket never versioned in S3. */
    S3Response getBucketVersioning(S3Request request) {
        store.bucket(request.bucket());
        return S3Response.xml(XmlWriter.document("VersioningConfiguration"));
    }
}
