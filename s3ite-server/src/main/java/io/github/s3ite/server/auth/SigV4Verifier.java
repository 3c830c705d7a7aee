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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Verifies AWS Signature Version 4: in the {@code Authorization} header or in a presigned URL's
 * query, with the signed, unsigned or aws-chunked payload the request announces. A signature
 * must cover every {@code x-amz-*} header the request carries, and its credential scope must name
 * the request's own day, the service {@code s3} and this server's region. An unsigned request is
 * anonymous: authorization decides what it may do. With no credentials configured every request
 * is served anonymously, unverified; its x-amz-content-sha256 is still
 * checked and still decides how the body is read (aws-chunked decoded, a SHA-256 verified).
 * Browser form uploads carry their signature in the form instead: {@link #verifyPost}.
 */
final class SigV4Verifier {
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final long MAX_PRESIGN_SECONDS = 604_800;
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final String STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
    private static final String STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    private static final String STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    /** Signature Version 4A (ECDSA) chunk signatures, which S3 defines and s3ite does not verify. */
    private static final Set<String> STREAMING_ECDSA = Set.of(
            "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD", "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER");

    private final Map<String, String> credentials;
    private final String region;
    private final Clock clock;
    /** Signing keys change once a day per scope: derive each once, not four HMACs per request. */
    private final Map<String, byte[]> signingKeys = new java.util.concurrent.ConcurrentHashMap<>();
    private final PostPolicyVerifier postPolicies;

    /**
     * @param credentials access key to secret key; empty for anonymous access
     * @param region      the region a credential scope must name, as S3 requires of its own region
     */
    SigV4Verifier(Map<String, String> credentials, String region, Clock clock) {
        this.credentials = Map.copyOf(credentials);
        this.region = region;
        this.clock = clock;
        this.postPolicies = new PostPolicyVerifier(this.credentials, region, clock, this::cachedSigningKey);
    }

    /**
     * Verifies a browser form upload (POST Object), whose signature is not in its head but in the
     * form: the POST policy, signed with Signature Version 4 or 2, its expiration and conditions
     * (see {@link PostPolicyVerifier}). Called once the fields before the file have been read; the
     * file's length is checked as it streams, through {@link PostAuthentication#checkedFile}.
     *
     * @param key    the object's key, {@code ${filename}} replaced
     * @param fields the fields before the file, lower-case names
     */
    public PostAuthentication verifyPost(String bucket, String key, Map<String, String> fields) {
        return postPolicies.verify(bucket, key, fields);
    }

    Authentication verify(SignedRequest request) {
        if (credentials.isEmpty()) {
            return anonymous(request);
        }
        String authorization = request.header("authorization");
        if (authorization != null) {
            return verifyHeader(request, authorization);
        }
        if (request.rawQuery() != null && request.rawQuery().contains("X-Amz-Signature=")) {
            return verifyPresigned(request);
        }
        // unsigned: anonymous, allowed only where an ACL or bucket policy grants it (decided by authorization)
        return anonymous(request);
    }

    private static Authentication anonymous(SignedRequest request) {
        return payloadAsAnnounced(request, null);
    }

    /**
     * A request whose signature, if any, covers no payload: the body is read as x-amz-content-sha256
     * announces it (a SHA-256 verified, aws-chunked decoded without chunk signatures to check).
     */
    static Authentication payloadAsAnnounced(SignedRequest request, String accessKey) {
        String contentSha256 = request.header("x-amz-content-sha256");
        Authentication.Payload payload = payloadOf(contentSha256);
        if (payload == Authentication.Payload.PLAIN && contentEncodingIsAwsChunked(request)) {
            payload = Authentication.Payload.AWS_CHUNKED;
        }
        return new Authentication(accessKey, payload, contentSha256, null, decodedLength(request, payload));
    }

    private Authentication verifyHeader(SignedRequest request, String authorization) {
        if (!authorization.startsWith(ALGORITHM + " ")) {
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
        requireOwnScope(scope, false);
        String amzDate = amzDate(request);
        Instant requestTime = parseAmzDate(amzDate, S3ErrorCode.ACCESS_DENIED);
        if (!amzDate.startsWith(scope.date())) {
            throw new S3Exception(S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED,
                    "The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date.");
        }
        String secret = secretOf(scope.accessKey());
        Instant now = clock.instant();
        if (Duration.between(requestTime, now).abs().compareTo(MAX_SKEW) > 0) {
            throw new S3Exception(S3ErrorCode.REQUEST_TIME_TOO_SKEWED)
                    .with("RequestTime", amzDate)
                    .with("ServerTime", AMZ_DATE.format(now.atOffset(ZoneOffset.UTC)))
                    .with("MaxAllowedSkewMilliseconds", Long.toString(MAX_SKEW.toMillis()));
        }
        List<String> headerNames = Arrays.asList(signedHeaders.toLowerCase(Locale.ROOT).split(";"));
        String contentSha256 = request.header("x-amz-content-sha256");
        Authentication.Payload payload = payloadOf(contentSha256);
        long decodedLength = decodedLength(request, payload);
        // the payload hash line of the canonical request is this header's value, so it is signed
        // whether or not SignedHeaders names it
        requireSignedAmzHeaders(request, headerNames, true);
        String payloadHash = contentSha256 != null ? contentSha256 : UNSIGNED_PAYLOAD;
        byte[] signingKey = cachedSigningKey(secret, scope);
        String expected = sign(signingKey, amzDate, scope, CanonicalRequest.of(request, headerNames, payloadHash, false));
        if (!Hashing.sameSignature(expected, signature)) {
            throw signatureDoesNotMatch(scope.accessKey());
        }
        return new Authentication(scope.accessKey(), payload, contentSha256,
                signingContext(contentSha256, signingKey, amzDate, scope, expected), decodedLength);
    }

    private Authentication verifyPresigned(SignedRequest request) {
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
        requireOwnScope(scope, true);
        Instant signedAt = parseAmzDate(amzDate, S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        if (!amzDate.startsWith(scope.date())) {
            throw new S3Exception(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR, "Invalid credential date \"" + scope.date()
                    + "\". This date is not the same as X-Amz-Date: \"" + amzDate.substring(0, 8) + "\".");
        }
        String secret = secretOf(scope.accessKey());
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
        // A URL may sign its payload hash as X-Amz-Content-Sha256; without one, S3 takes the
        // x-amz-content-sha256 header into the canonical request, so that header is signed too
        String signedSha256 = query.getOrDefault("X-Amz-Content-Sha256", query.get("x-amz-content-sha256"));
        String headerSha256 = request.header("x-amz-content-sha256");
        String contentSha256 = signedSha256 != null ? signedSha256 : headerSha256;
        Authentication.Payload payload = payloadOf(contentSha256);
        long decodedLength = decodedLength(request, payload);
        requireSignedAmzHeaders(request, headerNames, headerSha256 == null || headerSha256.equals(contentSha256));
        String payloadHash = contentSha256 != null ? contentSha256 : UNSIGNED_PAYLOAD;
        byte[] signingKey = cachedSigningKey(secret, scope);
        String expected = sign(signingKey, amzDate, scope, CanonicalRequest.of(request, headerNames, payloadHash, true));
        if (!Hashing.sameSignature(expected, signature)) {
            throw signatureDoesNotMatch(scope.accessKey());
        }
        return new Authentication(scope.accessKey(), payload, contentSha256,
                signingContext(contentSha256, signingKey, amzDate, scope, expected), decodedLength);
    }

    /**
     * S3 refuses an {@code x-amz-*} header the signature does not cover, so that nothing which
     * changes what a request does (a copy source, an ACL, metadata) can be added to a signed one.
     *
     * @param contentSha256Covered whether x-amz-content-sha256 is covered by the payload hash line
     */
    private static void requireSignedAmzHeaders(SignedRequest request, List<String> signedHeaders,
                                                boolean contentSha256Covered) {
        Set<String> signed = new HashSet<>(signedHeaders);
        Set<String> unsigned = new TreeSet<>();
        for (String name : request.headers().keySet()) {
            String lowerCase = name.toLowerCase(Locale.ROOT);
            if (lowerCase.startsWith("x-amz-") && !signed.contains(lowerCase)
                    && !(contentSha256Covered && lowerCase.equals("x-amz-content-sha256"))) {
                unsigned.add(lowerCase);
            }
        }
        if (!unsigned.isEmpty()) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "There were headers present in the request which were not signed")
                    .with("HeadersNotSigned", String.join(", ", unsigned));
        }
    }

    /** The scope must be this server's: S3 names the region it expects, which SDKs use to redirect. */
    private void requireOwnScope(Scope scope, boolean presigned) {
        S3ErrorCode error = presigned ? S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR : S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED;
        String prefix = presigned ? "Error parsing the X-Amz-Credential parameter; " : "The authorization header is malformed; ";
        if (!scope.region().equals(region)) {
            throw new S3Exception(error, prefix + "the region '" + scope.region() + "' is wrong; expecting '" + region + "'")
                    .with("Region", region);
        }
        if (!scope.service().equals("s3")) {
            throw new S3Exception(error, prefix + "incorrect service \"" + scope.service() + "\". This endpoint belongs to \"s3\".");
        }
    }

    /**
     * How x-amz-content-sha256 says the payload is to be read; S3 accepts nothing but a SHA-256 in
     * hex and the constants it defines.
     */
    static Authentication.Payload payloadOf(String contentSha256) {
        if (contentSha256 == null || contentSha256.equals(UNSIGNED_PAYLOAD)) {
            return Authentication.Payload.PLAIN;
        }
        if (isSha256Hex(contentSha256)) {
            return Authentication.Payload.SIGNED;
        }
        if (contentSha256.equals(STREAMING_UNSIGNED_TRAILER) || contentSha256.equals(STREAMING_SIGNED)
                || contentSha256.equals(STREAMING_SIGNED_TRAILER)) {
            return Authentication.Payload.AWS_CHUNKED;
        }
        if (STREAMING_ECDSA.contains(contentSha256)) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                    "Signature Version 4A (" + contentSha256 + ") is not implemented by s3ite; sign with AWS4-HMAC-SHA256.")
                    .with("Header", "x-amz-content-sha256");
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "x-amz-content-sha256 must be UNSIGNED-PAYLOAD,"
                + " STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD,"
                + " STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD,"
                + " STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.")
                .with("ArgumentName", "x-amz-content-sha256")
                .with("ArgumentValue", contentSha256);
    }

    /** Chunk signatures chain from the request's own signature, for the signed streaming payloads. */
    private static SigningContext signingContext(String contentSha256, byte[] signingKey, String amzDate, Scope scope,
                                                 String seedSignature) {
        boolean signedChunks = STREAMING_SIGNED.equals(contentSha256) || STREAMING_SIGNED_TRAILER.equals(contentSha256);
        return signedChunks ? new SigningContext(signingKey, amzDate, scope.text(), seedSignature) : null;
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

    /** 64 hexadecimal digits, either case. */
    private static boolean isSha256Hex(String value) {
        if (value.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    /** 1 to 18 decimal digits, nothing else. */
    private static boolean isDecimalLength(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static Instant parseAmzDate(String amzDate, S3ErrorCode error) {
        Instant plain = parsePlainAmzDate(amzDate);
        if (plain != null) {
            return plain;
        }
        try {
            return LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new S3Exception(error, "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
        }
    }

    /**
     * {@code yyyyMMdd'T'HHmmss'Z'} read by hand, as every signed request needs; null for anything
     * the formatter is to judge (a malformed date, or one it resolves differently).
     */
    private static Instant parsePlainAmzDate(String amzDate) {
        if (amzDate.length() != 16 || amzDate.charAt(8) != 'T' || amzDate.charAt(15) != 'Z') {
            return null;
        }
        int[] fields = new int[6];
        int[] starts = {0, 4, 6, 9, 11, 13};
        int[] widths = {4, 2, 2, 2, 2, 2};
        for (int f = 0; f < 6; f++) {
            int value = 0;
            for (int i = starts[f]; i < starts[f] + widths[f]; i++) {
                char c = amzDate.charAt(i);
                if (c < '0' || c > '9') {
                    return null;
                }
                value = value * 10 + (c - '0');
            }
            fields[f] = value;
        }
        if (fields[0] == 0) {
            return null; // no year of the era: the formatter's verdict
        }
        try {
            return LocalDateTime.of(fields[0], fields[1], fields[2], fields[3], fields[4], fields[5])
                    .toInstant(ZoneOffset.UTC);
        } catch (java.time.DateTimeException e) {
            return null;
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

    private static boolean contentEncodingIsAwsChunked(SignedRequest request) {
        String encoding = request.header("content-encoding");
        return encoding != null && encoding.toLowerCase(Locale.ROOT).contains("aws-chunked");
    }

    private static long decodedLength(SignedRequest request, Authentication.Payload payload) {
        String name = payload == Authentication.Payload.AWS_CHUNKED ? "x-amz-decoded-content-length" : "content-length";
        String value = request.header(name);
        if (value == null) {
            return -1;
        }
        // digits only: a sign or a radix prefix is no length, and a negative one would read as "unknown"
        if (!isDecimalLength(value.trim())) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, name + " must be a non-negative integer.")
                    .with("ArgumentName", name)
                    .with("ArgumentValue", value);
        }
        return Long.parseLong(value.trim());
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
