package io.github.s3ite.server.operations;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.http.PercentCoding;
import io.github.s3ite.server.http.S3Request;
import io.github.s3ite.server.storage.ObjectHeaders;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What PutObject, CopyObject and CreateMultipartUpload read from request headers. */
final class ObjectRequests {
    static final String META_PREFIX = "x-amz-meta-";
    private static final int MAX_METADATA_BYTES = 2 * 1024;
    private static final int MAX_KEY_BYTES = 1024;
    private static final int MAX_TAGS = 10;

    private ObjectRequests() {
    }

    static void checkKey(String key) {
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new S3Exception(S3ErrorCode.KEY_TOO_LONG).with("Size", Integer.toString(
                    key.getBytes(StandardCharsets.UTF_8).length)).with("MaxSizeAllowed", Integer.toString(MAX_KEY_BYTES));
        }
    }

    /** User metadata from x-amz-meta-* headers: lower-case names without the prefix, sorted. */
    static Map<String, String> userMetadata(S3Request request) {
        Map<String, String> metadata = new TreeMap<>();
        int bytes = 0;
        for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
            String name = header.getKey();
            if (name.startsWith(META_PREFIX) && name.length() > META_PREFIX.length()) {
                String value = String.join(",", header.getValue());
                String shortName = name.substring(META_PREFIX.length());
                metadata.put(shortName, value);
                bytes += shortName.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        if (bytes > MAX_METADATA_BYTES) {
            throw new S3Exception(S3ErrorCode.METADATA_TOO_LARGE)
                    .with("Size", Integer.toString(bytes)).with("MaxSizeAllowed", Integer.toString(MAX_METADATA_BYTES));
        }
        return metadata;
    }

    static ObjectHeaders objectHeaders(S3Request request) {
        return new ObjectHeaders(
                request.header("content-type"),
                contentEncoding(request.header("content-encoding")),
                request.header("content-disposition"),
                request.header("content-language"),
                request.header("cache-control"),
                request.header("expires"));
    }

    /**
     * aws-chunked is transfer framing, not the object's encoding: S3 drops it from the stored
     * Content-Encoding and keeps whatever else was listed, as it was sent ({@code deflate, gzip}
     * stays {@code deflate, gzip}).
     */
    private static String contentEncoding(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder kept = new StringBuilder();
        for (String part : value.split(",", -1)) {
            if (part.trim().equalsIgnoreCase("aws-chunked")) {
                continue;
            }
            if (kept.length() > 0) {
                kept.append(',');
            }
            kept.append(part);
        }
        String encoding = kept.toString().strip();
        return encoding.isEmpty() ? null : encoding;
    }

    /** Tags from the x-amz-tagging header, a URL query string such as {@code a=1&b=2}. */
    static Map<String, String> tagsFromHeader(String header) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (header == null || header.isEmpty()) {
            return tags;
        }
        for (String pair : header.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = PercentCoding.decodeQueryComponent(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : PercentCoding.decodeQueryComponent(pair.substring(eq + 1));
            if (tags.put(key, value) != null) {
                throw new S3Exception(S3ErrorCode.INVALID_TAG, "Cannot provide multiple Tags with the same key");
            }
        }
        validateTags(tags);
        return tags;
    }

    static void validateTags(Map<String, String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw new S3Exception(S3ErrorCode.INVALID_TAG, "Object tags cannot be greater than 10");
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (tag.getKey().isEmpty() || tag.getKey().codePointCount(0, tag.getKey().length()) > 128) {
                throw new S3Exception(S3ErrorCode.INVALID_TAG, "The TagKey you have provided is invalid");
            }
            if (tag.getValue().codePointCount(0, tag.getValue().length()) > 256) {
                throw new S3Exception(S3ErrorCode.INVALID_TAG, "The TagValue you have provided is invalid");
            }
        }
    }

    static String quote(String etag) {
        return "\"" + etag + "\"";
    }

    static String unquote(String etag) {
        return io.github.s3ite.server.storage.ReadConditions.unquote(etag);
    }

    /** Parses an integer query parameter within bounds, else InvalidArgument naming it. */
    static int intParameter(S3Request request, String name, int defaultValue, int min, int max) {
        String value = request.query(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min) {
                throw new NumberFormatException();
            }
            return Math.min(parsed, max);
        } catch (NumberFormatException e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Provided " + name + " not an integer or within integer range")
                    .with("ArgumentName", name).with("ArgumentValue", value);
        }
    }
}
