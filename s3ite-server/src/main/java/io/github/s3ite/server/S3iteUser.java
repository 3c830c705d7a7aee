package io.github.s3ite.server;

import io.github.s3ite.server.access.Identity;

/**
 * A user of the server, as S3 names it: each is an account of its own.
 *
 * @param canonicalId S3's canonical user id, which ACL grants name (64 hex digits, the SHA-256 of
 *                    the access key)
 * @param displayName the name ACLs and listings show: the access key
 * @param email       the address {@code emailAddress} grants resolve: the access key, lower-case,
 *                    {@code @s3ite.local}
 * @param accountId   a 12-digit account id derived from the access key, which
 *                    {@code x-amz-expected-bucket-owner} and policy principals name
 * @param arn         the IAM user ARN bucket policies name it by:
 *                    {@code arn:aws:iam::<accountId>:user/<accessKey>}
 */
public record S3iteUser(String accessKey, String secretKey, String canonicalId, String displayName, String email,
                        String accountId, String arn) {

    S3iteUser(Identity identity) {
        this(identity.accessKey(), identity.secretKey(), identity.canonicalId(), identity.displayName(),
                identity.email(), identity.accountId(), identity.arn());
    }
}
