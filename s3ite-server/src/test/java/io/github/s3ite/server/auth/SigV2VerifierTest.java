package io.github.s3ite.server.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Signature Version 2 verified and refused as S3 refuses it, and chosen over SigV4 by what a request carries. */
class SigV2VerifierTest {
    private static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String DATE = "Tue, 27 Mar 2007 19:36:42 +0000";
    private static final Instant NOW = Instant.parse("2007-03-27T19:36:42Z");
    /** AWS's published Object GET example, path style. */
    private static final String GET_STRING_TO_SIGN = "GET\n\n\n" + DATE + "\n/johnsmith/photos/puppy.jpg";
    private static final String GET_SIGNATURE = "bWq2s1WEIj+Ydj0vQ697zp+IXMU=";

    private static SigV2Verifier verifierAt(Instant now) {
        return new SigV2Verifier(Map.of(ACCESS_KEY, SECRET_KEY), Clock.fixed(now, ZoneOffset.UTC));
    }

    private static Map<String, List<String>> headers(String... namesAndValues) {
        Map<String, List<String>> headers = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.put(namesAndValues[i], List.of(namesAndValues[i + 1]));
        }
        return headers;
    }

    private static SignedRequest get(String authorization) {
        return new SignedRequest("GET", "/johnsmith/photos/puppy.jpg", null,
                headers("host", "s3.amazonaws.com", "date", DATE, "authorization", authorization));
    }

    private static S3Exception refused(SigV2Verifier verifier, SignedRequest request) {
        return assertThrows(S3Exception.class, () -> verifier.verify(request));
    }

    @Test
    void aValidHeaderSignatureActsAsItsAccessKey() {
        assertEquals(ACCESS_KEY, verifierAt(NOW).verify(get("AWS " + ACCESS_KEY + ":" + GET_SIGNATURE)).accessKey());
    }

    @Test
    void aWrongSignatureIsSignatureDoesNotMatchWithWhatS3SignedAndItsBytes() {
        S3Exception error = refused(verifierAt(NOW), get("AWS " + ACCESS_KEY + ":bWq2s1WEIj+Ydj0vQ697zp+IXMu="));
        assertEquals(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, error.error());
        assertEquals(List.of("AWSAccessKeyId", "StringToSign", "SignatureProvided", "StringToSignBytes"),
                List.copyOf(error.details().keySet()));
        assertEquals(ACCESS_KEY, error.details().get("AWSAccessKeyId"));
        assertEquals(GET_STRING_TO_SIGN, error.details().get("StringToSign"));
        assertEquals("bWq2s1WEIj+Ydj0vQ697zp+IXMu=", error.details().get("SignatureProvided"));
        assertTrue(error.details().get("StringToSignBytes").startsWith("47 45 54 0a 0a 0a 54 75 65 2c"),
                error.details().get("StringToSignBytes"));
        assertEquals(GET_STRING_TO_SIGN.length() * 3 - 1, error.details().get("StringToSignBytes").length());
    }

    @Test
    void aSignatureDifferingOnlyInCaseDoesNotMatch() {
        S3Exception error = refused(verifierAt(NOW), get("AWS " + ACCESS_KEY + ":" + GET_SIGNATURE.toLowerCase()));
        assertEquals(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, error.error());
    }

    @Test
    void aWrongSecretDoesNotMatch() {
        SigV2Verifier otherSecret = new SigV2Verifier(Map.of(ACCESS_KEY, "another"), Clock.fixed(NOW, ZoneOffset.UTC));
        assertEquals(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH,
                refused(otherSecret, get("AWS " + ACCESS_KEY + ":" + GET_SIGNATURE)).error());
    }

    @Test
    void anUnknownAccessKeyIsInvalidAccessKeyId() {
        S3Exception error = refused(verifierAt(NOW), get("AWS AKIAUNKNOWN:" + GET_SIGNATURE));
        assertEquals(S3ErrorCode.INVALID_ACCESS_KEY_ID, error.error());
        assertEquals(Map.of("AWSAccessKeyId", "AKIAUNKNOWN"), error.details());
    }

    @Test
    void aHeaderWithoutKeyAndSignatureIsInvalidArgument() {
        for (String authorization : List.of("AWS " + ACCESS_KEY, "AWS :" + GET_SIGNATURE, "AWS " + ACCESS_KEY + ":")) {
            S3Exception error = refused(verifierAt(NOW), get(authorization));
            assertEquals(S3ErrorCode.INVALID_ARGUMENT, error.error(), authorization);
            assertEquals("Authorization", error.details().get("ArgumentName"));
        }
    }

    @Test
    void aDateMoreThanFifteenMinutesOffIsRequestTimeTooSkewed() {
        assertEquals(ACCESS_KEY, verifierAt(NOW.plusSeconds(15 * 60)).verify(get("AWS " + ACCESS_KEY + ":" + GET_SIGNATURE))
                .accessKey());
        S3Exception late = refused(verifierAt(NOW.plusSeconds(15 * 60 + 1)), get("AWS " + ACCESS_KEY + ":" + GET_SIGNATURE));
        assertEquals(S3ErrorCode.REQUEST_TIME_TOO_SKEWED, late.error());
        assertEquals(DATE, late.details().get("RequestTime"));
        assertEquals("2007-03-27T19:51:43Z", late.details().get("ServerTime"));
        assertEquals("900000", late.details().get("MaxAllowedSkewMilliseconds"));
        S3Exception early = refused(verifierAt(NOW.minusSeconds(15 * 60 + 1)), get("AWS " + ACCESS_KEY + ":" + GET_SIGNATURE));
        assertEquals(S3ErrorCode.REQUEST_TIME_TOO_SKEWED, early.error());
    }

    @Test
    void xAmzDateIsTheRequestTimeWhenPresent() {
        SignedRequest request = new SignedRequest("GET", "/johnsmith/photos/puppy.jpg", null, headers(
                "date", "Tue, 27 Mar 2007 10:00:00 GMT", "x-amz-date", DATE));
        String signature = Hashing.hmacSha1Base64(SECRET_KEY, StringToSignV2.of(request, "", Map.of()));
        request.headers().put("authorization", List.of("AWS " + ACCESS_KEY + ":" + signature));
        assertEquals(ACCESS_KEY, verifierAt(NOW).verify(request).accessKey());
    }

    @Test
    void noDateOrAnUnreadableOneIsAccessDenied() {
        for (String date : new String[] {null, "2007-03-27T19:36:42Z", "yesterday"}) {
            Map<String, List<String>> headers = headers("authorization", "AWS " + ACCESS_KEY + ":" + GET_SIGNATURE);
            if (date != null) {
                headers.put("date", List.of(date));
            }
            S3Exception error = refused(verifierAt(NOW), new SignedRequest("GET", "/johnsmith/photos/puppy.jpg", null, headers));
            assertEquals(S3ErrorCode.ACCESS_DENIED, error.error(), date);
            assertEquals("AWS authentication requires a valid Date or x-amz-date header", error.getMessage());
        }
    }

    private static SignedRequest presigned(String query) {
        return new SignedRequest("GET", "/photos/puppy.jpg", query, headers("host", "johnsmith.s3.amazonaws.com"), "johnsmith");
    }

    /** AWS's published query-string example. */
    private static final String PUBLISHED_QUERY =
            "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620";

    @Test
    void aPresignedUrlWorksUntilItsExpiresAndIsAccessDeniedAfter() {
        Instant expires = Instant.ofEpochSecond(1175139620);
        assertEquals(ACCESS_KEY, verifierAt(expires).verify(presigned(PUBLISHED_QUERY)).accessKey());
        S3Exception error = refused(verifierAt(expires.plusSeconds(1)), presigned(PUBLISHED_QUERY));
        assertEquals(S3ErrorCode.ACCESS_DENIED, error.error());
        assertEquals("Request has expired", error.getMessage());
        assertEquals(Map.of("Expires", "2007-03-29T03:40:20Z", "ServerTime", "2007-03-29T03:40:21Z"), error.details());
    }

    @Test
    void aPresignedUrlForAnotherKeyIsSignatureDoesNotMatch() {
        SignedRequest other = new SignedRequest("GET", "/photos/kitten.jpg", PUBLISHED_QUERY, headers(), "johnsmith");
        S3Exception error = refused(verifierAt(Instant.ofEpochSecond(1175139000)), other);
        assertEquals(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, error.error());
        assertEquals("GET\n\n\n1175139620\n/johnsmith/photos/kitten.jpg", error.details().get("StringToSign"));
        assertEquals("NpgCjnDzrM+WFzoENXmpNDUsSn8=", error.details().get("SignatureProvided"));
    }

    @Test
    void aLaterExpiresThanSignedIsSignatureDoesNotMatch() {
        S3Exception error = refused(verifierAt(Instant.ofEpochSecond(1175139000)),
                presigned(PUBLISHED_QUERY.replace("1175139620", "1175139999")));
        assertEquals(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, error.error());
    }

    @Test
    void aPresignedUrlMissingAParameterIsAccessDenied() {
        for (String query : List.of("AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1175139620",
                "Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620",
                "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D")) {
            S3Exception error = refused(verifierAt(Instant.ofEpochSecond(1175139000)), presigned(query));
            assertEquals(S3ErrorCode.ACCESS_DENIED, error.error(), query);
            assertEquals("Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters",
                    error.getMessage());
        }
    }

    @Test
    void anExpiresThatIsNoNumberIsAccessDenied() {
        S3Exception error = refused(verifierAt(Instant.ofEpochSecond(1175139000)),
                presigned(PUBLISHED_QUERY.replace("1175139620", "tomorrow")));
        assertEquals(S3ErrorCode.ACCESS_DENIED, error.error());
        assertEquals("Invalid date (should be seconds since epoch): tomorrow", error.getMessage());
    }

    @Test
    void aPresignedUrlWithAnUnknownKeyIsInvalidAccessKeyId() {
        S3Exception error = refused(verifierAt(Instant.ofEpochSecond(1175139000)),
                presigned(PUBLISHED_QUERY.replace("AKIAIOSFODNN7EXAMPLE", "AKIAUNKNOWN")));
        assertEquals(S3ErrorCode.INVALID_ACCESS_KEY_ID, error.error());
    }

    @Test
    void theBodyOfAVersion2RequestIsReadAsSentAndItsLengthIsContentLength() throws IOException {
        SignedRequest request = new SignedRequest("PUT", "/b/k", null, headers("date", DATE, "content-length", "5"));
        String signature = Hashing.hmacSha1Base64(SECRET_KEY, StringToSignV2.of(request, DATE, Map.of()));
        request.headers().put("authorization", List.of("AWS " + ACCESS_KEY + ":" + signature));
        Authentication auth = verifierAt(NOW).verify(request);
        assertEquals(5, auth.decodedContentLength());
        byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(body, auth.decodedBody(new ByteArrayInputStream(body)).readAllBytes());
    }

    @Test
    void version2IsChosenByTheAwsHeaderOrTheQueryParametersAndVersion4Otherwise() {
        assertTrue(SigV2Verifier.signs(get("AWS " + ACCESS_KEY + ":" + GET_SIGNATURE)));
        assertTrue(SigV2Verifier.signs(presigned(PUBLISHED_QUERY)));
        assertTrue(SigV2Verifier.signs(presigned("Signature=x")));
        assertFalse(SigV2Verifier.signs(get("AWS4-HMAC-SHA256 Credential=AKID/20070327/us-east-1/s3/aws4_request")));
        assertFalse(SigV2Verifier.signs(presigned("X-Amz-Signature=abc&X-Amz-Credential=x")));
        assertFalse(SigV2Verifier.signs(presigned("prefix=Signature")));
        assertFalse(SigV2Verifier.signs(presigned(null)));
    }

    @Test
    void theAuthenticatorVerifiesVersion2AndServesItAnonymouslyWithoutCredentials() {
        Authenticator authenticator = new Authenticator(Map.of(ACCESS_KEY, SECRET_KEY), "us-east-1", Clock.fixed(NOW, ZoneOffset.UTC));
        assertEquals(ACCESS_KEY, authenticator.verify(get("AWS " + ACCESS_KEY + ":" + GET_SIGNATURE)).accessKey());
        assertEquals(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, assertThrows(S3Exception.class,
                () -> authenticator.verify(get("AWS " + ACCESS_KEY + ":AAAA" + GET_SIGNATURE.substring(4)))).error());
        Authenticator anonymous = new Authenticator(Map.of(), "us-east-1", Clock.fixed(NOW, ZoneOffset.UTC));
        assertNull(anonymous.verify(get("AWS AKIAUNKNOWN:whatever")).accessKey());
    }
}
