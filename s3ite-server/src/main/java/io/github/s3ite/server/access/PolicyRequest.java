package io.github.s3ite.server.access;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One request as a bucket policy judges it.
 *
 * <p>{@code conditionKeys} holds the request context: condition key names as IAM writes them
 * ({@code aws:SecureTransport}, {@code aws:SourceIp}, {@code aws:CurrentTime},
 * {@code aws:EpochTime}, {@code aws:username}, {@code aws:userid}, {@code aws:PrincipalAccount},
 * {@code aws:Referer}, {@code aws:UserAgent}, {@code s3:prefix}, {@code s3:delimiter},
 * {@code s3:max-keys}, {@code s3:x-amz-acl}, {@code s3:VersionId},
 * {@code s3:x-amz-server-side-encryption}, {@code s3:ExistingObjectTag/<key>}, ...), each to its
 * values. A key the request does not have is left out of the map. Names are compared without regard
 * to case, except for what follows a {@code /} (a tag key), which is compared exactly. IAM gives an
 * anonymous requester {@code aws:userid} {@code anonymous} and no {@code aws:username}.
 *
 * @param principal who asks
 * @param action the IAM action, such as {@code s3:GetObject}
 * @param resourceArn the bucket's ARN ({@code arn:aws:s3:::bucket}) or an object's
 *     ({@code arn:aws:s3:::bucket/key})
 * @param conditionKeys the request context, copied; never null
 */
public record PolicyRequest(PolicyPrincipal principal, String action, String resourceArn,
        Map<String, List<String>> conditionKeys) {

    public PolicyRequest {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resourceArn, "resourceArn");
        Map<String, List<String>> copy = new LinkedHashMap<>();
        if (conditionKeys != null) {
            conditionKeys.forEach((key, values) -> copy.put(key, List.copyOf(values)));
        }
        conditionKeys = Collections.unmodifiableMap(copy);
    }

    /** A request with no condition keys. */
    public PolicyRequest(PolicyPrincipal principal, String action, String resourceArn) {
        this(principal, action, resourceArn, Map.of());
    }
}
