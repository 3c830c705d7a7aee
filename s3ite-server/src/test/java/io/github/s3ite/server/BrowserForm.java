package io.github.s3ite.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A browser form upload made by hand, as a page's server prepares it and a browser sends it: the
 * fields, a POST policy signed with Signature Version 4 (or 2), the file last, all as one real
 * {@code multipart/form-data} body. Signed independently of the server's own code.
 */
final class BrowserForm {
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String BOUNDARY = "----s3iteFormBoundary7MA4YWxkTrZu0gW";

    private final Map<String, String> fields = new LinkedHashMap<>();
    private final Map<String, String> fieldsAfterFile = new LinkedHashMap<>();
    private String filename = "file.txt";
    private String fileContentType = "text/plain";
    private byte[] file;
    private final List<String> conditions = new ArrayList<>();
    private Instant expiration = Instant.now().plusSeconds(600);

    static BrowserForm create() {
        return new BrowserForm();
    }

    BrowserForm field(String name, String value) {
        fields.put(name, value);
        return this;
    }

    BrowserForm fieldAfterFile(String name, String value) {
        fieldsAfterFile.put(name, value);
        return this;
    }

    BrowserForm file(String name, String contentType, byte[] content) {
        filename = name;
        fileContentType = contentType;
        file = content;
        return this;
    }

    BrowserForm file(String name, String content) {
        return file(name, "text/plain", content.getBytes(StandardCharsets.UTF_8));
    }

    BrowserForm withoutFile() {
        file = null;
        return this;
    }

    /** Adds a condition to the policy, as JSON: {@code {"acl": "public-read"}} or {@code ["starts-with", "$key", "a/"]}. */
    BrowserForm condition(String json) {
        conditions.add(json);
        return this;
    }

    BrowserForm expiration(Instant instant) {
        expiration = instant;
        return this;
    }

    /** The policy document of the conditions so far. */
    String policyJson() {
        return "{\"expiration\": \"" + expiration + "\", \"conditions\": [" + String.join(", ", conditions) + "]}";
    }

    /**
     * Signs with Signature Version 4, as boto3's {@code generate_presigned_post} does: the
     * algorithm, credential and date become fields and conditions, then the policy and its signature.
     */
    BrowserForm signV4(String accessKey, String secretKey, String region) {
        Instant now = Instant.now();
        String date = AMZ_DATE.format(now);
        String credential = accessKey + "/" + date.substring(0, 8) + "/" + region + "/s3/aws4_request";
        field("x-amz-algorithm", "AWS4-HMAC-SHA256");
        field("x-amz-credential", credential);
        field("x-amz-date", date);
        condition("{\"x-amz-algorithm\": \"AWS4-HMAC-SHA256\"}");
        condition("{\"x-amz-credential\": \"" + credential + "\"}");
        condition("{\"x-amz-date\": \"" + date + "\"}");
        String policy = base64(policyJson());
        field("policy", policy);
        byte[] key = hmac("HmacSHA256", ("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date.substring(0, 8));
        key = hmac("HmacSHA256", key, region);
        key = hmac("HmacSHA256", key, "s3");
        key = hmac("HmacSHA256", key, "aws4_request");
        field("x-amz-signature", HexFormat.of().formatHex(hmac("HmacSHA256", key, policy)));
        return this;
    }

    /** Signs with Signature Version 2: {@code AWSAccessKeyId} and the base64 HMAC-SHA1 of the policy. */
    BrowserForm signV2(String accessKey, String secretKey) {
        String policy = base64(policyJson());
        field("AWSAccessKeyId", accessKey);
        field("policy", policy);
        field("signature", Base64.getEncoder().encodeToString(
                hmac("HmacSHA1", secretKey.getBytes(StandardCharsets.UTF_8), policy)));
        return this;
    }

    /** Only the policy, unsigned: what an anonymous server takes. */
    BrowserForm withPolicy() {
        field("policy", base64(policyJson()));
        return this;
    }

    String contentType() {
        return "multipart/form-data; boundary=" + BOUNDARY;
    }

    byte[] body() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fields.forEach((name, value) -> part(out, name, null, null, value.getBytes(StandardCharsets.UTF_8)));
        if (file != null) {
            part(out, "file", filename, fileContentType, file);
        }
        fieldsAfterFile.forEach((name, value) -> part(out, name, null, null, value.getBytes(StandardCharsets.UTF_8)));
        write(out, "--" + BOUNDARY + "--\r\n");
        return out.toByteArray();
    }

    private static void part(ByteArrayOutputStream out, String name, String filename, String contentType, byte[] content) {
        write(out, "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
                + (filename == null ? "" : "; filename=\"" + filename + "\"") + "\r\n"
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n") + "\r\n");
        out.writeBytes(content);
        write(out, "\r\n");
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** POSTs the form to a bucket's URL ({@code endpoint/bucket}), with any extra headers. */
    HttpResponse<String> post(URI bucketUrl, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(bucketUrl)
                .header("Content-Type", contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body()));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(String algorithm, byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
