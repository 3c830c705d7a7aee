package io.github.s3ite.server.access;

/**
 * Decides one access the way S3 decides it for a request to a bucket: an explicit Deny in the
 * bucket policy wins; then an Allow of the policy (unless RestrictPublicBuckets holds back a public
 * policy from everyone outside the owner's account); then the resource's owner; then the ACL
 * (unless ACLs are disabled, or IgnorePublicAcls voids its public grants). Nothing else allows.
 */
public final class Authorizer {
    private Authorizer() {
    }

    public static boolean allowed(BucketAccess bucket, AccessRequest request) {
        Identity requester = request.requester();
        boolean bucketOwner = requester != null && requester.canonicalId().equals(bucket.owner().id());
        BucketPolicy policy = bucket.policy();
        if (policy != null) {
            PolicyDecision decision = policy.evaluate(new PolicyRequest(principal(requester), request.action(),
                    request.resourceArn(), request.conditions()));
            if (decision == PolicyDecision.DENY) {
                // as in S3, a bucket's owner can always read and remove a policy that shuts it out
                return bucketOwner && isPolicyManagement(request.action());
            }
            if (decision == PolicyDecision.ALLOW
                    && !(bucket.publicAccessBlock().restrictPublicBuckets() && policy.isPublic() && !bucketOwner)) {
                return true;
            }
        }
        boolean aclsEnabled = bucket.ownership().aclsEnabled();
        Grantee resourceOwner = aclsEnabled ? request.acl().owner() : bucket.owner();
        if (requester != null && requester.canonicalId().equals(resourceOwner.id())) {
            return true;
        }
        return aclsEnabled && request.aclPermission() != null
                && request.acl().permits(requester, request.aclPermission(), bucket.publicAccessBlock().ignorePublicAcls());
    }

    /** How a bucket policy's Principal element sees {@code requester}. */
    public static PolicyPrincipal principal(Identity requester) {
        return requester == null ? PolicyPrincipal.anonymous()
                : new PolicyPrincipal(requester.accountId(), requester.arn(), requester.canonicalId());
    }

    private static boolean isPolicyManagement(String action) {
        return action.equals("s3:GetBucketPolicy") || action.equals("s3:PutBucketPolicy")
                || action.equals("s3:DeleteBucketPolicy");
    }
}
