package io.github.s3ite.server.access;

/**
 * A bucket's PublicAccessBlockConfiguration. Each switch has S3's effect: BlockPublicAcls refuses
 * requests that set a public ACL, IgnorePublicAcls makes public grants count for nothing,
 * BlockPublicPolicy refuses a public bucket policy, RestrictPublicBuckets lets a public policy
 * grant only to the bucket owner's own account.
 */
public record PublicAccessBlock(boolean blockPublicAcls, boolean ignorePublicAcls, boolean blockPublicPolicy,
                                boolean restrictPublicBuckets) {
    public static final PublicAccessBlock NONE = new PublicAccessBlock(false, false, false, false);
    /** What S3 gives every bucket it creates (since April 2023). */
    public static final PublicAccessBlock ALL = new PublicAccessBlock(true, true, true, true);
}
