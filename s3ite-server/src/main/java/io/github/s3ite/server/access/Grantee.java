package io.github.s3ite.server.access;

/**
 * Who a grant is to: a canonical user (an email grant is resolved to one when it is set, as S3
 * does) or one of S3's groups.
 *
 * @param id          the canonical id, for a user
 * @param displayName the user's display name, if known
 * @param uri         the group's URI, for a group
 */
public record Grantee(String id, String displayName, String uri) {
    public static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
    public static final String AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
    public static final String LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery";

    public static Grantee user(String id, String displayName) {
        return new Grantee(id, displayName, null);
    }

    public static Grantee group(String uri) {
        return new Grantee(null, null, uri);
    }

    public boolean isGroup() {
        return uri != null;
    }

    /** Whether the grantee is everyone, or everyone with a signature: what S3 calls public. */
    public boolean isPublic() {
        return ALL_USERS.equals(uri) || AUTHENTICATED_USERS.equals(uri);
    }

    /** Whether a grant to this grantee applies to {@code requester} (null: anonymous). */
    boolean includes(Identity requester) {
        if (uri != null) {
            return ALL_USERS.equals(uri) || (AUTHENTICATED_USERS.equals(uri) && requester != null);
        }
        return requester != null && requester.canonicalId().equals(id);
    }
}
