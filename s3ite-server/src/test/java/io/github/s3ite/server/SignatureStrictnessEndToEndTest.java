package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * What a signature must cover and where it must point: every x-amz-* header signed, the credential
 * scope naming this server's region, service and the request's day, a presigned URL's payload hash
 * honoured, x-amz-content-sha256 one of the values S3 defines.
 */
class SignatureStrictnessEndToEndTest {
    private static final String ACCESS_KEY = "AKIDSTRICT";
    private static final String SECRET_KEY = "strict-secret";
    private static final String BUCKET = "strict";
    private static S3iteServer server;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        server = new S3iteServer().withCredentials(ACCESS_KEY, SECRET_KEY).withBucket(BUCKET).start();
        s3 = server.createClient();
        s3.putObject(b -> b.bucket(BUCKET).key("source.txt"), RequestBody.fromString("source content"));
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static HandSigner signer() {
        return HandSigner.of(ACCESS_KEY, SECRET_KEY);
    }

    /** A request signed in its Authorization header over host, x-amz-date, x-amz-content-sha256 and {@code signed}. */
    private static HttpResponse<String> headerSigned(HandSigner signer, String method, String key, byte[] body,
                                                     String payloadHash, Map<String, String> signed,
                                                     Map<String, String> unsigned) throws Exception {
        String path = "/" + BUCKET + "/" + key;
        SortedMap<String, String> signedHeaders = new TreeMap<>(signed);
        signedHeaders.put("host", server.getEndpoint().getRawAuthority());
        signedHeaders.put("x-amz-date", signer.amzDate());
        signedHeaders.put("x-amz-content-sha256", payloadHash);
        Map<String, String> headers = new LinkedHashMap<>(signedHeaders);
        headers.remove("host");
        headers.putAll(unsigned);
        headers.put("Authorization", signer.authorization(method, path, "", signedHeaders, payloadHash));
        return HandSigner.send(method, URI.create(server.getEndpoint() + path), headers, body);
    }

