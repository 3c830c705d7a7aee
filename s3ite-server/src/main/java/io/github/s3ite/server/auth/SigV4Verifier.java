package io.github.s3ite.server.auth;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Verifies AWS Signature Version 4: in the {@code Authorization} header or in a presigned URL's
 * query, with the signed, unsigned or aws-chunked payload the request announces. With no
 * credentials configured every request is served anonymously, unverified; aws-chunked bodies are
 * still decoded.
 */
public final class SigV4Verifier {
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final long MAX_PRESIGN_SECONDS = 604_800;
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private final Map<String, String> credentials;
    private final Clock clock;
    /** Signing keys change once a day per scope: derive each once, not four HMACs per request. */
    private final Map<String, byte[]> signingKeys = new java.util.concurrent.ConcurrentHashMap<>();

    /** @param credentials access key to secret key; empty for anonymous access */
    public SigV4Verifier(Map<String, String> credentials, Clock clock) {
        this.credentials = Map.copyOf(credentials);
        this.clock = clock;
    }

    public Authentication verify(SignedRequest request) {
        String contentSha256 = request.header("x-amz-content-sha256");
        long decodedLength = decodedLength(request, contentSha256);
        if (credentials.isEmpty()) {
            return anonymous(request, contentSha256, decodedLength);
        }
        String authorization = request.header("authorization");
        if (authorization != null) {
            return verifyHeader(request, authorization, contentSha256, decodedLength);
        }
        if (request.rawQuery() != null && request.rawQuery().contains("X-Amz-Signature=")) {
            return verifyPresigned(request, decodedLength);
        }
        throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Anonymous access is not allowed: sign the request with AWS Signature Version 4.");
    }

    private static Authentication anonymous(SignedRequest request, String contentSha256, long decodedLength) {
        boolean chunked = isStreaming(contentSha256) || contentEncodingIsAwsChunked(request);
        return new Authentication(null, chunked ? Authentication.Payload.AWS_CHUNKED : Authentication.Payload.PLAIN,
                null, null, decodedLength);
    }

    private Authentication verifyHeader(SignedRequest request, String authorization, String contentSha256,
                                        long decodedLength) {
        if (!authorization.startsWith(ALGORITHM + " ")) {
            if (authorization.startsWith("AWS ")) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");
            }
            throw new S3Exception(S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED,
                    "The authorization header is malformed; the authorization header requires three components:"
                            + " Credential, SignedHeaders, and Signature.");
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        for (String part : authorization.substring(ALGORITHM.length() + 1).split(",")) {
            String item = part.trim();
            if (item.startsWith("Credential=")) {
                credential = item.substring("Credential=".length());
            } else if (item.startsWith("SignedHeaders=")) {
                signedHeaders = item.substring("SignedHeaders=".length());
            } else if (item.startsWith("Signature=")) {
                signature = item.substring("Signature=".length());
            }
        }
        if (credential == null || signedHeaders == null || signature == null) {
            throw new S3Exception(S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED,
                    "The authorization header is malformed; the authorization header requires three components:"
                            + " Credential, SignedHeaders, and Signature.");
        }
        Scope scope = Scope.parse(credential, S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
        String secret = secretOf(scope.accessKey());
        String amzDate = amzDate(request);
        Instant requestTime = parseAmzDate(amzDate, S3ErrorCode.ACCESS_DENIED);
        Instant now = clock.instant();
        if (Duration.between(requestTime, now).abs().compareTo(MAX_SKEW) > 0) {
            throw new S3Exception(S3ErrorCode.REQUEST_TIME_TOO_SKEWED)
                    .with("RequestTime", amzDate)
                    .with("ServerTime", AMZ_DATE.format(now.atOffset(ZoneOffset.UTC)))
                    .with("MaxAllowedSkewMilliseconds", Long.toString(MAX_SKEW.toMillis()));
        }
        List<String> headerNames = Arrays.asList(signedHeaders.toLowerCase(Locale.ROOT).split(";"));
        String payloadHash = contentSha256 != null ? contentSha256 : "UNSIGNED-PAYLOAD";
        byte[] signingKey = cachedSigningKey(secret, scope);
        String expected = sign(signingKey, amzDate, scope, CanonicalRequest.of(request, headerNames, payloadHash, false));
        if (!Hashing.sameSignature(expected, signature)) {
            throw signatureDoesNotMatch(scope.accessKey());
        }
        Authentication.Payload payload;
        if (isStreaming(contentSha256)) {
            payload = Authentication.Payload.AWS_CHUNKED;
        } else if (contentSha256 != null && contentSha256.matches("[0-9a-fA-F]{64}")) {
            payload = Authentication.Payload.SIGNED;
        } else {
            payload = Authentication.Payload.PLAIN;
        }
        boolean signedChunks = contentSha256 != null && contentSha256.startsWith("STREAMING-AWS4-HMAC-SHA256-");
        SigningContext signing = signedChunks ? new SigningContext(signingKey, amzDate, scope.text(), expected) : null;
        return new Authentication(scope.accessKey(), payload, contentSha256, signing, decodedLength);
    }

    private Authentication verifyPresigned(SignedRequest request, long decodedLength) {
        Map<String, String> query = presignQuery(request.rawQuery());
        String algorithm = query.get("X-Amz-Algorithm");
        String credential = query.get("X-Amz-Credential");
        String amzDate = query.get("X-Amz-Date");
        String expires = query.get("X-Amz-Expires");
        String signedHeaders = query.get("X-Amz-SignedHeaders");
        String signature = query.get("X-Amz-Signature");
        if (!ALGORITHM.equals(algorithm) || credential == null || amzDate == null || expires == null
                || signedHeaders == null || signature == null) {
            throw new S3Exception(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                    "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential,"
                            + " X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
        }
        Scope scope = Scope.parse(credential, S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        String secret = secretOf(scope.accessKey());
        Instant signedAt = parseAmzDate(amzDate, S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        long lifetime;
        try {
            lifetime = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            lifetime = -1;
        }
        if (lifetime < 1 || lifetime > MAX_PRESIGN_SECONDS) {
            throw new S3Exception(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                    "X-Amz-Expires must be between 1 and 604800 seconds.");
        }
        Instant now = clock.instant();
        if (now.isAfter(signedAt.plusSeconds(lifetime))) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Request has expired")
                    .with("X-Amz-Expires", expires)
                    .with("Expires", signedAt.plusSeconds(lifetime).toString())
                    .with("ServerTime", now.toString());
        }
        if (signedAt.isAfter(now.plus(MAX_SKEW))) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Request is not valid yet");
        }
        List<String> headerNames = Arrays.asList(signedHeaders.toLowerCase(Locale.ROOT).split(";"));
        String payloadHash = query.getOrDefault("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD");
        String expected = sign(cachedSigningKey(secret, scope), amzDate, scope,
                CanonicalRequest.of(request, headerNames, payloadHash, true));
        if (!Hashing.sameSignature(expected, signature)) {
            throw signatureDoesNotMatch(scope.accessKey());
        }
        return new Authentication(scope.accessKey(), Authentication.Payload.PLAIN, null, null, decodedLength);
    }

    private static Map<String, String> presignQuery(String rawQuery) {
        Map<String, String> query = new java.util.HashMap<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                query.putIfAbsent(CanonicalRequest.decode(pair.substring(0, eq)), CanonicalRequest.decode(pair.substring(eq + 1)));
            }
        }
        return query;
    }

