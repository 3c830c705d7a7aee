package io.github.s3ite.server.access;

import java.util.List;
import java.util.Map;

/**
 * One access to decide.
 *
 * @param requester     who asks; null for an anonymous request
 * @param action        the IAM action, e.g. {@code s3:GetObject}
 * @param resourceArn   the bucket's or the object's ARN
 * @param acl           the ACL that governs the access: the object's for what is done to an object
 *                      that exists, else the bucket's. Its owner is the resource's owner
 * @param aclPermission the ACL permission that grants the access, or null when no ACL grant can
 *                      (bucket configuration is its owner's alone, or a policy's to give)
 * @param conditions    the values of the policy condition keys this request has
 */
public record AccessRequest(Identity requester, String action, String resourceArn, AccessControlList acl,
                            Permission aclPermission, Map<String, List<String>> conditions) {
}