    private static HttpResponse<String> signedPut(HandSigner signer, String key, String body, Map<String, String> unsigned)
            throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return headerSigned(signer, "PUT", key, bytes, HandSigner.sha256Hex(bytes), Map.of(), unsigned);
    }

    private static boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(BUCKET).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    /** The body with XML's character references for quotes resolved, to compare against S3's messages. */
    private static String text(HttpResponse<String> response) {
        return response.body().replace("&apos;", "'").replace("&quot;", "\"");
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.body().contains("<Code>" + code + "</Code>"), response.body());
    }

    @Test
    void anUnsignedCopySourceOnASignedPutIsAccessDeniedAndCopiesNothing() throws Exception {
        HttpResponse<String> response = signedPut(signer(), "copy-target.txt", "",
                Map.of("x-amz-copy-source", "/" + BUCKET + "/source.txt"));
        assertError(response, 403, "AccessDenied");
        assertTrue(response.body().contains("<Message>There were headers present in the request which were not signed</Message>"),
                response.body());
        assertTrue(response.body().contains("<HeadersNotSigned>x-amz-copy-source</HeadersNotSigned>"), response.body());
        assertFalse(exists("copy-target.txt"));
    }

    @Test
    void everyUnsignedAmzHeaderIsListedInHeadersNotSigned() throws Exception {
        HttpResponse<String> response = signedPut(signer(), "meta.txt", "body",
                Map.of("x-amz-meta-owner", "mallory", "x-amz-acl", "public-read"));
        assertError(response, 403, "AccessDenied");
        assertTrue(response.body().contains("<HeadersNotSigned>x-amz-acl, x-amz-meta-owner</HeadersNotSigned>"), response.body());
        assertFalse(exists("meta.txt"));
    }

    @Test
    void signedAmzHeadersAndUnsignedOrdinaryHeadersAreAccepted() throws Exception {
        byte[] body = "with metadata".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = headerSigned(signer(), "PUT", "signed-meta.txt", body, HandSigner.sha256Hex(body),
                Map.of("x-amz-meta-owner", "alice"), Map.of("cache-control", "no-cache", "x-amzn-trace-id", "Root=1-abc"));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("alice", s3.headObject(b -> b.bucket(BUCKET).key("signed-meta.txt")).metadata().get("owner"));
    }

    @Test
    void anUnsignedAmzHeaderOnAPresignedUrlIsAccessDenied() throws Exception {
        try (S3Presigner presigner = server.createPresigner()) {
            PresignedPutObjectRequest put = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(o -> o.bucket(BUCKET).key("presigned-meta.txt")));
            HttpResponse<String> response = HandSigner.send("PUT", put.url().toURI(),
                    Map.of("x-amz-meta-owner", "mallory", "x-amz-tagging", "a=b"), "body".getBytes(StandardCharsets.UTF_8));
            assertError(response, 403, "AccessDenied");
            assertTrue(response.body().contains("<HeadersNotSigned>x-amz-meta-owner, x-amz-tagging</HeadersNotSigned>"),
                    response.body());
            assertFalse(exists("presigned-meta.txt"));
        }
    }

    @Test
    void aPresignedUrlAcceptsAnUnsignedContentSha256HeaderThatRepeatsItsUnsignedPayload() throws Exception {
        try (S3Presigner presigner = server.createPresigner()) {
            PresignedPutObjectRequest put = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(o -> o.bucket(BUCKET).key("presigned-unsigned-payload.txt")));
            HttpResponse<String> response = HandSigner.send("PUT", put.url().toURI(),
                    Map.of("x-amz-content-sha256", "UNSIGNED-PAYLOAD"), "body".getBytes(StandardCharsets.UTF_8));
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(exists("presigned-unsigned-payload.txt"));
        }
    }

    @Test
    void aPresignedUrlWithSignedAmzHeadersAcceptsThemFromTheSdk() throws Exception {
        try (S3Presigner presigner = server.createPresigner()) {
            PresignedPutObjectRequest put = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(o -> o.bucket(BUCKET).key("presigned-signed-meta.txt").metadata(Map.of("owner", "alice"))));
            Map<String, String> headers = new LinkedHashMap<>();
            put.signedHeaders().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("host")) {
                    headers.put(name, values.get(0));
                }
            });
            HttpResponse<String> response = HandSigner.send("PUT", put.url().toURI(), headers,
                    "body".getBytes(StandardCharsets.UTF_8));
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("alice", s3.headObject(b -> b.bucket(BUCKET).key("presigned-signed-meta.txt")).metadata().get("owner"));
        }
    }

    @Test
    void aHeaderSignatureForAnotherRegionIsAuthorizationHeaderMalformedNamingTheServersRegion() throws Exception {
        HttpResponse<String> response = signedPut(signer().inRegion("eu-west-1"), "region.txt", "body", Map.of());
        assertError(response, 400, "AuthorizationHeaderMalformed");
        assertTrue(text(response).contains(
                "<Message>The authorization header is malformed; the region 'eu-west-1' is wrong; expecting 'us-east-1'</Message>"),
                response.body());
        assertTrue(response.body().contains("<Region>us-east-1</Region>"), response.body());
        assertFalse(exists("region.txt"));
    }

    @Test
    void aPresignedUrlForAnotherRegionIsAuthorizationQueryParametersErrorNamingTheServersRegion() throws Exception {
        HandSigner signer = signer().inRegion("eu-west-1");
        String path = "/" + BUCKET + "/source.txt";
        String query = signer.presignedQuery("GET", path, Map.of(),
                new TreeMap<>(Map.of("host", server.getEndpoint().getRawAuthority())), "UNSIGNED-PAYLOAD", 300);
        HttpResponse<String> response = HandSigner.send("GET", URI.create(server.getEndpoint() + path + "?" + query), Map.of(), null);
        assertError(response, 400, "AuthorizationQueryParametersError");
        assertTrue(text(response).contains("the region 'eu-west-1' is wrong; expecting 'us-east-1'"), response.body());
        assertTrue(response.body().contains("<Region>us-east-1</Region>"), response.body());
    }

    @Test
    void aServerInAnotherRegionAcceptsSignaturesForItsRegionOnly() throws Exception {
        try (S3iteServer frankfurt = new S3iteServer().withCredentials(ACCESS_KEY, SECRET_KEY).withRegion("eu-central-1")
                .withBucket("frankfurt").start()) {
            frankfurt.createClient().putObject(b -> b.bucket("frankfurt").key("k"), RequestBody.fromString("v"));
            String path = "/frankfurt/k";
            SortedMap<String, String> signedHeaders = new TreeMap<>(Map.of(
                    "host", frankfurt.getEndpoint().getRawAuthority(), "x-amz-date", signer().amzDate(),
                    "x-amz-content-sha256", "UNSIGNED-PAYLOAD"));
            Map<String, String> headers = new LinkedHashMap<>(signedHeaders);
            headers.remove("host");
            headers.put("Authorization", signer().authorization("GET", path, "", signedHeaders, "UNSIGNED-PAYLOAD"));
            HttpResponse<String> response = HandSigner.send("GET", URI.create(frankfurt.getEndpoint() + path), headers, null);
            assertError(response, 400, "AuthorizationHeaderMalformed");
            assertTrue(response.body().contains("<Region>eu-central-1</Region>"), response.body());
        }
    }

    @Test
    void aCredentialScopeDatedOtherThanTheRequestIsAuthorizationHeaderMalformed() throws Exception {
        HttpResponse<String> response = signedPut(signer().withScopeDate("20200101"), "scope-date.txt", "body", Map.of());
        assertError(response, 400, "AuthorizationHeaderMalformed");
        assertTrue(response.body().contains("Date is not the same as X-Amz-Date"), response.body());
        assertFalse(exists("scope-date.txt"));
    }

    @Test
    void aPresignedCredentialScopeDatedOtherThanTheRequestIsAuthorizationQueryParametersError() throws Exception {
        HandSigner signer = signer().withScopeDate("20200101");
        String path = "/" + BUCKET + "/source.txt";
        String query = signer.presignedQuery("GET", path, Map.of(),
                new TreeMap<>(Map.of("host", server.getEndpoint().getRawAuthority())), "UNSIGNED-PAYLOAD", 300);
        HttpResponse<String> response = HandSigner.send("GET", URI.create(server.getEndpoint() + path + "?" + query), Map.of(), null);
        assertError(response, 400, "AuthorizationQueryParametersError");
        assertTrue(text(response).contains("This date is not the same as X-Amz-Date"), response.body());
    }

    @Test
    void aCredentialScopeForAnotherServiceIsAuthorizationHeaderMalformed() throws Exception {
        HttpResponse<String> response = signedPut(signer().forService("ec2"), "service.txt", "body", Map.of());
        assertError(response, 400, "AuthorizationHeaderMalformed");
        assertTrue(text(response).contains("incorrect service \"ec2\". This endpoint belongs to \"s3\"."), response.body());
        assertFalse(exists("service.txt"));
    }

    @Test
    void aPresignedUrlWithASignedPayloadHashAcceptsOnlyThatBody() throws Exception {
        String path = "/" + BUCKET + "/presigned-hash.txt";
        String hash = HandSigner.sha256Hex("the signed body");
        String query = signer().presignedQuery("PUT", path, Map.of("X-Amz-Content-Sha256", hash),
                new TreeMap<>(Map.of("host", server.getEndpoint().getRawAuthority())), hash, 300);
        URI url = URI.create(server.getEndpoint() + path + "?" + query);

        HttpResponse<String> other = HandSigner.send("PUT", url, Map.of(), "another body".getBytes(StandardCharsets.UTF_8));
        assertError(other, 400, "XAmzContentSHA256Mismatch");
        assertFalse(exists("presigned-hash.txt"));

        HttpResponse<String> signed = HandSigner.send("PUT", url, Map.of(), "the signed body".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, signed.statusCode(), signed.body());
        assertEquals("the signed body", s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("presigned-hash.txt")).asUtf8String());
    }

    @Test
    void aContentSha256ThatIsNeitherAHashNorADefinedValueIsInvalidArgument() throws Exception {
        byte[] body = "body".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = headerSigned(signer(), "PUT", "bogus-hash.txt", body, "NOT-A-HASH", Map.of(), Map.of());
        assertError(response, 400, "InvalidArgument");
        assertTrue(response.body().contains("x-amz-content-sha256 must be UNSIGNED-PAYLOAD"), response.body());
        assertTrue(response.body().contains("<ArgumentName>x-amz-content-sha256</ArgumentName>"), response.body());
        assertFalse(exists("bogus-hash.txt"));
    }

    @Test
    void aSigV4aStreamingPayloadIsNotImplemented() throws Exception {
        byte[] body = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> response = headerSigned(signer(), "PUT", "ecdsa.txt", body,
                "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
                Map.of("content-encoding", "aws-chunked", "x-amz-decoded-content-length", "0"), Map.of());
        assertError(response, 501, "NotImplemented");
        assertFalse(exists("ecdsa.txt"));
    }

    @Test
    void anAnonymousServerStillRefusesAMalformedContentSha256() throws Exception {
        try (S3iteServer open = new S3iteServer().withAnonymousAccess().withBucket("open").start()) {
            HttpResponse<String> response = HandSigner.send("PUT", URI.create(open.getEndpoint() + "/open/k"),
                    Map.of("x-amz-content-sha256", "STREAMING-SOMETHING-ELSE"), "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertError(response, 400, "InvalidArgument");
        }
    }

    @Test
    void theCrtClientSignsEveryAmzHeaderItSendsInPartsAndCopies() {
        byte[] data = new byte[9 * 1024 * 1024 + 3];
        new java.util.Random(7).nextBytes(data);
        try (S3AsyncClient crt = S3AsyncClient.crtBuilder()
                .endpointOverride(server.getEndpoint())
                .region(Region.of(server.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .forcePathStyle(true)
                .minimumPartSizeInBytes(8L * 1024 * 1024)
                .build()) {
            crt.putObject(b -> b.bucket(BUCKET).key("crt-large").metadata(Map.of("owner", "alice")).tagging("a=b")
                    .checksumAlgorithm(ChecksumAlgorithm.CRC32), AsyncRequestBody.fromBytes(data)).join();
            crt.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("crt-large").destinationBucket(BUCKET).destinationKey("crt-copy"))
                    .join();
            byte[] back = crt.getObject(b -> b.bucket(BUCKET).key("crt-copy"), AsyncResponseTransformer.toBytes()).join()
                    .asByteArray();
            assertArrayEquals(data, back);
        }
    }
}
