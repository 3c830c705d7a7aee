package io.github.s3ite.server.access;

/**
 * Everything about a bucket that decides who may do what in it.
 *
 * @param owner             the bucket's owner
 * @param acl               the bucket's ACL
 * @param policy            its bucket policy, or null
 * @param publicAccessBlock its public access block (NONE when it has none)
 * @param ownership         its object ownership (ObjectWriter when it has no ownership controls)
 */
public record BucketAccess(Grantee owner, AccessControlList acl, BucketPolicy policy,
                           PublicAccessBlock publicAccessBlock, ObjectOwnership ownership) {
}
