package io.github.s3ite.server.access;

/**
 * What a bucket policy says about one request. A policy only ever adds to or takes from what the
 * owner and the ACLs allow: {@link #NONE} leaves the decision to them.
 */
public enum PolicyDecision {
    /** Some {@code Allow} statement applies and no {@code Deny} statement does. */
    ALLOW,
    /** A {@code Deny} statement applies; it wins over every {@code Allow}, as in IAM. */
    DENY,
    /** No statement applies to the request. */
    NONE
}
