package io.github.s3ite.server.access;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.util.ArrayList;
import java.util.List;

/**
 * An ACL as S3 keeps it: an owner and its grants. Canned ACLs expand here to the grants S3 gives
 * them.
 */
public record AccessControlList(Grantee owner, List<Grant> grants) {

    public AccessControlList {
        grants = List.copyOf(grants);
    }

    /** The ACL of a resource nobody set one for: its owner has full control. */
    public static AccessControlList privateTo(Grantee owner) {
        return new AccessControlList(owner, List.of(new Grant(owner, Permission.FULL_CONTROL)));
    }

    /**
     * The grants of S3's canned ACL {@code name}.
     *
     * @param owner       who will own the resource
     * @param bucketOwner the bucket's owner (for the {@code bucket-owner-*} ACLs of objects)
     * @throws S3Exception InvalidArgument for a name S3 does not know
     */
    public static AccessControlList canned(String name, Grantee owner, Grantee bucketOwner) {
        List<Grant> grants = new ArrayList<>();
        grants.add(new Grant(owner, Permission.FULL_CONTROL));
        switch (name) {
            case "private" -> { }
            case "public-read" -> grants.add(new Grant(Grantee.group(Grantee.ALL_USERS), Permission.READ));
            case "public-read-write" -> {
                grants.add(new Grant(Grantee.group(Grantee.ALL_USERS), Permission.READ));
                grants.add(new Grant(Grantee.group(Grantee.ALL_USERS), Permission.WRITE));
            }
            case "authenticated-read" -> grants.add(new Grant(Grantee.group(Grantee.AUTHENTICATED_USERS), Permission.READ));
            case "aws-exec-read" -> { }
            case "bucket-owner-read" -> {
                if (!bucketOwner.id().equals(owner.id())) {
                    grants.add(new Grant(bucketOwner, Permission.READ));
                }
            }
            case "bucket-owner-full-control" -> {
                if (!bucketOwner.id().equals(owner.id())) {
                    grants.add(new Grant(bucketOwner, Permission.FULL_CONTROL));
                }
            }
            case "log-delivery-write" -> {
                grants.add(new Grant(Grantee.group(Grantee.LOG_DELIVERY), Permission.WRITE));
                grants.add(new Grant(Grantee.group(Grantee.LOG_DELIVERY), Permission.READ_ACP));
            }
            default -> throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT).with("ArgumentName", "x-amz-acl")
                    .with("ArgumentValue", name);
        }
        return new AccessControlList(owner, grants);
    }

    /** Whether any grant is to everyone or to every signed-in user. */
    public boolean isPublic() {
        return grants.stream().anyMatch(grant -> grant.grantee().isPublic());
    }

    /** Whether the ACL gives no one but its owner anything: what BucketOwnerEnforced still accepts. */
    public boolean onlyOwner(Grantee bucketOwner) {
        return grants.stream().allMatch(grant -> !grant.grantee().isGroup()
                && (grant.grantee().id().equals(owner.id()) || grant.grantee().id().equals(bucketOwner.id())));
    }

    /**
     * Whether a grant gives {@code requester} (null: anonymous) the permission {@code needed}.
     *
     * @param ignorePublic grants to AllUsers and AuthenticatedUsers count for nothing (IgnorePublicAcls)
     */
    public boolean permits(Identity requester, Permission needed, boolean ignorePublic) {
        for (Grant grant : grants) {
            if (ignorePublic && grant.grantee().isPublic()) {
                continue;
            }
            if (grant.permission().covers(needed) && grant.grantee().includes(requester)) {
                return true;
            }
        }
        return false;
    }
}
