package io.github.s3ite.server.access;

import java.util.Set;

/**
 * The principals a statement's {@code Principal} (or {@code NotPrincipal}) element names.
 *
 * @param everyone {@code "*"} or {@code {"AWS": "*"}}: anyone, the anonymous requester included
 * @param accounts 12-digit account IDs, written bare or as {@code arn:aws:iam::<id>:root}
 * @param arns other IAM and STS ARNs (users, roles, sessions), compared exactly
 * @param canonicalIds S3 canonical user IDs
 * @param services service principals such as {@code cloudfront.amazonaws.com}; no request here
 *     comes from one
 */
record PolicyPrincipals(boolean everyone, Set<String> accounts, Set<String> arns, Set<String> canonicalIds,
        Set<String> services) {

    PolicyPrincipals {
        accounts = Set.copyOf(accounts);
        arns = Set.copyOf(arns);
        canonicalIds = Set.copyOf(canonicalIds);
        services = Set.copyOf(services);
    }

    /** Whether the element names this requester. */
    boolean names(PolicyPrincipal principal) {
        if (everyone) {
            return true;
        }
        return principal.accountId() != null && accounts.contains(principal.accountId())
                || principal.userArn() != null && arns.contains(principal.userArn())
                || principal.canonicalId() != null && canonicalIds.contains(principal.canonicalId());
    }
}
