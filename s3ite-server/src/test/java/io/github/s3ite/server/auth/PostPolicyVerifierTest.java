package io.github.s3ite.server.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * POST policies: the signature of the example AWS publishes ("Example: Browser-Based Upload using
 * HTTP POST (Using AWS Signature Version 4)": AKIAIOSFODNN7EXAMPLE, 2015-12-29, us-east-1), and
 * each condition of a policy, checked as S3 checks it.
 */
class PostPolicyVerifierTest {
    private static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String EXAMPLE_POLICY = "eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9";
    private static final String EXAMPLE_SIGNATURE = "8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e";
    private static final Instant EXAMPLE_TIME = Instant.parse("2015-12-29T00:00:01Z");

    private static SigV4Verifier verifierAt(Instant now) {
        return new SigV4Verifier(Map.of(ACCESS_KEY, SECRET_KEY), "us-east-1", Clock.fixed(now, ZoneOffset.UTC));
    }

    /** The example's form, its field names lower-case as the edge hands them on. */
    private static Map<String, String> exampleForm() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", "user/user1/${filename}");
        fields.put("acl", "public-read");
        fields.put("success_action_redirect", "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html");
        fields.put("content-type", "image/jpeg");
        fields.put("x-amz-server-side-encryption", "AES256");
        fields.put("x-amz-credential", "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request");
        fields.put("x-amz-algorithm", "AWS4-HMAC-SHA256");
        fields.put("x-amz-date", "20151229T000000Z");
        fields.put("x-amz-meta-uuid", "14365123651274");
        fields.put("x-amz-meta-tag", "");
        fields.put("policy", EXAMPLE_POLICY);
        fields.put("x-amz-signature", EXAMPLE_SIGNATURE);
        return fields;
    }

    private static S3Exception refused(S3ErrorCode code, Map<String, String> fields) {
        return refused(code, verifierAt(EXAMPLE_TIME), "user/user1/photo.jpg", fields);
    }

    private static S3Exception refused(S3ErrorCode code, SigV4Verifier verifier, String key, Map<String, String> fields) {
        S3Exception error = assertThrows(S3Exception.class, () -> verifier.verifyPost("sigv4examplebucket", key, fields));
        assertEquals(code, error.error(), error.getMessage());
        return error;
    }

    @Test
    void theExampleAwsPublishesIsVerified() {
        PostAuthentication auth = verifierAt(EXAMPLE_TIME).verifyPost("sigv4examplebucket", "user/user1/photo.jpg",
                exampleForm());
        assertEquals(ACCESS_KEY, auth.accessKey());
    }

    @Test
    void aChangedPolicyOrSignatureOrAnUnknownKeyIsRefused() {
        Map<String, String> forged = exampleForm();
        forged.put("x-amz-signature", EXAMPLE_SIGNATURE.replace('8', '9'));
        S3Exception mismatch = refused(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, forged);
        assertEquals(EXAMPLE_POLICY, mismatch.details().get("StringToSign"));
        Map<String, String> stranger = exampleForm();
        stranger.put("x-amz-credential", "AKIASTRANGER/20151229/us-east-1/s3/aws4_request");
        refused(S3ErrorCode.INVALID_ACCESS_KEY_ID, stranger);
        Map<String, String> otherRegion = exampleForm();
        otherRegion.put("x-amz-credential", "AKIAIOSFODNN7EXAMPLE/20151229/eu-west-1/s3/aws4_request");
        S3Exception region = refused(S3ErrorCode.INVALID_ARGUMENT, otherRegion);
        assertEquals("the region 'eu-west-1' is wrong; expecting 'us-east-1'", region.getMessage());
        assertEquals("us-east-1", region.details().get("Region"));
        Map<String, String> incomplete = exampleForm();
        incomplete.remove("x-amz-date");
        assertEquals("X-Amz-Date", refused(S3ErrorCode.INVALID_ARGUMENT, incomplete).details().get("ArgumentName"));
        Map<String, String> unsigned = exampleForm();
        List.of("x-amz-date", "x-amz-algorithm", "x-amz-credential", "x-amz-signature").forEach(unsigned::remove);
        refused(S3ErrorCode.ACCESS_DENIED, unsigned);
    }

    @Test
    void theExamplePolicyHasExpiredAndItsConditionsHold() {
        S3Exception expired = refused(S3ErrorCode.ACCESS_DENIED, verifierAt(Instant.parse("2015-12-30T12:00:01Z")),
                "user/user1/photo.jpg", exampleForm());
        assertEquals("Invalid according to Policy: Policy expired.", expired.getMessage());
        S3Exception key = refused(S3ErrorCode.ACCESS_DENIED, verifierAt(EXAMPLE_TIME), "user/user2/photo.jpg", exampleForm());
        assertEquals("Invalid according to Policy: Policy Condition failed: [\"starts-with\", \"$key\", \"user/user1/\"]",
                key.getMessage());
        Map<String, String> text = exampleForm();
        text.put("content-type", "image/png, text/html");
        assertEquals("Invalid according to Policy: Policy Condition failed: [\"starts-with\", \"$Content-Type\", \"image/\"]",
                refused(S3ErrorCode.ACCESS_DENIED, text).getMessage());
        Map<String, String> extra = exampleForm();
        extra.put("x-amz-meta-other", "x");
        extra.put("x-ignore-this", "x");
        assertEquals("Invalid according to Policy: Extra input fields: x-amz-meta-other",
                refused(S3ErrorCode.ACCESS_DENIED, extra).getMessage());
    }

    private static PostPolicy policy(String json) {
        return PostPolicy.parse(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final String LATER = "\"expiration\": \"2030-01-02T00:00:00Z\"";

    @Test
    void conditionsMatchExactlyOrByPrefixAndContentTypeListsValueByValue() {
        PostPolicy policy = policy("{" + LATER + ", \"conditions\": [{\"acl\": \"private\"}, [\"eq\", \"$Cache-Control\", \"no-cache\"],"
                + " [\"starts-with\", \"$Content-Type\", \"image/\"], [\"starts-with\", \"$x-amz-meta-tag\", \"\"],"
                + " {\"success_action_status\": 201}]}");
        Map<String, String> form = Map.of("acl", "private", "cache-control", "no-cache", "content-type", "image/png, image/gif",
                "success_action_status", "201");
        policy.check(NOW, form, form.keySet());
        Map<String, String> mixed = new LinkedHashMap<>(form);
        mixed.put("content-type", "image/png,text/plain");
        assertThrows(S3Exception.class, () -> policy.check(NOW, mixed, mixed.keySet()));
        Map<String, String> wrongAcl = new LinkedHashMap<>(form);
        wrongAcl.put("acl", "public-read");
        S3Exception failed = assertThrows(S3Exception.class, () -> policy.check(NOW, wrongAcl, wrongAcl.keySet()));
        assertEquals("Invalid according to Policy: Policy Condition failed: [\"eq\", \"$acl\", \"private\"]", failed.getMessage());
    }

    @Test
    void malformedPoliciesAreInvalidPolicyDocument() {
        Map<String, String> messages = new LinkedHashMap<>();
        messages.put("not json", "Invalid Policy: Invalid JSON.");
        messages.put("{\"conditions\": []}", "Invalid Policy: Policy missing expiration.");
        messages.put("{" + LATER + "}", "Invalid Policy: Policy missing conditions.");
        messages.put("{\"expiration\": \"tomorrow\", \"conditions\": []}", "Invalid Policy: Invalid 'expiration' value: 'tomorrow'");
        messages.put("{" + LATER + ", \"conditions\": [{\"a\": \"1\", \"b\": \"2\"}]}",
                "Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.");
        for (Map.Entry<String, String> example : messages.entrySet()) {
            S3Exception error = assertThrows(S3Exception.class, () -> policy(example.getKey()), example.getKey());
            assertEquals(S3ErrorCode.INVALID_POLICY_DOCUMENT, error.error());
            assertEquals(example.getValue(), error.getMessage());
        }
        for (String invalid : List.of("[\"matches\", \"$key\", \"a\"]", "[\"eq\", \"key\", \"a\"]", "[\"eq\", \"$key\"]",
                "[\"content-length-range\", -1, 10]", "[\"content-length-range\", \"x\", 10]", "42")) {
            assertEquals(S3ErrorCode.INVALID_POLICY_DOCUMENT, assertThrows(S3Exception.class,
                    () -> policy("{" + LATER + ", \"conditions\": [" + invalid + "]}"), invalid).error());
        }
        assertEquals(S3ErrorCode.INVALID_POLICY_DOCUMENT,
                assertThrows(S3Exception.class, () -> PostPolicy.parse("%%%")).error());
        // S3 escapes a literal dollar sign as \$
        policy("{" + LATER + ", \"conditions\": [{\"x-amz-meta-price\": \"\\$5\"}]}")
                .check(NOW, Map.of("x-amz-meta-price", "$5"), Set.of("x-amz-meta-price"));
    }

    private static byte[] read(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    @Test
    void theFileLengthIsCheckedAgainstEveryContentLengthRangeAsItStreams() throws IOException {
        SigV4Verifier anonymousServer = new SigV4Verifier(Map.of(), "us-east-1", Clock.fixed(NOW, ZoneOffset.UTC));
        String policy = Base64.getEncoder().encodeToString(("{" + LATER + ", \"conditions\": [[\"content-length-range\", 2, 100],"
                + " [\"content-length-range\", \"0\", \"10\"], [\"starts-with\", \"$key\", \"\"]]}").getBytes(StandardCharsets.UTF_8));
        PostAuthentication auth = anonymousServer.verifyPost("b", "k", Map.of("key", "k", "policy", policy));
        assertNull(auth.accessKey());
        assertArrayEquals(new byte[10], read(auth.checkedFile(new ByteArrayInputStream(new byte[10]))));
        S3Exception large = assertThrows(S3Exception.class, () -> read(auth.checkedFile(new ByteArrayInputStream(new byte[200_000]))));
        assertEquals(S3ErrorCode.ENTITY_TOO_LARGE, large.error());
        assertEquals(Map.of("ProposedSize", "200000", "MaxSizeAllowed", "10"), large.details());
        S3Exception small = assertThrows(S3Exception.class, () -> read(auth.checkedFile(new ByteArrayInputStream(new byte[1]))));
        assertEquals(S3ErrorCode.ENTITY_TOO_SMALL, small.error());
        assertEquals(Map.of("ProposedSize", "1", "MinSizeAllowed", "2"), small.details());
    }

    @Test
    void aFormWithoutPolicyIsAnonymousAndVersion2SignsWithHmacSha1() throws Exception {
        assertNull(verifierAt(EXAMPLE_TIME).verifyPost("b", "k", Map.of("key", "k", "x-amz-meta-any", "x")).accessKey());
        String policy = Base64.getEncoder().encodeToString(("{" + LATER + ", \"conditions\": [{\"bucket\": \"b\"},"
                + " [\"starts-with\", \"$key\", \"\"]]}").getBytes(StandardCharsets.UTF_8));
        javax.crypto.Mac sha1 = javax.crypto.Mac.getInstance("HmacSHA1");
        sha1.init(new javax.crypto.spec.SecretKeySpec(SECRET_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String signature = Base64.getEncoder().encodeToString(sha1.doFinal(policy.getBytes(StandardCharsets.UTF_8)));
        Map<String, String> form = Map.of("key", "k", "awsaccesskeyid", ACCESS_KEY, "policy", policy, "signature", signature);
        assertEquals(ACCESS_KEY, verifierAt(NOW).verifyPost("b", "k", form).accessKey());
        Map<String, String> forged = new LinkedHashMap<>(form);
        forged.put("signature", Base64.getEncoder().encodeToString(new byte[20]));
        refused(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, verifierAt(NOW), "k", forged);
        Map<String, String> keyless = new LinkedHashMap<>(form);
        keyless.remove("awsaccesskeyid");
        assertEquals("Bucket POST must contain a field named 'AWSAccessKeyId'.  If it is specified, please check the order of"
                + " the fields.", refused(S3ErrorCode.INVALID_ARGUMENT, verifierAt(NOW), "k", keyless).getMessage());
    }
}
