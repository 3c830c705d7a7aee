package io.github.s3ite.server.auth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The string to sign of Signature Version 2 ("Signing and authenticating REST requests"): the
 * method, Content-MD5, Content-Type, the date (or a presigned URL's Expires), the x-amz-* headers
 * and the resource, each on its own line.
 */
final class StringToSignV2 {
    /**
     * The query parameters signed as part of the resource: the sub-resources AWS's documentation
     * names (acl ... website, delete and the response-* overrides) and those S3 signs beyond them,
     * which the AWS SDKs sign too (cors, tagging, restore, ...). Any other parameter is unsigned.
     */
    static final Set<String> SUB_RESOURCES = Set.of(
            "accelerate", "acl", "analytics", "cors", "defaultObjectAcl", "delete", "inventory", "lifecycle",
            "location", "logging", "metrics", "notification", "object-lock", "partNumber", "policy", "replication",
            "requestPayment", "restore", "select", "select-type", "storageClass", "tagging", "torrent", "uploadId",
            "uploads", "versionId", "versioning", "versions", "website",
            "response-cache-control", "response-content-disposition", "response-content-encoding",
            "response-content-language", "response-content-type", "response-expires");

    private StringToSignV2() {
    }

    /**
     * @param dateLine     what stands in the Date position: the Date header, empty when the request
     *                     carries x-amz-date, or a presigned URL's Expires
     * @param queryHeaders the x-amz-*, Content-MD5 and Content-Type a presigned URL carries as query
     *                     parameters (lower-case names), which count where the request lacks the header
     */
    static String of(SignedRequest request, String dateLine, Map<String, String> queryHeaders) {
        return of(request, dateLine, queryHeaders, true);
    }

    /**
     * {@link #of(SignedRequest, String, Map)} with the path of a path-style request for a bucket
     * alone ({@code /bucket}) signed exactly as sent, without the slash botocore and s3cmd add: the
     * rule as AWS writes it, which other clients follow.
     */
    static String asSent(SignedRequest request, String dateLine, Map<String, String> queryHeaders) {
        return of(request, dateLine, queryHeaders, false);
    }

    /** Whether {@link #of} and {@link #asSent} differ for this request: a path-style {@code /bucket}. */
    static boolean signsBucketSlash(SignedRequest request) {
        return bucketSlash(request.rawPath(), request.virtualHostedBucket());
    }

    private static String of(SignedRequest request, String dateLine, Map<String, String> queryHeaders, boolean bucketSlash) {
        return request.method() + "\n"
                + positional(request, "content-md5", queryHeaders) + "\n"
                + positional(request, "content-type", queryHeaders) + "\n"
                + dateLine + "\n"
                + canonicalizedAmzHeaders(request.headers(), queryHeaders)
                + canonicalizedResource(request.rawPath(), request.rawQuery(), request.virtualHostedBucket(), bucketSlash);
    }

    private static String positional(SignedRequest request, String name, Map<String, String> queryHeaders) {
        String value = request.header(name);
        if (value == null) {
            value = queryHeaders.get(name);
        }
        return value == null ? "" : value.trim();
    }

    /**
     * Every x-amz-* header, named in lower case and sorted by name, one line each: repeated headers
     * joined by commas, values trimmed and unfolded.
     */
    static String canonicalizedAmzHeaders(Map<String, List<String>> headers, Map<String, String> queryHeaders) {
        TreeMap<String, String> amz = new TreeMap<>();
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            String name = header.getKey().toLowerCase(java.util.Locale.ROOT);
            if (name.startsWith("x-amz-")) {
                List<String> values = new ArrayList<>(header.getValue().size());
                for (String value : header.getValue()) {
                    values.add(unfold(value));
                }
                amz.merge(name, String.join(",", values), (first, more) -> first + "," + more);
            }
        }
        for (Map.Entry<String, String> parameter : queryHeaders.entrySet()) {
            if (parameter.getKey().startsWith("x-amz-")) {
                amz.putIfAbsent(parameter.getKey(), unfold(parameter.getValue()));
            }
        }
        StringBuilder canonical = new StringBuilder();
        amz.forEach((name, value) -> canonical.append(name).append(':').append(value).append('\n'));
        return canonical.toString();
    }

    private static String unfold(String value) {
        return value.replaceAll("\\s*\\r?\\n\\s*", " ").trim();
    }

    /**
     * The bucket a virtual-hosted-style request names in its Host, then the path exactly as sent
     * (percent-encoding and its case included), then the signed sub-resources sorted by name, their
     * values decoded. With {@code bucketSlash}, a bucket is signed as {@code /bucket/} however it is
     * addressed: botocore sends {@code /bucket} and signs {@code /bucket/}, as S3 reads it.
     */
    static String canonicalizedResource(String rawPath, String rawQuery, String virtualHostedBucket) {
        return canonicalizedResource(rawPath, rawQuery, virtualHostedBucket, true);
    }

    private static boolean bucketSlash(String rawPath, String virtualHostedBucket) {
        return virtualHostedBucket == null && rawPath.length() > 1 && rawPath.indexOf('/', 1) < 0;
    }

    private static String canonicalizedResource(String rawPath, String rawQuery, String virtualHostedBucket,
                                                boolean bucketSlash) {
        StringBuilder resource = new StringBuilder();
        if (virtualHostedBucket != null) {
            resource.append('/').append(virtualHostedBucket);
        }
        resource.append(rawPath.isEmpty() ? "/" : rawPath);
        if (bucketSlash && bucketSlash(rawPath, virtualHostedBucket)) {
            resource.append('/');
        }
        List<String[]> subResources = new ArrayList<>();
        for (String[] parameter : parameters(rawQuery)) {
            if (SUB_RESOURCES.contains(parameter[0])) {
                subResources.add(parameter);
            }
        }
        subResources.sort(Comparator.comparing(parameter -> parameter[0]));
        char separator = '?';
        for (String[] parameter : subResources) {
            resource.append(separator).append(parameter[0]);
            if (parameter[1] != null) {
                resource.append('=').append(parameter[1]);
            }
            separator = '&';
        }
        return resource.toString();
    }

    /** The query's parameters in order, names and values decoded; a parameter without '=' has a null value. */
    static List<String[]> parameters(String rawQuery) {
        List<String[]> parameters = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            parameters.add(eq < 0
                    ? new String[] {CanonicalRequest.decode(pair), null}
                    : new String[] {CanonicalRequest.decode(pair.substring(0, eq)), CanonicalRequest.decode(pair.substring(eq + 1))});
        }
        return parameters;
    }
}
