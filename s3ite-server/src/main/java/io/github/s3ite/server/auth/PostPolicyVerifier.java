package io.github.s3ite.server.auth;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Verifies the POST policy of a browser form upload (POST Object), as S3 does: the signature over
 * the base64 policy (Signature Version 4: {@code x-amz-algorithm}, {@code x-amz-credential},
 * {@code x-amz-date}, {@code x-amz-signature}, hex HMAC-SHA256 with the SigV4 signing key; or
 * version 2: {@code AWSAccessKeyId} and {@code signature}, base64 HMAC-SHA1 with the secret key),
 * the policy's expiration, each of its conditions, and that every field of the form is named by a
 * condition. A form without a policy is anonymous. Without credentials configured, signatures are
 * not checked but a policy still is.
 */
final class PostPolicyVerifier {
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final List<String> V4_FIELDS = List.of("x-amz-signature", "x-amz-algorithm", "x-amz-credential",
            "x-amz-date");
    private static final List<String> V2_FIELDS = List.of("signature", "awsaccesskeyid");

    private final Map<String, String> credentials;
    private final String region;
    private final Clock clock;
    private final BiFunction<String, SigV4Verifier.Scope, byte[]> signingKeys;

    /** @param signingKeys the SigV4 signing key of a secret and a credential scope */
    PostPolicyVerifier(Map<String, String> credentials, String region, Clock clock,
                       BiFunction<String, SigV4Verifier.Scope, byte[]> signingKeys) {
        this.credentials = credentials;
        this.region = region;
        this.clock = clock;
        this.signingKeys = signingKeys;
    }

    /**
     * @param key    the object's key, {@code ${filename}} replaced: what {@code $key} conditions test
     * @param fields the fields before the file, lower-case names
     */
    PostAuthentication verify(String bucket, String key, Map<String, String> fields) {
        String policy = fields.get("policy");
        if (policy == null || policy.isEmpty()) {
            return new PostAuthentication(null, 0, Long.MAX_VALUE);
        }
        String accessKey = null;
        if (!credentials.isEmpty()) {
            if (complete(fields, V4_FIELDS)) {
                accessKey = verifyV4(fields, policy);
            } else if (complete(fields, V2_FIELDS)) {
                accessKey = verifyV2(fields, policy);
            } else {
                throw new S3Exception(S3ErrorCode.ACCESS_DENIED);
            }
        }
        PostPolicy parsed = PostPolicy.parse(policy);
        Map<String, String> values = new HashMap<>(fields);
        values.put("bucket", bucket);
        values.put("key", key);
        parsed.check(clock.instant(), values, fields.keySet());
        long[] range = parsed.lengthRange();
        return new PostAuthentication(accessKey, range[0], range[1]);
    }

    /**
     * Whether the form signs with these fields: none of them present is no; some but not all is
     * S3's InvalidArgument naming the first missing one.
     */
    private static boolean complete(Map<String, String> fields, List<String> names) {
        if (names.stream().noneMatch(fields::containsKey)) {
            return false;
        }
        for (String name : names) {
            if (!fields.containsKey(name)) {
                String shown = name.equals("awsaccesskeyid") ? "AWSAccessKeyId" : capitalized(name);
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Bucket POST must contain a field named '" + shown
                        + "'.  If it is specified, please check the order of the fields.")
                        .with("ArgumentName", shown).with("ArgumentValue", "");
            }
        }
        return true;
    }

    /** {@code x-amz-signature} as S3 names it in errors: {@code X-Amz-Signature}. */
    private static String capitalized(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            out.append(upper ? Character.toUpperCase(c) : c);
            upper = c == '-';
        }
        return out.toString();
    }

    private String verifyV4(Map<String, String> fields, String policy) {
        String algorithm = fields.get("x-amz-algorithm");
        if (!ALGORITHM.equals(algorithm)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "X-Amz-Algorithm only supports \"" + ALGORITHM + "\"")
                    .with("ArgumentName", "X-Amz-Algorithm").with("ArgumentValue", algorithm);
        }
        String credential = fields.get("x-amz-credential");
        SigV4Verifier.Scope scope;
        try {
            scope = SigV4Verifier.Scope.parse(credential, S3ErrorCode.INVALID_ARGUMENT);
        } catch (S3Exception e) {
            throw credentialError("Error parsing the X-Amz-Credential parameter", credential);
        }
        if (!scope.region().equals(region)) {
            throw credentialError("the region '" + scope.region() + "' is wrong; expecting '" + region + "'", credential)
                    .with("Region", region);
        }
        if (!scope.service().equals("s3")) {
            throw credentialError("incorrect service \"" + scope.service() + "\". This endpoint belongs to \"s3\".",
                    credential);
        }
        String secret = secretOf(scope.accessKey());
        String expected = Hashing.hex(Hashing.hmac(signingKeys.apply(secret, scope), policy));
        String given = fields.get("x-amz-signature");
        if (!Hashing.sameSignature(expected, given)) {
            throw signatureDoesNotMatch(scope.accessKey(), policy, given);
        }
        return scope.accessKey();
    }

    private String verifyV2(Map<String, String> fields, String policy) {
        String accessKey = fields.get("awsaccesskeyid");
        String secret = secretOf(accessKey);
        String given = fields.get("signature");
        if (!Hashing.sameBase64Signature(Hashing.hmacSha1Base64(secret, policy), given)) {
            throw signatureDoesNotMatch(accessKey, policy, given);
        }
        return accessKey;
    }

    private String secretOf(String accessKey) {
        String secret = credentials.get(accessKey);
        if (secret == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ACCESS_KEY_ID).with("AWSAccessKeyId", accessKey);
        }
        return secret;
    }

    private static S3Exception credentialError(String message, String credential) {
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT, message)
                .with("ArgumentName", "X-Amz-Credential").with("ArgumentValue", credential);
    }

    private static S3Exception signatureDoesNotMatch(String accessKey, String policy, String given) {
        return new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH)
                .with("AWSAccessKeyId", accessKey)
                .with("StringToSign", policy)
                .with("SignatureProvided", given);
    }
}
