package io.github.s3ite.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signature Version 4 made by hand, for requests no AWS client would send: a header left out of
 * the signature, a scope for another region, service or day, a presigned URL that signs its payload
 * hash. Real clients are tested through the AWS SDK; this only has to agree with them on simple
 * paths and queries.
 */
record HandSigner(String accessKey, String secretKey, String region, String service, Instant time, String scopeDate) {
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static HandSigner of(String accessKey, String secretKey) {
        return new HandSigner(accessKey, secretKey, "us-east-1", "s3", Instant.now(), null);
    }

    HandSigner inRegion(String otherRegion) {
        return new HandSigner(accessKey, secretKey, otherRegion, service, time, scopeDate);
    }

    HandSigner forService(String otherService) {
        return new HandSigner(accessKey, secretKey, region, otherService, time, scopeDate);
    }

    HandSigner withScopeDate(String otherScopeDate) {
        return new HandSigner(accessKey, secretKey, region, service, time, otherScopeDate);
    }

    String amzDate() {
        return AMZ_DATE.format(time);
    }

    private String scope() {
        String date = scopeDate != null ? scopeDate : amzDate().substring(0, 8);
        return date + "/" + region + "/" + service + "/aws4_request";
    }

    /**
     * The Authorization header for a request whose signed headers (lower-case names, as sent; with
     * {@code host} and {@code x-amz-date}) are these, and whose query is already canonical.
     */
    String authorization(String method, String path, String canonicalQuery, SortedMap<String, String> signedHeaders,
                         String payloadHash) {
        String names = String.join(";", signedHeaders.keySet());
        String signature = signature(method, path, canonicalQuery, signedHeaders, payloadHash);
        return "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope() + ", SignedHeaders=" + names
                + ", Signature=" + signature;
    }

    /** The whole query of a presigned URL: these extra (unencoded) parameters, the X-Amz-* ones and the signature. */
    String presignedQuery(String method, String path, Map<String, String> extraParameters,
                          SortedMap<String, String> signedHeaders, String payloadHash, long expiresSeconds) {
        SortedMap<String, String> parameters = new TreeMap<>();
        extraParameters.forEach((name, value) -> parameters.put(encode(name), encode(value)));
        parameters.put("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
        parameters.put("X-Amz-Credential", encode(accessKey + "/" + scope()));
        parameters.put("X-Amz-Date", amzDate());
        parameters.put("X-Amz-Expires", Long.toString(expiresSeconds));
        parameters.put("X-Amz-SignedHeaders", encode(String.join(";", signedHeaders.keySet())));
        StringBuilder query = new StringBuilder();
        parameters.forEach((name, value) -> query.append(query.length() == 0 ? "" : "&").append(name).append('=').append(value));
        String signature = signature(method, path, query.toString(), signedHeaders, payloadHash);
        return query + "&X-Amz-Signature=" + signature;
    }

    private String signature(String method, String path, String canonicalQuery, SortedMap<String, String> signedHeaders,
                             String payloadHash) {
        StringBuilder canonicalHeaders = new StringBuilder();
        signedHeaders.forEach((name, value) -> canonicalHeaders.append(name).append(':').append(value.trim()).append('\n'));
        String canonicalRequest = method + "\n" + path + "\n" + canonicalQuery + "\n" + canonicalHeaders + "\n"
                + String.join(";", signedHeaders.keySet()) + "\n" + payloadHash;
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate() + "\n" + scope() + "\n" + sha256Hex(canonicalRequest);
        String[] scopeParts = scope().split("/");
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), scopeParts[0]);
        key = hmac(key, scopeParts[1]);
        key = hmac(key, scopeParts[2]);
        key = hmac(key, "aws4_request");
        return HexFormat.of().formatHex(hmac(key, stringToSign));
    }

    static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    /** Sends a request over HTTP/1.1 exactly as given; {@code Host} and {@code Content-Length} are the client's. */
    static HttpResponse<String> send(String method, URI uri, Map<String, String> headers, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
