package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.GetBucketCorsResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * CORS through the AWS SDK v2 (Put/Get/DeleteBucketCors) and through real, unsigned {@code OPTIONS}
 * preflights and actual requests with an {@code Origin}, against servers that require signatures.
 */
class CorsEndToEndTest {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String APP = "https://app.example.com";
    private static S3iteServer server;
    private static S3iteServer permissive;
    private static S3Client s3;
    private String bucket;

    @BeforeAll
    static void start() {
        server = new S3iteServer().start();
        s3 = server.createClient();
        permissive = new S3iteServer().withPermissiveCors(true).start();
    }

    @AfterAll
    static void stop() {
        server.stop();
        permissive.stop();
    }

    @BeforeEach
    void newBucket() {
        bucket = "cors-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket));
        s3.putObject(b -> b.bucket(bucket).key("photo.jpg"), RequestBody.fromString("jpeg"));
    }

    private static S3Exception assertS3Error(int status, String code, Executable request) {
        S3Exception error = assertThrows(S3Exception.class, request);
        assertEquals(status, error.statusCode(), error.getMessage());
        assertEquals(code, error.awsErrorDetails().errorCode(), error.getMessage());
        return error;
    }

    private static final CORSRule UPLOADS = CORSRule.builder().id("uploads").allowedOrigins(APP)
            .allowedMethods("PUT", "POST").allowedHeaders("content-type", "x-amz-*").exposeHeaders("ETag")
            .maxAgeSeconds(3000).build();
    private static final CORSRule READS = CORSRule.builder().allowedOrigins("*").allowedMethods("GET", "HEAD").build();

    private void putRules(CORSRule... rules) {
        s3.putBucketCors(b -> b.bucket(bucket).corsConfiguration(c -> c.corsRules(rules)));
    }

    private static HttpResponse<String> options(S3iteServer on, String path, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(on.getEndpoint() + path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    private static void assertRefused(HttpResponse<String> response, int status, String code, String message) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.body().contains("<Code>" + code + "</Code>"), response.body());
        assertTrue(response.body().contains(message), response.body());
        assertFalse(response.headers().firstValue("Access-Control-Allow-Origin").isPresent(), response.headers().toString());
    }