    private String secretOf(String accessKey) {
        String secret = credentials.get(accessKey);
        if (secret == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ACCESS_KEY_ID).with("AWSAccessKeyId", accessKey);
        }
        return secret;
    }

    private static String amzDate(SignedRequest request) {
        String amzDate = request.header("x-amz-date");
        if (amzDate != null) {
            return amzDate.trim();
        }
        String date = request.header("date");
        if (date != null) {
            try {
                return AMZ_DATE.format(ZonedDateTime.parse(date.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .withZoneSameInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e) {
                throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "AWS authentication requires a valid Date or x-amz-date header");
            }
        }
        throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "AWS authentication requires a valid Date or x-amz-date header");
    }

    private static Instant parseAmzDate(String amzDate, S3ErrorCode error) {
        try {
            return LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new S3Exception(error, "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
        }
    }

    private byte[] cachedSigningKey(String secret, Scope scope) {
        if (signingKeys.size() > 1024) {
            signingKeys.clear();
        }
        return signingKeys.computeIfAbsent(scope.accessKey() + "/" + scope.text(), key -> signingKey(secret, scope));
    }

    static byte[] signingKey(String secret, Scope scope) {
        byte[] dateKey = Hashing.hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), scope.date());
        byte[] regionKey = Hashing.hmac(dateKey, scope.region());
        byte[] serviceKey = Hashing.hmac(regionKey, scope.service());
        return Hashing.hmac(serviceKey, "aws4_request");
    }

    static String sign(byte[] signingKey, String amzDate, Scope scope, String canonicalRequest) {
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope.text() + "\n" + Hashing.sha256Hex(canonicalRequest);
        return Hashing.hex(Hashing.hmac(signingKey, stringToSign));
    }

    private static S3Exception signatureDoesNotMatch(String accessKey) {
        return new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH).with("AWSAccessKeyId", accessKey);
    }

    private static boolean isStreaming(String contentSha256) {
        return contentSha256 != null && contentSha256.startsWith("STREAMING-");
    }

    private static boolean contentEncodingIsAwsChunked(SignedRequest request) {
        String encoding = request.header("content-encoding");
        return encoding != null && encoding.toLowerCase(Locale.ROOT).contains("aws-chunked");
    }

    private static long decodedLength(SignedRequest request, String contentSha256) {
        String value = isStreaming(contentSha256) || contentEncodingIsAwsChunked(request)
                ? request.header("x-amz-decoded-content-length") : request.header("content-length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Bad content length: " + value);
        }
    }

    /** The credential scope {@code AKID/yyyyMMdd/region/s3/aws4_request}. */
    record Scope(String accessKey, String date, String region, String service) {

        static Scope parse(String credential, S3ErrorCode error) {
            String[] parts = credential.split("/");
            if (parts.length != 5 || !parts[4].equals("aws4_request") || parts[0].isEmpty()) {
                throw new S3Exception(error, "Error parsing the Credential component: " + credential);
            }
            return new Scope(parts[0], parts[1], parts[2], parts[3]);
        }

        String text() {
            return date + "/" + region + "/" + service + "/aws4_request";
        }
    }
}
