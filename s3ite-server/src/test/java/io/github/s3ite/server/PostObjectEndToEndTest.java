package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * POST Object, browser form uploads: real {@code multipart/form-data} requests with POST policies
 * signed by hand (Signature Version 4 and 2) and by boto3's {@code generate_presigned_post}, what
 * each condition refuses, anonymous uploads where an ACL allows them, and the memory they take.
 */
class PostObjectEndToEndTest {
    private static final String OWNER_KEY = "owner-key";
    private static final String OWNER_SECRET = "owner-secret";
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3iteServer server;
    private static S3Client owner;
    private String bucket;

    @BeforeAll
    static void start() {
        server = new S3iteServer().withCredentials(OWNER_KEY, OWNER_SECRET).withUser("bob", "bob-secret").start();
        owner = server.createClient();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void newBucket() {
        server.clearRequests();
        bucket = "forms-" + BUCKETS.incrementAndGet();
        owner.createBucket(b -> b.bucket(bucket));
    }

    private URI bucketUrl() {
        return URI.create(server.getEndpoint() + "/" + bucket);
    }

    /** A form for {@code key} in this test's bucket whose policy names the bucket, the key and {@code conditions}. */
    private BrowserForm form(String key, String... conditions) {
        BrowserForm form = BrowserForm.create().field("key", key)
                .condition("{\"bucket\": \"" + bucket + "\"}").condition("[\"starts-with\", \"$key\", \"\"]");
        for (String condition : conditions) {
            form.condition(condition);
        }
        return form;
    }

    private String get(String key) {
        return owner.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
    }

    private void assertNotStored(String key) {
        assertThrows(NoSuchKeyException.class, () -> owner.headObject(b -> b.bucket(bucket).key(key)));
    }

    private static void assertError(HttpResponse<String> answer, int status, String code, String message) {
        assertEquals(status, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("<Code>" + code + "</Code>"), answer.body());
        if (message != null) {
            assertTrue(answer.body().contains("<Message>" + message + "</Message>"), answer.body());
        }
    }

    /**
     * Posts the form reading the answer while its body is still being sent, as a browser does. The
     * server answers a form it refuses before it has read all of it, drops a bounded part of the
     * rest and closes the connection; java.net.http gives up at the broken pipe that leaves on its
     * side, without reading the answer, so that whether it saw one depended on how far it had got.
     */
    private static RawHttp.Response postReadingTheAnswerEarly(URI endpoint, String path, BrowserForm form) throws Exception {
        byte[] body = form.body();
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + endpoint.getHost() + ":" + endpoint.getPort()
                + "\r\nContent-Type: " + form.contentType() + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        try (RawHttp connection = new RawHttp(endpoint)) {
            connection.send(head);
            Thread sender = new Thread(() -> {
                try {
                    connection.send(body);
                } catch (IOException closed) {
                    // the server answered and closed: the answer is read below
                }
            });
            sender.start();
            RawHttp.Response answer = connection.read();
            sender.join(TimeUnit.SECONDS.toMillis(30));
            return answer;
        }
    }

    private static String md5Hex(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    @Test
    void aV4SignedFormIsStoredWithItsFieldsAndAnswered204WithETagAndLocation() throws Exception {
        byte[] content = "Hello from a browser\r\n--not a boundary\r\n".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> answer = form("notes/hello.txt", "[\"starts-with\", \"$Content-Type\", \"text/\"]",
                "{\"x-amz-meta-color\": \"Teal\"}", "{\"Cache-Control\": \"max-age=60\"}",
                "[\"starts-with\", \"$Content-Disposition\", \"\"]")
                .field("Content-Type", "text/plain; charset=utf-8").field("X-Amz-Meta-Color", "Teal")
                .field("cache-control", "max-age=60").field("Content-Disposition", "inline")
                .file("hello.txt", "application/octet-stream", content)
                .signV4(OWNER_KEY, OWNER_SECRET, "us-east-1").post(bucketUrl());

        assertEquals(204, answer.statusCode(), answer.body());
        assertEquals("\"" + md5Hex(content) + "\"", answer.headers().firstValue("ETag").orElseThrow());
        assertEquals(bucketUrl() + "/notes%2Fhello.txt", answer.headers().firstValue("Location").orElseThrow());
        ResponseBytes<GetObjectResponse> stored = owner.getObjectAsBytes(b -> b.bucket(bucket).key("notes/hello.txt"));
        assertArrayEquals(content, stored.asByteArray());
        assertEquals("text/plain; charset=utf-8", stored.response().contentType());
        assertEquals(Map.of("color", "Teal"), stored.response().metadata());
        assertEquals("max-age=60", stored.response().cacheControl());
        assertEquals("inline", stored.response().contentDisposition());
        assertEquals("PostObject", server.getRequests("PostObject").get(0).operation());
        assertEquals("notes/hello.txt", server.getRequests("PostObject").get(0).key());
    }

    @Test
    void successActionStatus201AnswersAPostResponseDocumentAnd200AnEmptyOne() throws Exception {
        HttpResponse<String> created = form("a.txt", "{\"success_action_status\": \"201\"}")
                .field("success_action_status", "201").file("a.txt", "aaa")
                .signV4(OWNER_KEY, OWNER_SECRET, "us-east-1").post(bucketUrl());
        assertEquals(201, created.statusCode(), created.body());
        String md5 = md5Hex("aaa".getBytes(StandardCharsets.UTF_8));
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PostResponse><Location>" + bucketUrl() + "/a.txt"
                + "</Location><Bucket>" + bucket + "</Bucket><Key>a.txt</Key><ETag>&quot;" + md5
                + "&quot;</ETag></PostResponse>", created.body());
        assertEquals("application/xml", created.headers().firstValue("Content-Type").orElseThrow());

        HttpResponse<String> ok = form("b.txt", "{\"success_action_status\": \"200\"}")
                .field("success_action_status", "200").file("b.txt", "bbb")
                .signV4(OWNER_KEY, OWNER_SECRET, "us-east-1").post(bucketUrl());
        assertEquals(200, ok.statusCode());
        assertEquals("", ok.body());

        HttpResponse<String> other = form("c.txt", "{\"success_action_status\": \"404\"}")
                .field("success_action_status", "404").file("c.txt", "ccc")
                .signV4(OWNER_KEY, OWNER_SECRET, "us-east-1").post(bucketUrl());
        assertEquals(204, other.statusCode());
        assertEquals("ccc", get("c.txt"));
    }

    @Test
    void successActionRedirectAnswers303ToItWithBucketKeyAndETag() throws Exception {
        String redirect = "https://app.example.com/done?upload=1";
        HttpResponse<String> answer = form("up/r.txt", "{\"success_action_redirect\": \"" + redirect + "\"}",
                "{\"success_action_status\": \"201\"}")
                .field("success_action_redirect", redirect).field("success_action_status", "201").file("r.txt", "rrr")
                .signV4(OWNER_KEY, OWNER_SECRET, "us-east-1").post(bucketUrl());
        assertEquals(303, answer.statusCode(), answer.body());
        String etag = md5Hex("rrr".getBytes(StandardCharsets.UTF_8));
        assertEquals(redirect + "&bucket=" + bucket + "&key=up%2Fr.txt&etag=%22" + etag + "%22",
                answer.headers().firstValue("Location").orElseThrow());

        HttpResponse<String> older = form("s.txt", "[\"starts-with\", \"$redirect\", \"http://\"]")
                .field("redirect", "http://app.example.com/").file("s.txt", "sss")
                .signV4(OWNER_KEY, OWNER_SECRET, "us-east-1").post(bucketUrl());
        assertEquals(303, older.statusCode(), older.body());
        assertTrue(older.headers().firstValue("Location").orElseThrow().startsWith("http://app.example.com/?bucket="));
    }

    @Test
    void theFilenameVariableInTheKeyIsTheFilesNameAndFieldsAfterTheFileAreIgnored() throws Exception {
        HttpResponse<String> answer = form("uploads/${filename}", "[\"starts-with\", \"$key\", \"uploads/\"]")
                .file("résumé final.txt", "cv")
                .fieldAfterFile("x-amz-meta-late", "ignored").fieldAfterFile("key", "elsewhere")
                .signV4(OWNER_KEY, OWNER_SECRET, "us-east-1").post(bucketUrl());
        assertEquals(204, answer.statusCode(), answer.body());
        ResponseBytes<GetObjectResponse> stored = owner.getObjectAsBytes(b -> b.bucket(bucket).key("uploads/résumé final.txt"));
        assertEquals("cv", stored.asUtf8String());
        assertEquals(Map.of(), stored.response().metadata());
        assertNotStored("elsewhere");
    }

    @Test
    void aV2SignedFormIsAcceptedAsBotoWithSignatureVersionS3MakesIt() throws Exception {
        HttpResponse<String> answer = form("v2.txt").file("v2.txt", "version two").signV2(OWNER_KEY, OWNER_SECRET)
                .post(bucketUrl());
        assertEquals(204, answer.statusCode(), answer.body());
        assertEquals("version two", get("v2.txt"));
        HttpResponse<String> forged = form("v2-forged.txt").file("f.txt", "x").signV2(OWNER_KEY, "wrong-secret")
                .post(bucketUrl());
        assertError(forged, 403, "SignatureDoesNotMatch", null);
        assertNotStored("v2-forged.txt");
    }

    @Test
    void anExpiredPolicyIsAccessDenied() throws Exception {
        HttpResponse<String> answer = form("late.txt").expiration(Instant.now().minusSeconds(5)).file("late.txt", "x")
                .signV4(OWNER_KEY, OWNER_SECRET, "us-east-1").post(bucketUrl());
        assertError(answer, 403, "AccessDenied", "Invalid according to Policy: Policy expired.");
        assertNotStored("late.txt");
    }

    @Test
    void aKeyOutsideTheStartsWithPrefixOrAnotherBucketFailsItsCondition() throws Exception {
        HttpResponse<String> outside = BrowserForm.create().field("key", "other/x.txt")
                .condition("{\"bucket\": \"" + bucket + "\"}").condition("[\"starts-with\", \"$key\", \"user/42/\"]")
                .file("x.txt", "x").signV4(OWNER_KEY, OWNER_SECRET, "us-east-1").post(bucketUrl());
        assertError(outside, 403, "AccessDenied",
                "Invalid according to Policy: Policy Condition failed: [&quot;starts-with&quot;, &quot;$key&quot;, &quot;user/42/&quot;]");
        assertNotStored("other/x.txt");

        HttpResponse<String> elsewhere = BrowserForm.create().field("key", "x.txt")
                .condition("{\"bucket\": \"another-bucket\"}").condition("[\"starts-with\", \"$key\", \"\"]")
                .file("x.txt", "x").signV4(OWNER_KEY, OWNER_SECRET, "us-east-1").post(bucketUrl());
        assertError(elsewhere, 403, "AccessDenied",
                "Invalid according to Policy: Policy Condition failed: [&quot;eq&quot;, &quot;$bucket&quot;, &quot;another-bucket&quot;]");
        assertNotStored("x.txt");
    }

    @Test
    void aFileOutsideTheContentLengthRangeIsRefusedAndNothingStored() throws Exception {
        HttpResponse<String> large = form("big.bin", "[\"content-length-range\", 1, 100]")
                .file("big.bin", "application/octet-stream", new byte[300_000])
                .signV4(OWNER_KEY, OWNER_SECRET, "us-east-1").post(bucketUrl());
        assertError(large, 400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
        assertTrue(large.body().contains("<ProposedSize>300000</ProposedSize><MaxSizeAllowed>100</MaxSizeAllowed>"),
                large.body());
        assertNotStored("big.bin");

        HttpResponse<String> small = form("small.bin", "[\"content-length-range\", 10, 100]")
                .file("small.bin", "tiny").signV4(OWNER_KEY, OWNER_SECRET, "us-east-1").post(bucketUrl());
        assertError(small, 400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size");
        assertTrue(small.body().contains("<ProposedSize>4</ProposedSize><MinSizeAllowed>10</MinSizeAllowed>"), small.body());
        assertNotStored("small.bin");
    }

    @Test
    void aFieldNoConditionNamesIsAnExtraInputField() throws Exception {
        HttpResponse<String> answer = form("extra.txt").field("x-amz-meta-note", "sneaked in")
                .field("x-ignore-tracking", "allowed").file("extra.txt", "x")
                .signV4(OWNER_KEY, OWNER_SECRET, "us-east-1").post(bucketUrl());
        assertError(answer, 403, "AccessDenied", "Invalid according to Policy: Extra input fields: x-amz-meta-note");
        assertNotStored("extra.txt");
    }

    @Test
    void aBadSignatureAnUnknownKeyOrAnotherRegionIsRefused() throws Exception {
        HttpResponse<String> forged = form("forged.txt").file("f.txt", "x").signV4(OWNER_KEY, "not-the-secret", "us-east-1")
                .post(bucketUrl());
        assertError(forged, 403, "SignatureDoesNotMatch", null);
        assertTrue(forged.body().contains("<AWSAccessKeyId>" + OWNER_KEY + "</AWSAccessKeyId>"), forged.body());

        HttpResponse<String> stranger = form("stranger.txt").file("f.txt", "x").signV4("AKIASTRANGER", "s", "us-east-1")
                .post(bucketUrl());
        assertError(stranger, 403, "InvalidAccessKeyId", null);

        HttpResponse<String> region = form("region.txt").file("f.txt", "x").signV4(OWNER_KEY, OWNER_SECRET, "eu-west-1")
                .post(bucketUrl());
        assertError(region, 400, "InvalidArgument", "the region &apos;eu-west-1&apos; is wrong; expecting &apos;us-east-1&apos;");
        assertTrue(region.body().contains("<Region>us-east-1</Region>"), region.body());

        HttpResponse<String> unsigned = form("half.txt").field("x-amz-algorithm", "AWS4-HMAC-SHA256").withPolicy()
                .file("f.txt", "x").post(bucketUrl());
        assertError(unsigned, 400, "InvalidArgument",
                "Bucket POST must contain a field named &apos;X-Amz-Signature&apos;.  If it is specified, please check the order of the fields.");
        for (String key : List.of("forged.txt", "stranger.txt", "region.txt", "half.txt")) {
            assertNotStored(key);
        }
    }

    @Test
    void aFormWithoutKeyOrFileOrWithAMalformedPolicyOrBodyIsABadRequest() throws Exception {
        HttpResponse<String> noKey = BrowserForm.create().file("f.txt", "x").fieldAfterFile("key", "late.txt")
                .post(bucketUrl());
        assertError(noKey, 400, "InvalidArgument",
                "Bucket POST must contain a field named &apos;key&apos;.  If it is specified, please check the order of the fields.");
        HttpResponse<String> noFile = BrowserForm.create().field("key", "k").withoutFile().post(bucketUrl());
        assertError(noFile, 400, "InvalidArgument", "POST requires exactly one file upload per request.");
        HttpResponse<String> badPolicy = BrowserForm.create().field("key", "k").field("policy", "not base64!")
                .field("AWSAccessKeyId", OWNER_KEY).field("signature", "x").file("f.txt", "x").post(bucketUrl());
        assertError(badPolicy, 403, "SignatureDoesNotMatch", null);
        HttpResponse<String> notJson = BrowserForm.create().field("key", "k").file("f.txt", "x")
                .condition("not json").signV4(OWNER_KEY, OWNER_SECRET, "us-east-1").post(bucketUrl());
        assertError(notJson, 400, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON.");

        HttpResponse<String> unended = HandSigner.send("POST", bucketUrl(),
                Map.of("Content-Type", "multipart/form-data; boundary=xyz"),
                "--xyz\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk".getBytes(StandardCharsets.UTF_8));
        assertError(unended, 400, "MalformedPOSTRequest", null);
        BrowserForm signed = form("k").file("f.txt", "the file, cut short").signV4(OWNER_KEY, OWNER_SECRET, "us-east-1");
        byte[] whole = signed.body();
        HttpResponse<String> truncated = HandSigner.send("POST", bucketUrl(), Map.of("Content-Type", signed.contentType()),
                java.util.Arrays.copyOf(whole, whole.length - 50));
        assertError(truncated, 400, "MalformedPOSTRequest", null);
        HttpResponse<String> notAForm = HandSigner.send("POST", bucketUrl(), Map.of("Content-Type", "text/plain"),
                "key=k".getBytes(StandardCharsets.UTF_8));
        assertError(notAForm, 400, "RequestIsNotMultiPartContent", null);
        assertNotStored("k");
    }

    @Test
    void fieldsBeforeTheFileAreLimitedTo20KiB() throws Exception {
        HttpResponse<String> answer = BrowserForm.create().field("key", "k").field("x-ignore-padding", "p".repeat(21 * 1024))
                .file("f.txt", "x").post(bucketUrl());
        assertError(answer, 400, "MaxPostPreDataLengthExceeded", null);
        assertTrue(answer.body().contains("<MaxPostPreDataLengthBytes>20480</MaxPostPreDataLengthBytes>"), answer.body());
    }

    @Test
    void aFormSignedByAUserWithoutWriteAccessIsAccessDenied() throws Exception {
        HttpResponse<String> answer = form("bobs.txt").file("f.txt", "x").signV4("bob", "bob-secret", "us-east-1")
                .post(bucketUrl());
        assertError(answer, 403, "AccessDenied", "Access Denied");
        assertNotStored("bobs.txt");
    }

    @Test
    void anAnonymousFormIsRefusedUnlessTheBucketAclGrantsEveryoneWrite() throws Exception {
        HttpResponse<String> refused = BrowserForm.create().field("key", "anon.txt").file("anon.txt", "x").post(bucketUrl());
        assertError(refused, 403, "AccessDenied", null);
        assertNotStored("anon.txt");

        String open = bucket + "-open";
        owner.createBucket(b -> b.bucket(open).objectOwnership(ObjectOwnership.OBJECT_WRITER));
        owner.deletePublicAccessBlock(b -> b.bucket(open));
        URI openUrl = URI.create(server.getEndpoint() + "/" + open);
        assertError(BrowserForm.create().field("key", "anon.txt").file("anon.txt", "x").post(openUrl), 403, "AccessDenied", null);
        owner.putBucketAcl(b -> b.bucket(open).acl(BucketCannedACL.PUBLIC_READ_WRITE));
        HttpResponse<String> allowed = BrowserForm.create().field("key", "anon.txt").field("Content-Type", "text/plain")
                .file("anon.txt", "from anyone").post(openUrl);
        assertEquals(204, allowed.statusCode(), allowed.body());
        assertEquals("from anyone", owner.getObjectAsBytes(b -> b.bucket(open).key("anon.txt")).asUtf8String());
    }

    /**
     * Needs bucket policies evaluated: skipped (not failed) while the server's BucketPolicy decides
     * nothing, and run as soon as it does.
     */
    @Test
    void anAnonymousFormIsAcceptedWhereABucketPolicyAllowsEveryonePutObject() throws Exception {
        String open = bucket + "-policy";
        owner.createBucket(b -> b.bucket(open));
        owner.deletePublicAccessBlock(b -> b.bucket(open));
        owner.putBucketPolicy(b -> b.bucket(open).policy("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
                + " \"Principal\": \"*\", \"Action\": [\"s3:PutObject\", \"s3:GetObject\"], \"Resource\": \"arn:aws:s3:::" + open
                + "/drop/*\"}]}"));
        owner.putObject(b -> b.bucket(open).key("drop/probe"), RequestBody.fromString("probe"));
        boolean policiesEvaluated;
        try (S3Client anonymous = server.createClient(null)) {
            policiesEvaluated = anonymous.getObjectAsBytes(b -> b.bucket(open).key("drop/probe")).asUtf8String().equals("probe");
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            policiesEvaluated = false;
        }
        assumeTrue(policiesEvaluated, "bucket policies are not evaluated by this build (BucketPolicy decides nothing yet)");
        URI openUrl = URI.create(server.getEndpoint() + "/" + open);
        HttpResponse<String> allowed = BrowserForm.create().field("key", "drop/anon.txt").file("a.txt", "dropped").post(openUrl);
        assertEquals(204, allowed.statusCode(), allowed.body());
        assertEquals("dropped", owner.getObjectAsBytes(b -> b.bucket(open).key("drop/anon.txt")).asUtf8String());
        assertError(BrowserForm.create().field("key", "elsewhere.txt").file("a.txt", "x").post(openUrl), 403, "AccessDenied", null);
    }

    @Test
    void aclAndTaggingFieldsApplyToTheNewObjectAndAVersionedBucketAnswersItsVersionId() throws Exception {
        String open = bucket + "-acl";
        owner.createBucket(b -> b.bucket(open).objectOwnership(ObjectOwnership.OBJECT_WRITER));
        owner.deletePublicAccessBlock(b -> b.bucket(open));
        owner.putBucketVersioning(b -> b.bucket(open).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        String tagging = "<Tagging><TagSet><Tag><Key>project</Key><Value>apollo</Value></Tag></TagSet></Tagging>";
        HttpResponse<String> answer = BrowserForm.create().field("key", "public.txt").field("acl", "public-read")
                .field("tagging", tagging).condition("{\"bucket\": \"" + open + "\"}").condition("{\"key\": \"public.txt\"}")
                .condition("{\"acl\": \"public-read\"}").condition("{\"tagging\": \"" + tagging + "\"}")
                .file("public.txt", "for all").signV4(OWNER_KEY, OWNER_SECRET, "us-east-1")
                .post(URI.create(server.getEndpoint() + "/" + open));
        assertEquals(204, answer.statusCode(), answer.body());
        String versionId = answer.headers().firstValue("x-amz-version-id").orElseThrow();
        assertEquals(versionId, owner.headObject(b -> b.bucket(open).key("public.txt")).versionId());
        try (S3Client anonymous = server.createClient(null)) {
            assertEquals("for all", anonymous.getObjectAsBytes(b -> b.bucket(open).key("public.txt")).asUtf8String());
        }
        assertEquals(List.of(Tag.builder().key("project").value("apollo").build()),
                owner.getObjectTagging(b -> b.bucket(open).key("public.txt")).tagSet());
    }

    @Test
    void aBrowserPostGetsTheCorsHeadersOfTheRuleThatAllowsIt() throws Exception {
        owner.putBucketCors(b -> b.bucket(bucket).corsConfiguration(c -> c.corsRules(CORSRule.builder()
                .allowedOrigins("https://app.example.com").allowedMethods("POST").exposeHeaders("ETag", "Location").build())));
        HttpResponse<String> answer = form("cors.txt").file("cors.txt", "x").signV4(OWNER_KEY, OWNER_SECRET, "us-east-1")
                .post(bucketUrl(), "Origin", "https://app.example.com");
        assertEquals(204, answer.statusCode(), answer.body());
        assertEquals("https://app.example.com", answer.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertEquals("ETag, Location", answer.headers().firstValue("Access-Control-Expose-Headers").orElseThrow());
        HttpResponse<String> refused = form("cors2.txt").expiration(Instant.now().minusSeconds(1)).file("c.txt", "x")
                .signV4(OWNER_KEY, OWNER_SECRET, "us-east-1").post(bucketUrl(), "Origin", "https://app.example.com");
        assertEquals(403, refused.statusCode());
        assertEquals("https://app.example.com", refused.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        HttpResponse<String> stranger = form("cors3.txt").file("c.txt", "x").signV4(OWNER_KEY, OWNER_SECRET, "us-east-1")
                .post(bucketUrl(), "Origin", "https://evil.example.com");
        assertNull(stranger.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    }

    @Test
    void boto3GeneratePresignedPostUploadsWithSignatureVersion4And2() throws Exception {
        assumeTrue(pythonWithBoto3AndRequests(), "python3 with boto3 and requests is not installed on this machine");
        for (String signatureVersion : List.of("s3v4", "s3")) {
            String key = "boto/" + signatureVersion + "/${filename}";
            JsonNode result = presignedPost(signatureVersion, key, "report.txt");
            String stored = "boto/" + signatureVersion + "/report.txt";
            assertEquals(201, result.get("status").asInt(), result.toString());
            assertEquals(server.getEndpoint() + "/" + bucket, result.get("url").asText());
            assertTrue(result.get("body").asText().contains("<Key>" + stored + "</Key>"), result.toString());
            assertTrue(result.get("fields").has(signatureVersion.equals("s3v4") ? "x-amz-signature" : "signature"),
                    result.toString());
            ResponseBytes<GetObjectResponse> object = owner.getObjectAsBytes(b -> b.bucket(bucket).key(stored));
            assertEquals("uploaded by boto3's presigned post", object.asUtf8String());
            assertEquals("text/plain", object.response().contentType());
            assertEquals(Map.of("origin", "boto3"), object.response().metadata());
            assertEquals(object.response().eTag(), result.get("etag").asText());
        }
    }

    private static boolean pythonWithBoto3AndRequests() {
        try {
            Process process = new ProcessBuilder("python3", "-c", "import boto3, requests").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private JsonNode presignedPost(String signatureVersion, String key, String fileName) throws Exception {
        Path script = script();
        ProcessBuilder builder = new ProcessBuilder("python3", script.toString(), server.getEndpoint().toString(),
                OWNER_KEY, OWNER_SECRET, signatureVersion, bucket, key, fileName).redirectErrorStream(true);
        builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        builder.environment().put("AWS_CONFIG_FILE", "/dev/null");
        builder.environment().put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the boto3 script hung");
        }
        assertEquals(0, process.exitValue(), output);
        String json = output.lines().filter(line -> line.startsWith("{")).reduce((first, second) -> second).orElseThrow(
                () -> new AssertionError("no JSON from the boto3 script:\n" + output));
        return new ObjectMapper().readTree(json);
    }

    private static Path script() throws URISyntaxException {
        return Path.of(PostObjectEndToEndTest.class.getResource("/boto3/presigned_post.py").toURI());
    }

    @Test
    void aLargeFormIsCountedAgainstTheMemoryBudgetLikeAPutAndGivenBackAfter() throws Exception {
        byte[] content = new byte[20 * 1024 * 1024];
        new java.util.Random(8).nextBytes(content);
        try (S3iteServer small = new S3iteServer().withAnonymousAccess().withBucket("big").withMemoryBudget(48L * 1024 * 1024).start()) {
            HttpResponse<String> answer = BrowserForm.create().field("key", "large.bin")
                    .file("large.bin", "application/octet-stream", content).post(URI.create(small.getEndpoint() + "/big"));
            assertEquals(204, answer.statusCode(), answer.body());
            assertEquals("\"" + md5Hex(content) + "\"", answer.headers().firstValue("ETag").orElseThrow());
            try (S3Client client = small.createClient()) {
                assertArrayEquals(content, client.getObjectAsBytes(b -> b.bucket("big").key("large.bin")).asByteArray());
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (small.getBufferedBytes() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, small.getBufferedBytes());
        }
        try (S3iteServer tooSmall = new S3iteServer().withAnonymousAccess().withBucket("big").withMemoryBudget(32L * 1024 * 1024).start()) {
            RawHttp.Response refused = postReadingTheAnswerEarly(tooSmall.getEndpoint(), "/big",
                    BrowserForm.create().field("key", "large.bin").file("large.bin", "application/octet-stream", content));
            assertEquals(400, refused.status(), refused.body());
            assertTrue(refused.body().contains("<Code>EntityTooLarge</Code>"), refused.body());
            try (S3Client client = tooSmall.createClient()) {
                assertThrows(NoSuchKeyException.class, () -> client.headObject(b -> b.bucket("big").key("large.bin")));
            }
            assertFalse(tooSmall.getBufferedBytes() > 0);
        }
    }
}