    private static HttpResponse<String> get(URI uri, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofSeconds(10));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI presignedGet(S3iteServer on, String bucket, String key) {
        S3Presigner presigner = on.createPresigner();
        return URI.create(presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .getObjectRequest(g -> g.bucket(bucket).key(key))).url().toString());
    }

    @Test
    void rulesArePutReturnedAndDeleted() {
        S3Exception none = assertS3Error(404, "NoSuchCORSConfiguration", () -> s3.getBucketCors(b -> b.bucket(bucket)));
        assertEquals("The CORS configuration does not exist", none.awsErrorDetails().errorMessage());
        putRules(UPLOADS, READS);
        GetBucketCorsResponse cors = s3.getBucketCors(b -> b.bucket(bucket));
        assertEquals(List.of(UPLOADS, READS), cors.corsRules());
        putRules(READS);
        assertEquals(List.of(READS), s3.getBucketCors(b -> b.bucket(bucket)).corsRules());
        s3.deleteBucketCors(b -> b.bucket(bucket));
        assertS3Error(404, "NoSuchCORSConfiguration", () -> s3.getBucketCors(b -> b.bucket(bucket)));
        s3.deleteBucketCors(b -> b.bucket(bucket));
        assertS3Error(404, "NoSuchBucket", () -> s3.getBucketCors(b -> b.bucket("no-such-bucket")));
    }

    @Test
    void malformedConfigurationsAreRefusedAsS3RefusesThem() throws Exception {
        assertS3Error(400, "MalformedXML", () -> s3.putBucketCors(b -> b.bucket(bucket)
                .corsConfiguration(c -> c.corsRules(List.of()))));
        assertS3Error(400, "MalformedXML", () -> putRules(CORSRule.builder().allowedMethods("GET").build()));
        assertS3Error(400, "MalformedXML", () -> putRules(CORSRule.builder().allowedOrigins("*").build()));
        S3Exception method = assertS3Error(400, "InvalidRequest",
                () -> putRules(CORSRule.builder().allowedOrigins("*").allowedMethods("PATCH").build()));
        assertEquals("Found unsupported HTTP method in CORS config. Unsupported method is PATCH",
                method.awsErrorDetails().errorMessage());
        S3Exception origin = assertS3Error(400, "InvalidRequest",
                () -> putRules(CORSRule.builder().allowedOrigins("https://*.*.example.com").allowedMethods("GET").build()));
        assertEquals("AllowedOrigin \"https://*.*.example.com\" can not have more than one wildcard.",
                origin.awsErrorDetails().errorMessage());
        assertS3Error(400, "InvalidRequest", () -> putRules(CORSRule.builder().allowedOrigins("*")
                .allowedMethods("GET").allowedHeaders("x-*-*").build()));
        CORSRule[] tooMany = new CORSRule[101];
        java.util.Arrays.fill(tooMany, READS);
        assertS3Error(400, "InvalidRequest", () -> putRules(tooMany));
        assertS3Error(404, "NoSuchCORSConfiguration", () -> s3.getBucketCors(b -> b.bucket(bucket)));
    }

    @Test
    void anAllowedPreflightIsAnsweredUnsigned() throws Exception {
        putRules(UPLOADS, READS);
        HttpResponse<String> answer = options(server, "/" + bucket + "/uploads/new.jpg", Map.of("Origin", APP,
                "Access-Control-Request-Method", "PUT",
                "Access-Control-Request-Headers", "Content-Type, X-Amz-Date, x-amz-content-sha256"));
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("", answer.body());
        assertEquals(APP, header(answer, "Access-Control-Allow-Origin"));
        assertEquals("PUT, POST", header(answer, "Access-Control-Allow-Methods"));
        assertEquals("content-type, x-amz-date, x-amz-content-sha256", header(answer, "Access-Control-Allow-Headers"));
        assertEquals("ETag", header(answer, "Access-Control-Expose-Headers"));
        assertEquals("3000", header(answer, "Access-Control-Max-Age"));
        assertEquals("true", header(answer, "Access-Control-Allow-Credentials"));
        assertTrue(header(answer, "Vary").startsWith("Origin"), header(answer, "Vary"));

        HttpResponse<String> anyone = options(server, "/" + bucket + "/photo.jpg",
                Map.of("Origin", "https://elsewhere.net", "Access-Control-Request-Method", "GET"));
        assertEquals(200, anyone.statusCode(), anyone.body());
        assertEquals("*", header(anyone, "Access-Control-Allow-Origin"));
        assertEquals("GET, HEAD", header(anyone, "Access-Control-Allow-Methods"));
        assertEquals("OPTIONS", server.getRequests("CorsPreflight").get(0).method());
    }

    @Test
    void aPreflightNoRuleAllowsIsRefused() throws Exception {
        String path = "/" + bucket + "/photo.jpg";
        HttpResponse<String> noConfiguration = options(server, path,
                Map.of("Origin", APP, "Access-Control-Request-Method", "GET"));
        assertRefused(noConfiguration, 403, "AccessForbidden", "CORSResponse: CORS is not enabled for this bucket.");
        assertTrue(noConfiguration.body().contains("<Method>GET</Method><ResourceType>OBJECT</ResourceType>"),
                noConfiguration.body());

        putRules(UPLOADS, READS);
        HttpResponse<String> wrongOrigin = options(server, path,
                Map.of("Origin", "https://evil.example.net", "Access-Control-Request-Method", "PUT"));
        assertRefused(wrongOrigin, 403, "AccessForbidden", "CORSResponse: This CORS request is not allowed.");
        assertTrue(wrongOrigin.body().contains("<Method>PUT</Method>"), wrongOrigin.body());
        assertRefused(options(server, "/" + bucket, Map.of("Origin", APP, "Access-Control-Request-Method", "DELETE")),
                403, "AccessForbidden", "<ResourceType>BUCKET</ResourceType>");
        assertRefused(options(server, path, Map.of("Origin", APP, "Access-Control-Request-Method", "PUT",
                "Access-Control-Request-Headers", "authorization")), 403, "AccessForbidden", "CORSResponse");
        assertRefused(options(server, path, Map.of("Access-Control-Request-Method", "GET")), 400, "BadRequest",
                "Insufficient information. Origin request header needed.");
        assertRefused(options(server, path, Map.of("Origin", APP)), 400, "BadRequest",
                "Invalid Access-Control-Request-Method: null");
        assertRefused(options(server, path, Map.of("Origin", APP, "Access-Control-Request-Method", "PATCH")), 400,
                "BadRequest", "Invalid Access-Control-Request-Method: PATCH");
        assertRefused(options(server, "/no-such-bucket/k", Map.of("Origin", APP, "Access-Control-Request-Method", "GET")),
                403, "AccessForbidden", "CORSResponse: Bucket not found");
    }

    @Test
    void replacedAndDeletedRulesTakeEffectAtOnce() throws Exception {
        String path = "/" + bucket + "/photo.jpg";
        Map<String, String> put = Map.of("Origin", APP, "Access-Control-Request-Method", "PUT");
        putRules(UPLOADS);
        assertEquals(200, options(server, path, put).statusCode());

        putRules(READS);
        assertRefused(options(server, path, put), 403, "AccessForbidden", "CORSResponse: This CORS request is not allowed.");

        s3.deleteBucketCors(b -> b.bucket(bucket));
        assertRefused(options(server, path, Map.of("Origin", APP, "Access-Control-Request-Method", "GET")), 403,
                "AccessForbidden", "CORSResponse: CORS is not enabled for this bucket.");
    }

    @Test
    void anActualRequestWithAnAllowedOriginGetsCorsHeaders() throws Exception {
        putRules(UPLOADS, CORSRule.builder().allowedOrigins("https://*.example.org").allowedMethods("GET")
                .exposeHeaders("x-amz-request-id", "Content-Length").maxAgeSeconds(60).build());
        URI url = presignedGet(server, bucket, "photo.jpg");
        HttpResponse<String> allowed = get(url, "https://shop.example.org");
        assertEquals(200, allowed.statusCode(), allowed.body());
        assertEquals("jpeg", allowed.body());
        assertEquals("https://shop.example.org", header(allowed, "Access-Control-Allow-Origin"));
        assertEquals("GET", header(allowed, "Access-Control-Allow-Methods"));
        assertEquals("x-amz-request-id, Content-Length", header(allowed, "Access-Control-Expose-Headers"));
        assertEquals("60", header(allowed, "Access-Control-Max-Age"));
        assertEquals("true", header(allowed, "Access-Control-Allow-Credentials"));
        assertTrue(header(allowed, "Vary").contains("Origin"));

        HttpResponse<String> otherOrigin = get(url, APP);
        assertEquals(200, otherOrigin.statusCode());
        assertEquals(null, header(otherOrigin, "Access-Control-Allow-Origin"));
        assertTrue(header(otherOrigin, "Vary").contains("Origin"));

        HttpResponse<String> noOrigin = get(url, null);
        assertEquals(null, header(noOrigin, "Access-Control-Allow-Origin"));
        assertEquals(null, header(noOrigin, "Vary"));

        // an error is answered with the CORS headers too, so that the page can read it
        HttpResponse<String> missing = get(presignedGet(server, bucket, "missing.jpg"), "https://shop.example.org");
        assertEquals(404, missing.statusCode());
        assertEquals("https://shop.example.org", header(missing, "Access-Control-Allow-Origin"));
    }

    @Test
    void theInJvmServerIsNotPermissiveUnlessAsked() throws Exception {
        URI url = presignedGet(server, bucket, "photo.jpg");
        assertEquals(null, header(get(url, APP), "Access-Control-Allow-Origin"));
        assertEquals(403, options(server, "/" + bucket + "/photo.jpg",
                Map.of("Origin", APP, "Access-Control-Request-Method", "PUT")).statusCode());
    }

    @Test
    void aPermissiveServerAllowsEverythingForBucketsWithoutRules() throws Exception {
        S3Client client = permissive.createClient();
        client.createBucket(b -> b.bucket("open"));
        client.putObject(b -> b.bucket("open").key("photo.jpg"), RequestBody.fromString("jpeg"));
        HttpResponse<String> preflight = options(permissive, "/open/photo.jpg", Map.of("Origin", "http://localhost:5173",
                "Access-Control-Request-Method", "DELETE", "Access-Control-Request-Headers", "authorization,x-amz-date"));
        assertEquals(200, preflight.statusCode(), preflight.body());
        assertEquals("http://localhost:5173", header(preflight, "Access-Control-Allow-Origin"));
        assertTrue(header(preflight, "Access-Control-Allow-Methods").contains("DELETE"));
        assertEquals("authorization, x-amz-date", header(preflight, "Access-Control-Allow-Headers"));
        HttpResponse<String> actual = get(presignedGet(permissive, "open", "photo.jpg"), "http://localhost:5173");
        assertEquals(200, actual.statusCode());
        assertEquals("http://localhost:5173", header(actual, "Access-Control-Allow-Origin"));
        assertTrue(header(actual, "Access-Control-Expose-Headers").contains("ETag"));

        // a bucket with rules follows them, permissive server or not
        client.createBucket(b -> b.bucket("ruled"));
        client.putBucketCors(b -> b.bucket("ruled").corsConfiguration(c -> c.corsRules(UPLOADS)));
        assertEquals(403, options(permissive, "/ruled/k", Map.of("Origin", "http://localhost:5173",
                "Access-Control-Request-Method", "PUT")).statusCode());
        assertEquals(200, options(permissive, "/ruled/k", Map.of("Origin", APP,
                "Access-Control-Request-Method", "PUT")).statusCode());
    }
}
