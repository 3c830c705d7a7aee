package io.github.s3ite.server.access;

/**
 * Who makes a request, as a bucket policy's {@code Principal} element sees it. Each part is null
 * when the requester has none; the anonymous requester has none at all.
 *
 * <p>A statement names this principal when its {@code Principal} is {@code "*"} or
 * {@code {"AWS": "*"}} (anyone, the anonymous requester included), an account ID or
 * {@code arn:aws:iam::<account>:root} equal to {@link #accountId()}, an ARN equal to
 * {@link #userArn()}, or a {@code {"CanonicalUser": id}} equal to {@link #canonicalId()}.
 *
 * @param accountId the requester's 12-digit AWS account ID
 * @param userArn the requester's ARN, such as {@code arn:aws:iam::111122223333:user/alice}
 * @param canonicalId the requester's canonical user ID, as S3's ACLs name it
 */
public record PolicyPrincipal(String accountId, String userArn, String canonicalId) {
    private static final PolicyPrincipal ANONYMOUS = new PolicyPrincipal(null, null, null);

    /** The requester of an unsigned request. */
    public static PolicyPrincipal anonymous() {
        return ANONYMOUS;
    }

    public boolean isAnonymous() {
        return accountId == null && userArn == null && canonicalId == null;
    }
}
