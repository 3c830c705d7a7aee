package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Signature Version 2 as the clients that still make it make it: presigned URLs of the installed
 * aws cli (its default), boto3 (its default against a custom endpoint) and s3cmd, fetched with a
 * plain HTTP client, and requests boto3 and s3cmd sign with it in the Authorization header; by
 * hand, what none of them sends (a virtual-hosted bucket, a stale Date, a Content-MD5 that does not
 * match). Each tool's test is skipped, saying why, where the tool is not installed.
 */
class SigV2EndToEndTest {
    private static final String ACCESS_KEY = "AKIASIGV2TEST";
    private static final String SECRET_KEY = "sigv2/secret+key";
    private static final String BUCKET = "sigv2";
    private static final String DOMAIN = "s3.test";
    /** A key whose path clients must percent-encode: a space, a plus, parentheses and a non-ASCII letter. */
    private static final String AWKWARD_KEY = "dir/a b+ü(1)~.txt";
    private static final byte[] CONTENT = "signed with version 2".getBytes(StandardCharsets.UTF_8);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static S3iteServer server;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        server = new S3iteServer().withCredentials(ACCESS_KEY, SECRET_KEY).withBucket(BUCKET).withDomainName(DOMAIN)
                .withRequestJournal(1000).start();
        s3 = server.createClient();
        s3.putObject(b -> b.bucket(BUCKET).key("doc.txt"), RequestBody.fromBytes(CONTENT));
        s3.putObject(b -> b.bucket(BUCKET).key(AWKWARD_KEY), RequestBody.fromBytes(CONTENT));
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void clearJournal() {
        server.clearRequests();
    }

    private record Result(int exitCode, String output) {
    }

