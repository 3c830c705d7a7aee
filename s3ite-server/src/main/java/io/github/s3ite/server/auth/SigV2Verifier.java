package io.github.s3ite.server.auth;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Verifies AWS Signature Version 2: {@code Authorization: AWS AccessKeyId:Signature}, or a
 * presigned URL's {@code AWSAccessKeyId}, {@code Expires} and {@code Signature}. The signature is
 * the HMAC-SHA1 of {@link StringToSignV2}; it covers no payload, so the body is read as
 * x-amz-content-sha256 announces it (as for an anonymous request), Content-MD5 still checked by
 * the handler.
 */
final class SigV2Verifier {
    private static final String HEADER_PREFIX = "AWS ";
    private static final Duration MAX_SKEW = Duration.ofMinutes(15);

    private final Map<String, String> credentials;
    private final Clock clock;

    SigV2Verifier(Map<String, String> credentials, Clock clock) {
        this.credentials = Map.copyOf(credentials);
        this.clock = clock;
    }

    /**
     * Whether the request is signed with Signature Version 2: an {@code AWS} Authorization header,
     * or, without any Authorization header, a query with {@code AWSAccessKeyId} or {@code Signature}.
     */
    static boolean signs(SignedRequest request) {
        String authorization = request.header("authorization");
        if (authorization != null) {
            return authorization.startsWith(HEADER_PREFIX);
        }
        for (String[] parameter : StringToSignV2.parameters(request.rawQuery())) {
            if (parameter[0].equals("AWSAccessKeyId") || parameter[0].equals("Signature")) {
                return true;
            }
        }
        return false;
    }

    Authentication verify(SignedRequest request) {
        String authorization = request.header("authorization");
        return authorization != null ? verifyHeader(request, authorization) : verifyQuery(request);
    }

    private Authentication verifyHeader(SignedRequest request, String authorization) {
        String credential = authorization.substring(HEADER_PREFIX.length()).trim();
        int colon = credential.indexOf(':');
        if (colon <= 0 || colon == credential.length() - 1) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature")
                    .with("ArgumentName", "Authorization")
                    .with("ArgumentValue", authorization);
        }
        String accessKey = credential.substring(0, colon);
        String signature = credential.substring(colon + 1).trim();
        String secret = secretOf(accessKey);
        // x-amz-date, when present, is the request's time: it is signed among the x-amz-* headers
        // and the Date position stays empty
        String amzDate = request.header("x-amz-date");
        String date = request.header("date");
        String requestTime = amzDate != null ? amzDate.trim() : date == null ? null : date.trim();
        Instant signedAt = httpDate(requestTime);
        Instant now = clock.instant();
        if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
            throw new S3Exception(S3ErrorCode.REQUEST_TIME_TOO_SKEWED)
                    .with("RequestTime", requestTime)
                    .with("ServerTime", iso(now))
                    .with("MaxAllowedSkewMilliseconds", Long.toString(MAX_SKEW.toMillis()));
        }
        requireSignature(secret, request, amzDate != null ? "" : requestTime, Map.of(), accessKey, signature);
        return SigV4Verifier.payloadAsAnnounced(request, accessKey);
    }

    private Authentication verifyQuery(SignedRequest request) {
        String accessKey = null;
        String expires = null;
        String signature = null;
        Map<String, String> queryHeaders = new HashMap<>();
        for (String[] parameter : StringToSignV2.parameters(request.rawQuery())) {
            String name = parameter[0];
            String value = parameter[1] == null ? "" : parameter[1];
            switch (name) {
                case "AWSAccessKeyId" -> accessKey = accessKey == null ? value : accessKey;
                case "Expires" -> expires = expires == null ? value : expires;
                case "Signature" -> signature = signature == null ? value : signature;
                default -> {
                    // presigners (botocore's) carry the headers they signed as parameters of the URL
                    String lowerCase = name.toLowerCase(Locale.ROOT);
                    if (lowerCase.startsWith("x-amz-") || lowerCase.equals("content-type") || lowerCase.equals("content-md5")) {
                        queryHeaders.putIfAbsent(lowerCase, value);
                    }
                }
            }
        }
        if (accessKey == null || expires == null || signature == null) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED,
                    "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters");
        }
        String secret = secretOf(accessKey);
        long expiresAt;
        try {
            expiresAt = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Invalid date (should be seconds since epoch): " + expires);
        }
        Instant now = clock.instant();
        if (now.getEpochSecond() > expiresAt) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Request has expired")
                    .with("Expires", iso(Instant.ofEpochSecond(expiresAt)))
                    .with("ServerTime", iso(now));
        }
        requireSignature(secret, request, expires, queryHeaders, accessKey, signature);
        return SigV4Verifier.payloadAsAnnounced(request, accessKey);
    }

    /** A bucket alone addressed path-style may be signed with or without the slash after it (see {@link StringToSignV2}). */
    private static void requireSignature(String secret, SignedRequest request, String dateLine, Map<String, String> queryHeaders,
                                         String accessKey, String signature) {
        String stringToSign = StringToSignV2.of(request, dateLine, queryHeaders);
        if (!Hashing.sameBase64Signature(Hashing.hmacSha1Base64(secret, stringToSign), signature)
                && !(StringToSignV2.signsBucketSlash(request) && Hashing.sameBase64Signature(
                        Hashing.hmacSha1Base64(secret, StringToSignV2.asSent(request, dateLine, queryHeaders)), signature))) {
            // S3 answers a Signature Version 2 mismatch with what it signed, to debug a client by
            throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH)
                    .with("AWSAccessKeyId", accessKey)
                    .with("StringToSign", stringToSign)
                    .with("SignatureProvided", signature)
                    .with("StringToSignBytes", spacedHex(stringToSign.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private String secretOf(String accessKey) {
        String secret = credentials.get(accessKey);
        if (secret == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ACCESS_KEY_ID).with("AWSAccessKeyId", accessKey);
        }
        return secret;
    }

    /** A Date or x-amz-date header: RFC 1123 (with {@code GMT} or a numeric zone), as RFC 2616 asks. */
    private static Instant httpDate(String value) {
        if (value != null) {
            try {
                return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                // answered below, as a missing date is
            }
        }
        throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "AWS authentication requires a valid Date or x-amz-date header");
    }

    private static String iso(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Bytes as S3's StringToSignBytes shows them: two lower-case hex digits each, separated by spaces. */
    static String spacedHex(byte[] bytes) {
        StringBuilder hex = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            if (hex.length() > 0) {
                hex.append(' ');
            }
            hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return hex.toString();
    }
}
