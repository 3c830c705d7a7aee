package io.github.s3ite.server.access;

import io.github.s3ite.server.error.S3Exception;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A bucket policy, parsed and checked as S3's PutBucketPolicy checks it; immutable and safe to share
 * between threads.
 *
 * <p>It holds IAM's policy language as S3 takes it: statements of {@code Effect}, {@code Principal}
 * or {@code NotPrincipal}, {@code Action} or {@code NotAction}, {@code Resource} or
 * {@code NotResource}, and {@code Condition}, with IAM's wildcards, condition operators and, under
 * Version {@code 2012-10-17}, policy variables. {@link #evaluate} answers what the policy says about
 * one request; {@link #isPublic} whether S3 would call the policy public.
 */
public final class BucketPolicy {
    private final List<PolicyStatement> statements;
    private final boolean isPublic;

    private BucketPolicy(List<PolicyStatement> statements) {
        this.statements = List.copyOf(statements);
        this.isPublic = statements.stream().anyMatch(PolicyStatement::grantsPublicAccess);
    }

    /**
     * Parses a policy for {@code bucket} as S3's PutBucketPolicy does, taking every principal as
     * existing.
     *
     * @throws S3Exception {@code MalformedPolicy} with S3's message for the first fault found: not
     *     JSON, more than 20 KB once normalized, an unknown field, a bad version, a missing or
     *     malformed element, an action S3 does not have, a resource outside this bucket, actions that
     *     apply to none of a statement's resources, an unknown condition operator or key, an invalid
     *     IP address in a condition
     */
    public static BucketPolicy parse(String json, String bucket) {
        return parse(json, bucket, principal -> true);
    }

    /**
     * Parses a policy as {@link #parse(String, String)} does, and also refuses it, with
     * {@code "Invalid principal in policy"} as S3 does, when it names an AWS principal that
     * {@code principalExists} does not know.
     *
     * @param principalExists is given each AWS principal as the policy writes it (a 12-digit account
     *     ID, {@code arn:aws:iam::<account>:root}, or a user's or role's ARN), never {@code "*"}
     */
    public static BucketPolicy parse(String json, String bucket, Predicate<String> principalExists) {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(principalExists, "principalExists");
        return new BucketPolicy(PolicyParser.parse(json, bucket, principalExists));
    }

    /**
     * What the policy says about a request: {@link PolicyDecision#DENY} if a {@code Deny} statement
     * applies, else {@link PolicyDecision#ALLOW} if an {@code Allow} statement does, else
     * {@link PolicyDecision#NONE}.
     */
    public PolicyDecision evaluate(PolicyRequest request) {
        PolicyContext context = new PolicyContext(request);
        boolean allowed = false;
        for (PolicyStatement statement : statements) {
            if (statement.appliesTo(request, context)) {
                if (!statement.allow()) {
                    return PolicyDecision.DENY;
                }
                allowed = true;
            }
        }
        return allowed ? PolicyDecision.ALLOW : PolicyDecision.NONE;
    }

    /**
     * Whether S3 would call this policy public ("The meaning of 'public'" in the S3 user guide), as
     * GetBucketPolicyStatus reports it and BlockPublicPolicy and RestrictPublicBuckets judge it: some
     * {@code Allow} statement grants to {@code "*"} without a condition that confines it to fixed
     * values (no wildcard, no policy variable) of {@code aws:SourceIp} (a range no broader than
     * {@code /8}, or {@code /32} for IPv6), {@code aws:SourceArn}, {@code aws:SourceVpc},
     * {@code aws:SourceVpce}, {@code aws:SourceOwner}, {@code aws:SourceAccount},
     * {@code aws:PrincipalOrgID}, {@code aws:PrincipalAccount}, {@code aws:PrincipalArn},
     * {@code aws:userid}, {@code s3:x-amz-server-side-encryption-aws-kms-key-id},
     * {@code s3:DataAccessPointArn} or {@code s3:DataAccessPointAccount}.
     */
    public boolean isPublic() {
        return isPublic;
    }
}