    /** Runs a command with the test's credentials in its environment (and {@code env} on top). */
    private static Result run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        builder.environment().put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        builder.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        builder.environment().put("AWS_PAGER", "");
        builder.environment().remove("AWS_PROFILE");
        // nothing of the machine's own configuration: what a test does not configure is the tools' default
        builder.environment().put("AWS_CONFIG_FILE", "/nonexistent/s3ite-test/aws-config");
        builder.environment().put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/s3ite-test/aws-credentials");
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " hung");
        }
        return new Result(process.exitValue(), output);
    }

    private static String ok(Map<String, String> env, String... command) throws Exception {
        Result result = run(env, command);
        assertEquals(0, result.exitCode(), String.join(" ", command) + " failed:\n" + result.output()
                + "\njournal:\n" + server.getRequests());
        return result.output();
    }

    private static boolean installed(String... versionCommand) {
        try {
            Process process = new ProcessBuilder(versionCommand).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static HttpResponse<byte[]> fetch(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url.trim())).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static void assertVersion2Url(String url) {
        assertTrue(url.contains("AWSAccessKeyId=" + ACCESS_KEY) && url.contains("Signature=") && url.contains("Expires="),
                "a Signature Version 2 URL: " + url);
        assertFalse(url.contains("X-Amz-Signature"), url);
    }

    private static void assertFetchesContent(String url) throws Exception {
        HttpResponse<byte[]> response = fetch(url);
        assertEquals(200, response.statusCode(), text(response));
        assertArrayEquals(CONTENT, response.body());
    }

    /** The URL with its signature replaced by another valid-looking one. */
    private static String tampered(String url) {
        return url.trim().replaceFirst("Signature=[^&]+", "Signature=AAAAAAAAAAAAAAAAAAAAAAAAAAA%3D");
    }

    private static void assertError(HttpResponse<byte[]> response, int status, String code) {
        assertEquals(status, response.statusCode(), text(response));
        assertTrue(text(response).contains("<Code>" + code + "</Code>"), text(response));
    }

    /** Every request of the journal signed in the Authorization header with Signature Version 2. */
    private static void assertAllSignedWithVersion2Headers() {
        List<RecordedRequest> requests = server.getRequests();
        assertFalse(requests.isEmpty());
        for (RecordedRequest request : requests) {
            String authorization = request.header("authorization");
            assertTrue(authorization != null && authorization.startsWith("AWS " + ACCESS_KEY + ":"), request.toString());
        }
    }

    // --- by hand: what the tools below do not exercise ----------------------------------------

    private static String rfc1123(Instant time) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(time.atOffset(ZoneOffset.UTC));
    }

    private static String signature(String stringToSign) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(SECRET_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
    }

    /** One request over a raw connection, so that its Host can name a bucket. */
    private static RawHttp.Response raw(String method, String target, String host, Map<String, String> headers, String body)
            throws Exception {
        StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("Content-Length: ").append(body.length()).append("\r\n\r\n").append(body);
        try (RawHttp http = new RawHttp(server.getEndpoint())) {
            return http.send(request.toString()).read();
        }
    }

    @Test
    void aVirtualHostedRequestSignsTheBucketItsHostNames() throws Exception {
        String host = BUCKET + "." + DOMAIN + ":" + server.getPort();
        String date = rfc1123(Instant.now());
        String signed = signature("GET\n\n\n" + date + "\n/" + BUCKET + "/doc.txt");
        RawHttp.Response response = raw("GET", "/doc.txt", host,
                Map.of("Date", date, "Authorization", "AWS " + ACCESS_KEY + ":" + signed), "");
        assertEquals(200, response.status(), response.body());
        assertEquals(new String(CONTENT, StandardCharsets.UTF_8), response.body());

        String withoutBucket = signature("GET\n\n\n" + date + "\n/doc.txt");
        RawHttp.Response refused = raw("GET", "/doc.txt", host,
                Map.of("Date", date, "Authorization", "AWS " + ACCESS_KEY + ":" + withoutBucket), "");
        assertEquals(403, refused.status(), refused.body());
        assertTrue(refused.body().contains("<StringToSign>GET\n\n\n" + date + "\n/" + BUCKET + "/doc.txt</StringToSign>"),
                refused.body());
    }

    @Test
    void aBucketAddressedPathStyleMaySignItsPathWithOrWithoutTheSlashAfterIt() throws Exception {
        String date = rfc1123(Instant.now());
        for (String resource : new String[] {"/" + BUCKET + "/?acl", "/" + BUCKET + "?acl"}) {
            RawHttp.Response response = raw("GET", "/" + BUCKET + "?acl", server.getEndpoint().getRawAuthority(),
                    Map.of("Date", date, "Authorization", "AWS " + ACCESS_KEY + ":" + signature("GET\n\n\n" + date + "\n" + resource)), "");
            assertEquals(200, response.status(), resource + ": " + response.body());
            assertTrue(response.body().contains("<AccessControlPolicy"), response.body());
        }
        RawHttp.Response refused = raw("GET", "/" + BUCKET + "?acl", server.getEndpoint().getRawAuthority(),
                Map.of("Date", date, "Authorization", "AWS " + ACCESS_KEY + ":" + signature("GET\n\n\n" + date + "\n/other/?acl")), "");
        assertEquals(403, refused.status(), refused.body());
        assertTrue(refused.body().contains("<StringToSign>GET\n\n\n" + date + "\n/" + BUCKET + "/?acl</StringToSign>"),
                refused.body());
    }

    @Test
    void aHeaderSignatureDatedMoreThanFifteenMinutesAgoIsRequestTimeTooSkewed() throws Exception {
        String date = rfc1123(Instant.now().minusSeconds(20 * 60));
        String signed = signature("GET\n\n\n" + date + "\n/" + BUCKET + "/doc.txt");
        RawHttp.Response response = raw("GET", "/" + BUCKET + "/doc.txt", server.getEndpoint().getRawAuthority(),
                Map.of("Date", date, "Authorization", "AWS " + ACCESS_KEY + ":" + signed), "");
        assertEquals(403, response.status(), response.body());
        assertTrue(response.body().contains("<Code>RequestTimeTooSkewed</Code>"), response.body());
        assertTrue(response.body().contains("<RequestTime>" + date + "</RequestTime>"), response.body());
        assertTrue(response.body().contains("<MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds>"), response.body());
    }

    @Test
    void aSignedContentMd5StillHasToMatchTheBody() throws Exception {
        String date = rfc1123(Instant.now());
        String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5")
                .digest("the body that was signed".getBytes(StandardCharsets.UTF_8)));
        String signed = signature("PUT\n" + md5 + "\ntext/plain\n" + date + "\n/" + BUCKET + "/md5.txt");
        Map<String, String> headers = Map.of("Date", date, "Content-MD5", md5, "Content-Type", "text/plain",
                "Authorization", "AWS " + ACCESS_KEY + ":" + signed);
        RawHttp.Response refused = raw("PUT", "/" + BUCKET + "/md5.txt", server.getEndpoint().getRawAuthority(), headers,
                "a body that was not signed");
        assertEquals(400, refused.status(), refused.body());
        assertTrue(refused.body().contains("<Code>BadDigest</Code>"), refused.body());
        RawHttp.Response stored = raw("PUT", "/" + BUCKET + "/md5.txt", server.getEndpoint().getRawAuthority(), headers,
                "the body that was signed");
        assertEquals(200, stored.status(), stored.body());
        assertEquals("the body that was signed", s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("md5.txt")).asUtf8String());
    }

    // --- aws cli -----------------------------------------------------------------------------

    private static Map<String, String> awsConfig(Path dir, String config) throws IOException {
        Path file = dir.resolve("aws-config");
        Files.writeString(file, config);
        return Map.of("AWS_CONFIG_FILE", file.toString(),
                "AWS_SHARED_CREDENTIALS_FILE", dir.resolve("aws-credentials").toString());
    }

    private static String awsPresign(Map<String, String> env, String key, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", server.getEndpoint().toString(),
                "s3", "presign", "s3://" + BUCKET + "/" + key));
        command.addAll(List.of(options));
        return ok(env, command.toArray(String[]::new)).trim();
    }

    @Test
    void awsCliPresignsWithVersion2ByDefaultAndItsUrlServesTheObject(@TempDir Path dir) throws Exception {
        assumeTrue(installed("aws", "--version"), "the aws cli is not installed: install it (pip install awscli) to run this test");
        Map<String, String> env = awsConfig(dir, "[default]\n");
        String url = awsPresign(env, "doc.txt");
        assertVersion2Url(url);
        assertFetchesContent(url);
        String awkward = awsPresign(env, AWKWARD_KEY);
        assertVersion2Url(awkward);
        assertFetchesContent(awkward);
    }

    @Test
    void awsCliVersion2UrlWithAnotherSignatureIsSignatureDoesNotMatch(@TempDir Path dir) throws Exception {
        assumeTrue(installed("aws", "--version"), "the aws cli is not installed: install it (pip install awscli) to run this test");
        String url = awsPresign(awsConfig(dir, "[default]\n"), "doc.txt");
        HttpResponse<byte[]> response = fetch(tampered(url));
        assertError(response, 403, "SignatureDoesNotMatch");
        String body = text(response);
        assertTrue(body.contains("<AWSAccessKeyId>" + ACCESS_KEY + "</AWSAccessKeyId>"), body);
        assertTrue(body.contains("<StringToSign>GET\n\n\n"), body);
        assertTrue(body.contains("\n/" + BUCKET + "/doc.txt</StringToSign>"), body);
        assertTrue(body.contains("<SignatureProvided>AAAAAAAAAAAAAAAAAAAAAAAAAAA=</SignatureProvided>"), body);
        assertTrue(body.contains("<StringToSignBytes>47 45 54 0a 0a 0a "), body);
        HttpResponse<byte[]> otherKey = fetch(url.replace("/doc.txt?", "/" + "dir/a%20b%2B%C3%BC%281%29~.txt?"));
        assertError(otherKey, 403, "SignatureDoesNotMatch");
    }

    @Test
    void awsCliVersion2UrlPastItsExpiryIsAccessDenied(@TempDir Path dir) throws Exception {
        assumeTrue(installed("aws", "--version"), "the aws cli is not installed: install it (pip install awscli) to run this test");
        String url = awsPresign(awsConfig(dir, "[default]\n"), "doc.txt", "--expires-in", "1");
        assertVersion2Url(url);
        Thread.sleep(2100);
        HttpResponse<byte[]> response = fetch(url);
        assertError(response, 403, "AccessDenied");
        assertTrue(text(response).contains("<Message>Request has expired</Message>"), text(response));
        assertTrue(text(response).contains("<Expires>") && text(response).contains("<ServerTime>"), text(response));
    }

    @Test
    void awsCliConfiguredForVersion4PresignsWithVersion4AndThatWorksToo(@TempDir Path dir) throws Exception {
        assumeTrue(installed("aws", "--version"), "the aws cli is not installed: install it (pip install awscli) to run this test");
        String url = awsPresign(awsConfig(dir, "[default]\ns3 =\n    signature_version = s3v4\n"), AWKWARD_KEY);
        assertTrue(url.contains("X-Amz-Signature="), url);
        assertFetchesContent(url);
    }

    // --- boto3 -------------------------------------------------------------------------------

    private static final String BOTO3_SCRIPT = """
            import sys, boto3
            from botocore.config import Config
            endpoint, bucket, key, version = sys.argv[1:5]
            config = Config(signature_version=version) if version != 'default' else None
            s3 = boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1', config=config)
            print('GET ' + s3.generate_presigned_url('get_object', Params={'Bucket': bucket, 'Key': key}, ExpiresIn=300))
            print('GET_DOWNLOAD ' + s3.generate_presigned_url('get_object', Params={'Bucket': bucket, 'Key': key,
                  'ResponseContentDisposition': 'attachment; filename="x y.txt"'}, ExpiresIn=300))
            print('PUT ' + s3.generate_presigned_url('put_object', Params={'Bucket': bucket, 'Key': 'boto3/put.txt'},
                  ExpiresIn=300))
            print('PUT_TYPED ' + s3.generate_presigned_url('put_object', Params={'Bucket': bucket, 'Key': 'boto3/typed.txt',
                  'ContentType': 'text/plain'}, ExpiresIn=300))
            """;

    private static final String BOTO3_CALLS = """
            import sys, boto3
            from botocore.config import Config
            endpoint, bucket, key = sys.argv[1:4]
            prefix = key.split('/')[0] + '/'
            s3 = boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1',
                              config=Config(signature_version='s3', s3={'addressing_style': 'path'}))
            s3.put_object(Bucket=bucket, Key=key, Body=b'from boto3', ContentType='text/plain',
                          Metadata={'owner': 'boto3'}, Tagging='a=1')
            got = s3.get_object(Bucket=bucket, Key=key)
            assert got['Body'].read() == b'from boto3'
            assert got['ContentType'] == 'text/plain', got['ContentType']
            assert got['Metadata'] == {'owner': 'boto3'}, got['Metadata']
            assert s3.get_object(Bucket=bucket, Key=key, Range='bytes=5-9')['Body'].read() == b'boto3'
            assert s3.head_object(Bucket=bucket, Key=key)['ContentLength'] == 10
            tags = s3.get_object_tagging(Bucket=bucket, Key=key)['TagSet']
            assert tags == [{'Key': 'a', 'Value': '1'}], tags
            s3.copy_object(Bucket=bucket, Key=key + '.copy', CopySource={'Bucket': bucket, 'Key': key})
            listed = [o['Key'] for o in s3.list_objects(Bucket=bucket, Prefix=prefix)['Contents']]
            assert listed == sorted([key, key + '.copy']), listed
            listed2 = [o['Key'] for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix)['Contents']]
            assert listed2 == listed, listed2
            upload = s3.create_multipart_upload(Bucket=bucket, Key=prefix + 'multipart.bin')['UploadId']
            part = s3.upload_part(Bucket=bucket, Key=prefix + 'multipart.bin', UploadId=upload, PartNumber=1, Body=b'x' * 1024)
            s3.complete_multipart_upload(Bucket=bucket, Key=prefix + 'multipart.bin', UploadId=upload,
                                         MultipartUpload={'Parts': [{'PartNumber': 1, 'ETag': part['ETag']}]})
            assert s3.get_object(Bucket=bucket, Key=prefix + 'multipart.bin')['Body'].read() == b'x' * 1024
            s3.delete_object(Bucket=bucket, Key=key)
            deleted = s3.delete_objects(Bucket=bucket, Delete={'Objects': [{'Key': key + '.copy'},
                                                                          {'Key': prefix + 'multipart.bin'}]})
            assert len(deleted['Deleted']) == 2, deleted
            assert 'Contents' not in s3.list_objects(Bucket=bucket, Prefix=prefix)
            print('ok')
            """;

    private static boolean boto3Installed() {
        return installed("python3", "-c", "import boto3");
    }

    private static Map<String, String> boto3Urls(Path dir, String version) throws Exception {
        Path script = dir.resolve("presign.py");
        Files.writeString(script, BOTO3_SCRIPT);
        Map<String, String> urls = new LinkedHashMap<>();
        for (String line : ok(Map.of(), "python3", script.toString(), server.getEndpoint().toString(), BUCKET, AWKWARD_KEY,
                version).split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0) {
                urls.put(line.substring(0, space), line.substring(space + 1).trim());
            }
        }
        return urls;
    }

    private static void assertBoto3UrlsWork(Map<String, String> urls) throws Exception {
        urls.values().forEach(SigV2EndToEndTest::assertVersion2Url);
        assertFetchesContent(urls.get("GET"));

        HttpResponse<byte[]> download = fetch(urls.get("GET_DOWNLOAD"));
        assertEquals(200, download.statusCode(), text(download));
        assertEquals("attachment; filename=\"x y.txt\"", download.headers().firstValue("Content-Disposition").orElse(null));
        // the response-* override is signed: another one is refused
        assertError(fetch(urls.get("GET_DOWNLOAD").replace("x%20y.txt", "z.txt")), 403, "SignatureDoesNotMatch");

        HttpResponse<byte[]> put = HTTP.send(HttpRequest.newBuilder(URI.create(urls.get("PUT")))
                .PUT(HttpRequest.BodyPublishers.ofString("via presigned put")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, put.statusCode(), text(put));
        assertEquals("via presigned put", s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("boto3/put.txt")).asUtf8String());

        HttpResponse<byte[]> typed = HTTP.send(HttpRequest.newBuilder(URI.create(urls.get("PUT_TYPED")))
                .header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString("typed")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, typed.statusCode(), text(typed));
        assertEquals("text/plain", s3.headObject(b -> b.bucket(BUCKET).key("boto3/typed.txt")).contentType());
        HttpResponse<byte[]> otherType = HTTP.send(HttpRequest.newBuilder(URI.create(urls.get("PUT_TYPED")))
                .header("Content-Type", "text/html")
                .PUT(HttpRequest.BodyPublishers.ofString("<script>")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertError(otherType, 403, "SignatureDoesNotMatch");
        assertEquals("typed", s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("boto3/typed.txt")).asUtf8String());
    }

    @Test
    void boto3PresignsWithVersion2ByDefaultAgainstACustomEndpointAndItsUrlsWork(@TempDir Path dir) throws Exception {
        assumeTrue(boto3Installed(), "boto3 is not installed for python3: install it (pip install boto3) to run this test");
        assertBoto3UrlsWork(boto3Urls(dir, "default"));
    }

    @Test
    void boto3ConfiguredForVersion2PresignsGetAndPutUrlsThatWork(@TempDir Path dir) throws Exception {
        assumeTrue(boto3Installed(), "boto3 is not installed for python3: install it (pip install boto3) to run this test");
        assertBoto3UrlsWork(boto3Urls(dir, "s3"));
    }

    @Test
    void boto3CallsSignedWithVersion2HeadersWork(@TempDir Path dir) throws Exception {
        assumeTrue(boto3Installed(), "boto3 is not installed for python3: install it (pip install boto3) to run this test");
        Path script = dir.resolve("calls.py");
        Files.writeString(script, BOTO3_CALLS);
        String output = ok(Map.of(), "python3", script.toString(), server.getEndpoint().toString(), BUCKET,
                "boto3-calls/" + AWKWARD_KEY);
        assertTrue(output.contains("ok"), output);
        assertAllSignedWithVersion2Headers();
    }

    @Test
    void boto3WithAWrongSecretIsSignatureDoesNotMatch(@TempDir Path dir) throws Exception {
        assumeTrue(boto3Installed(), "boto3 is not installed for python3: install it (pip install boto3) to run this test");
        Path script = dir.resolve("wrong.py");
        Files.writeString(script, """
                import sys, boto3
                from botocore.config import Config
                from botocore.exceptions import ClientError
                s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1',
                                  config=Config(signature_version='s3', retries={'max_attempts': 1}))
                try:
                    s3.put_object(Bucket=sys.argv[2], Key='doc.txt', Body=b'overwritten')
                    print('accepted')
                except ClientError as e:
                    print(e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Code'])
                """);
        String output = ok(Map.of("AWS_SECRET_ACCESS_KEY", "wrong-secret"), "python3", script.toString(),
                server.getEndpoint().toString(), BUCKET);
        assertEquals("403 SignatureDoesNotMatch", output.trim());
        assertArrayEquals(CONTENT, s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("doc.txt")).asByteArray());
    }

    // --- s3cmd -------------------------------------------------------------------------------

    private static String[] s3cmd(Path config, String... args) {
        List<String> command = new ArrayList<>(List.of("s3cmd", "-c", config.toString(), "--signature-v2"));
        command.addAll(List.of(args));
        return command.toArray(String[]::new);
    }

    private static Path s3cmdConfig(Path dir) throws IOException {
        String host = server.getEndpoint().getRawAuthority();
        Path config = dir.resolve("s3cfg");
        Files.writeString(config, "[default]\n"
                + "access_key = " + ACCESS_KEY + "\n"
                + "secret_key = " + SECRET_KEY + "\n"
                + "host_base = " + host + "\n"
                + "host_bucket = " + host + "\n"
                + "bucket_location = us-east-1\n"
                + "use_https = False\n"
                + "signature_v2 = True\n");
        return config;
    }

    @Test
    void s3cmdSignurlServesTheObjectAndIsRefusedTamperedOrExpired(@TempDir Path dir) throws Exception {
        assumeTrue(installed("s3cmd", "--version"), "s3cmd is not installed: install it (apt-get install s3cmd) to run this test");
        Path config = s3cmdConfig(dir);
        String url = ok(Map.of(), s3cmd(config, "signurl", "s3://" + BUCKET + "/doc.txt", "+300")).trim();
        assertVersion2Url(url);
        assertFetchesContent(url);
        String awkward = ok(Map.of(), s3cmd(config, "signurl", "s3://" + BUCKET + "/" + AWKWARD_KEY, "+300")).trim();
        assertFetchesContent(awkward);
        assertError(fetch(tampered(url)), 403, "SignatureDoesNotMatch");
        String expired = ok(Map.of(), s3cmd(config, "signurl", "s3://" + BUCKET + "/doc.txt",
                Long.toString(System.currentTimeMillis() / 1000 - 60))).trim();
        HttpResponse<byte[]> response = fetch(expired);
        assertError(response, 403, "AccessDenied");
        assertTrue(text(response).contains("Request has expired"), text(response));
    }

    @Test
    void s3cmdPutGetListAndDeleteSignedWithVersion2Work(@TempDir Path dir) throws Exception {
        assumeTrue(installed("s3cmd", "--version"), "s3cmd is not installed: install it (apt-get install s3cmd) to run this test");
        Path config = s3cmdConfig(dir);
        Path local = dir.resolve("upload.txt");
        Files.write(local, CONTENT);
        String target = "s3://" + BUCKET + "/s3cmd/" + AWKWARD_KEY;
        ok(Map.of(), s3cmd(config, "put", local.toString(), target));
        Path back = dir.resolve("back.txt");
        ok(Map.of(), s3cmd(config, "get", "--force", target, back.toString()));
        assertArrayEquals(CONTENT, Files.readAllBytes(back));
        String listing = ok(Map.of(), s3cmd(config, "ls", "--recursive", "s3://" + BUCKET + "/s3cmd/"));
        assertTrue(listing.contains(target), listing);
        ok(Map.of(), s3cmd(config, "del", target));
        assertFalse(ok(Map.of(), s3cmd(config, "ls", "--recursive", "s3://" + BUCKET + "/s3cmd/")).contains(target));
        assertAllSignedWithVersion2Headers();
    }
}
