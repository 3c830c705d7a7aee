package io.github.s3ite.server.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A user of the server: the keys it signs with and how S3 names it. Each user is an account of its
 * own, so that grants and policies between users behave as they do between AWS accounts.
 *
 * @param canonicalId S3's 64-hex canonical user id (SHA-256 of the access key)
 * @param accountId   a 12-digit account id, derived from the access key
 */
public record Identity(String accessKey, String secretKey, String canonicalId, String displayName, String email,
                       String accountId) {

    public static Identity of(String accessKey, String secretKey) {
        byte[] hash = sha256(accessKey);
        long digits = 0;
        for (int i = 0; i < 8; i++) {
            digits = (digits << 8) | (hash[i] & 0xff);
        }
        String account = String.format("%012d", Math.floorMod(digits, 1_000_000_000_000L));
        return new Identity(accessKey, secretKey, HexFormat.of().formatHex(hash), accessKey,
                accessKey.toLowerCase(java.util.Locale.ROOT) + "@s3ite.local", account);
    }

    /** The IAM user ARN bucket policies name this user by. */
    public String arn() {
        return "arn:aws:iam::" + accountId + ":user/" + displayName;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
