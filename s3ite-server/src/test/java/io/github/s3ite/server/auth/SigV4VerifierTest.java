package io.github.s3ite.server.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Signature Version 4 against the examples AWS publishes for S3 ("Signature Calculations for the
 * Authorization Header", "Authenticating Requests: Using Query Parameters" and "Transferring
 * Payload in Multiple Chunks"): credentials AKIAIOSFODNN7EXAMPLE, 2013-05-24, us-east-1.
 */
class SigV4VerifierTest {
    private static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final Instant SIGNED_AT = Instant.parse("2013-05-24T00:00:00Z");
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String SCOPE = "Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request";

    private final SigV4Verifier verifier = verifierAt(SIGNED_AT);

    private static SigV4Verifier verifierAt(Instant now) {
        return new SigV4Verifier(Map.of(ACCESS_KEY, SECRET_KEY), "us-east-1", Clock.fixed(now, ZoneOffset.UTC));
    }

    private static Map<String, List<String>> headers(String... namesAndValues) {
        Map<String, List<String>> headers = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.put(namesAndValues[i], List.of(namesAndValues[i + 1]));
        }
        return headers;
    }

    private static String authorization(String signedHeaders, String signature) {
        return "AWS4-HMAC-SHA256 " + SCOPE + ",SignedHeaders=" + signedHeaders + ",Signature=" + signature;
    }

    private static SignedRequest getObjectExample(String signature) {
        return new SignedRequest("GET", "/test.txt", null, headers(
                "host", "examplebucket.s3.amazonaws.com",
                "range", "bytes=0-9",
                "x-amz-content-sha256", EMPTY_SHA256,
                "x-amz-date", "20130524T000000Z",
                "authorization", authorization("host;range;x-amz-content-sha256;x-amz-date", signature)));
    }

    @Test
    void publishedGetObjectExampleVerifies() {
        Authentication auth = verifier.verify(getObjectExample(
                "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
        assertEquals(ACCESS_KEY, auth.accessKey());
    }

    @Test
    void publishedPutObjectExampleVerifiesItsPayloadHash() throws IOException {
        String payloadHash = "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072";
        SignedRequest request = new SignedRequest("PUT", "/test%24file.text", null, headers(
                "host", "examplebucket.s3.amazonaws.com",
                "date", "Fri, 24 May 2013 00:00:00 GMT",
                "x-amz-date", "20130524T000000Z",
                "x-amz-storage-class", "REDUCED_REDUNDANCY",
                "x-amz-content-sha256", payloadHash,
                "authorization", authorization("date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
                        "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")));
        Authentication auth = verifier.verify(request);
        byte[] body = "Welcome to Amazon S3.".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(body, auth.decodedBody(new ByteArrayInputStream(body)).readAllBytes());
        Authentication again = verifier.verify(request);
        InputStream tampered = again.decodedBody(new ByteArrayInputStream("Welcome to Amazon S4.".getBytes(StandardCharsets.UTF_8)));
        S3Exception error = assertThrows(S3Exception.class, tampered::readAllBytes);
        assertEquals(S3ErrorCode.XAMZ_CONTENT_SHA256_MISMATCH, error.error());
    }

    @Test
    void publishedGetBucketLifecycleExampleVerifies() {
        verifier.verify(new SignedRequest("GET", "/", "lifecycle", headers(
                "host", "examplebucket.s3.amazonaws.com",
                "x-amz-date", "20130524T000000Z",
                "x-amz-content-sha256", EMPTY_SHA256,
                "authorization", authorization("host;x-amz-content-sha256;x-amz-date",
                        "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"))));
    }

    @Test
    void publishedListObjectsExampleVerifies() {
        verifier.verify(new SignedRequest("GET", "/", "max-keys=2&prefix=J", headers(
                "host", "examplebucket.s3.amazonaws.com",
                "x-amz-date", "20130524T000000Z",
                "x-amz-content-sha256", EMPTY_SHA256,
                "authorization", authorization("host;x-amz-content-sha256;x-amz-date",
                        "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"))));
    }

    private static final String PRESIGNED_QUERY = "X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

    @Test
    void publishedPresignedUrlExampleVerifiesWithinItsLifetime() {
        SignedRequest request = new SignedRequest("GET", "/test.txt", PRESIGNED_QUERY,
                headers("host", "examplebucket.s3.amazonaws.com"));
        assertEquals(ACCESS_KEY, verifierAt(SIGNED_AT.plusSeconds(86_399)).verify(request).accessKey());
        S3Exception expired = assertThrows(S3Exception.class,
                () -> verifierAt(SIGNED_AT.plusSeconds(86_401)).verify(request));
        assertEquals(S3ErrorCode.ACCESS_DENIED, expired.error());
        assertEquals("Request has expired", expired.getMessage());
    }

    @Test
    void publishedChunkedUploadExampleDecodesAndVerifiesEveryChunk() throws IOException {
        Authentication auth = verifier.verify(chunkedExampleRequest());
        byte[] decoded = auth.decodedBody(new ByteArrayInputStream(chunkedExampleBody(false))).readAllBytes();
        byte[] expected = new byte[66560];
        Arrays.fill(expected, (byte) 'a');
        assertArrayEquals(expected, decoded);
        assertEquals(66560, auth.decodedContentLength());
    }

    @Test
    void aTamperedChunkIsSignatureDoesNotMatch() {
        Authentication auth = verifier.verify(chunkedExampleRequest());
        InputStream body = auth.decodedBody(new ByteArrayInputStream(chunkedExampleBody(true)));
        S3Exception error = assertThrows(S3Exception.class, body::readAllBytes);
        assertEquals(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, error.error());
    }

    private static SignedRequest chunkedExampleRequest() {
        return new SignedRequest("PUT", "/examplebucket/chunkObject.txt", null, headers(
                "host", "s3.amazonaws.com",
                "x-amz-date", "20130524T000000Z",
                "x-amz-storage-class", "REDUCED_REDUNDANCY",
                "x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
                "content-encoding", "aws-chunked",
                "x-amz-decoded-content-length", "66560",
                "content-length", "66824",
                "authorization", authorization("content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
                        + "x-amz-decoded-content-length;x-amz-storage-class",
                        "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")));
    }

    private static byte[] chunkedExampleBody(boolean tamper) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] first = new byte[65536];
        Arrays.fill(first, (byte) 'a');
        if (tamper) {
            first[1000] = 'b';
        }
        byte[] second = new byte[1024];
        Arrays.fill(second, (byte) 'a');
        writeChunk(body, first, "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648");
        writeChunk(body, second, "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497");
        writeChunk(body, new byte[0], "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9");
        return body.toByteArray();
    }

    private static void writeChunk(ByteArrayOutputStream body, byte[] data, String signature) {
        body.writeBytes((Integer.toHexString(data.length) + ";chunk-signature=" + signature + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(data);
        body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void wrongSecretIsSignatureDoesNotMatch() {
        SigV4Verifier otherSecret = new SigV4Verifier(Map.of(ACCESS_KEY, "another-secret"), "us-east-1",
                Clock.fixed(SIGNED_AT, ZoneOffset.UTC));
        S3Exception error = assertThrows(S3Exception.class, () -> otherSecret.verify(getObjectExample(
                "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")));
        assertEquals(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, error.error());
    }

    @Test
    void unknownAccessKeyIsInvalidAccessKeyId() {
        SigV4Verifier otherKey = new SigV4Verifier(Map.of("AKIAOTHER", SECRET_KEY), "us-east-1", Clock.fixed(SIGNED_AT, ZoneOffset.UTC));
        S3Exception error = assertThrows(S3Exception.class, () -> otherKey.verify(getObjectExample(
                "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")));
        assertEquals(S3ErrorCode.INVALID_ACCESS_KEY_ID, error.error());
    }

    @Test
    void aClockMoreThanFifteenMinutesOffIsRequestTimeTooSkewed() {
        S3Exception error = assertThrows(S3Exception.class, () -> verifierAt(SIGNED_AT.plusSeconds(16 * 60))
                .verify(getObjectExample("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")));
        assertEquals(S3ErrorCode.REQUEST_TIME_TOO_SKEWED, error.error());
    }

    @Test
    void malformedAuthorizationHeaderIsAuthorizationHeaderMalformed() {
        SignedRequest request = new SignedRequest("GET", "/", null, headers(
                "host", "examplebucket.s3.amazonaws.com", "x-amz-date", "20130524T000000Z",
                "authorization", "AWS4-HMAC-SHA256 Credential=only"));
        assertEquals(S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED,
                assertThrows(S3Exception.class, () -> verifier.verify(request)).error());
    }

    @Test
    void noSignatureAtAllIsAnonymousForAuthorizationToJudge() {
        SignedRequest request = new SignedRequest("GET", "/", null, headers("host", "localhost"));
        assertNull(verifier.verify(request).accessKey());
    }

    @Test
    void unsignedTrailerBodyDecodesAndExposesTheChecksumTrailer() throws IOException {
        SigV4Verifier anonymous = new SigV4Verifier(Map.of(), "us-east-1", Clock.systemUTC());
        SignedRequest request = new SignedRequest("PUT", "/bucket/key", null, headers(
                "host", "localhost",
                "x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
                "content-encoding", "aws-chunked",
                "x-amz-decoded-content-length", "11",
                "x-amz-trailer", "x-amz-checksum-crc32"));
        Authentication auth = anonymous.verify(request);
        byte[] raw = "b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals("hello world", new String(auth.decodedBody(new ByteArrayInputStream(raw)).readAllBytes(),
                StandardCharsets.UTF_8));
        assertEquals(Map.of("x-amz-checksum-crc32", "DUoRhQ=="), auth.trailers());
    }

    @Test
    void aTruncatedChunkedBodyIsIncompleteBody() {
        SigV4Verifier anonymous = new SigV4Verifier(Map.of(), "us-east-1", Clock.systemUTC());
        Authentication auth = anonymous.verify(new SignedRequest("PUT", "/bucket/key", null, headers(
                "host", "localhost", "x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
                "x-amz-decoded-content-length", "11")));
        InputStream body = auth.decodedBody(new ByteArrayInputStream("b\r\nhello".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(S3ErrorCode.INCOMPLETE_BODY, assertThrows(S3Exception.class, body::readAllBytes).error());
    }

    @Test
    void aScopeForAnotherRegionIsAuthorizationHeaderMalformedNamingThisServersRegion() {
        SigV4Verifier inIreland = new SigV4Verifier(Map.of(ACCESS_KEY, SECRET_KEY), "eu-west-1", Clock.fixed(SIGNED_AT, ZoneOffset.UTC));
        S3Exception error = assertThrows(S3Exception.class, () -> inIreland.verify(getObjectExample(
                "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")));
        assertEquals(S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED, error.error());
        assertEquals("The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'",
                error.getMessage());
        assertEquals(Map.of("Region", "eu-west-1"), error.details());
    }

    @Test
    void aPresignedScopeForAnotherRegionIsAuthorizationQueryParametersError() {
        SigV4Verifier inIreland = new SigV4Verifier(Map.of(ACCESS_KEY, SECRET_KEY), "eu-west-1", Clock.fixed(SIGNED_AT, ZoneOffset.UTC));
        S3Exception error = assertThrows(S3Exception.class, () -> inIreland.verify(new SignedRequest("GET", "/test.txt",
                PRESIGNED_QUERY, headers("host", "examplebucket.s3.amazonaws.com"))));
        assertEquals(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR, error.error());
        assertEquals("eu-west-1", error.details().get("Region"));
    }

    @Test
    void anUnsignedAmzHeaderBesideAValidSignatureIsAccessDeniedNamingIt() {
        SignedRequest request = getObjectExample("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
        request.headers().put("x-amz-copy-source", List.of("/other/key"));
        request.headers().put("x-amz-acl", List.of("public-read"));
        S3Exception error = assertThrows(S3Exception.class, () -> verifier.verify(request));
        assertEquals(S3ErrorCode.ACCESS_DENIED, error.error());
        assertEquals("There were headers present in the request which were not signed", error.getMessage());
        assertEquals(Map.of("HeadersNotSigned", "x-amz-acl, x-amz-copy-source"), error.details());
    }

    @Test
    void anUnsignedAmzHeaderBesideAPresignedUrlIsAccessDenied() {
        SignedRequest request = new SignedRequest("GET", "/test.txt", PRESIGNED_QUERY,
                headers("host", "examplebucket.s3.amazonaws.com", "x-amz-meta-a", "b"));
        S3Exception error = assertThrows(S3Exception.class, () -> verifierAt(SIGNED_AT.plusSeconds(60)).verify(request));
        assertEquals(S3ErrorCode.ACCESS_DENIED, error.error());
        assertEquals(Map.of("HeadersNotSigned", "x-amz-meta-a"), error.details());
    }

    @Test
    void aContentSha256OfNoDefinedFormIsInvalidArgumentEvenWhenAnonymous() {
        SigV4Verifier anonymous = new SigV4Verifier(Map.of(), "us-east-1", Clock.systemUTC());
        for (String value : List.of("UNSIGNED", "streaming-unsigned-payload-trailer", "e3b0c442", "STREAMING-AWS4-HMAC-SHA256")) {
            S3Exception error = assertThrows(S3Exception.class, () -> anonymous.verify(new SignedRequest("PUT", "/b/k", null,
                    headers("host", "localhost", "x-amz-content-sha256", value))), value);
            assertEquals(S3ErrorCode.INVALID_ARGUMENT, error.error(), value);
        }
        S3Exception ecdsa = assertThrows(S3Exception.class, () -> anonymous.verify(new SignedRequest("PUT", "/b/k", null,
                headers("host", "localhost", "x-amz-content-sha256", "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER"))));
        assertEquals(S3ErrorCode.NOT_IMPLEMENTED, ecdsa.error());
    }
}
