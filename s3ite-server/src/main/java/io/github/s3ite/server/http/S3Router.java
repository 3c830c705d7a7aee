package io.github.s3ite.server.http;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pure routing: method, host, raw path and query parameters in, an {@link S3Route} out. Path-style
 * ({@code /bucket/key}) always; virtual-hosted style ({@code bucket.domain/key}) when a domain is configured.
 */
public final class S3Router {
    private final String domainName;

    /** @param domainName the domain for virtual-hosted style requests, or null for path style only */
    public S3Router(String domainName) {
        this.domainName = domainName == null || domainName.isBlank() ? null : domainName.toLowerCase(Locale.ROOT);
    }

    /** A route for a request without a Content-Type: see the other {@code route}. */
    public S3Route route(String method, String host, String rawPath, Map<String, String> query, boolean hasCopySource) {
        return route(method, host, rawPath, query, hasCopySource, null);
    }

    /**
     * @param rawPath     the request path as sent, still percent-encoded
     * @param query       decoded query parameters (only their presence and a few values matter here)
     * @param contentType the request's Content-Type, or null: a POST to a bucket is a form upload
     *                    only as {@code multipart/form-data}
     */
    public S3Route route(String method, String host, String rawPath, Map<String, String> query, boolean hasCopySource,
                         String contentType) {
        String path = PercentCoding.decodePath(rawPath);
        String bucket;
        String key;
        String virtualBucket = virtualHostedBucket(host);
        if (virtualBucket != null) {
            bucket = virtualBucket;
            key = path.startsWith("/") ? path.substring(1) : path;
        } else {
            String rest = path.startsWith("/") ? path.substring(1) : path;
            int slash = rest.indexOf('/');
            bucket = slash < 0 ? rest : rest.substring(0, slash);
            key = slash < 0 ? "" : rest.substring(slash + 1);
        }
        if ("OPTIONS".equals(method)) {
            // a CORS preflight: answered from the bucket's rules, whatever the sub-resources
            return new S3Route(S3Operation.CORS_PREFLIGHT, bucket.isEmpty() ? null : bucket,
                    key.isEmpty() ? null : key);
        }
        if (bucket.isEmpty()) {
            if ("GET".equals(method)) {
                return new S3Route(S3Operation.LIST_BUCKETS, null, null);
            }
            throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
        }
        if (key.isEmpty()) {
            return new S3Route(bucketOperation(method, query, contentType), bucket, null);
        }
        return new S3Route(objectOperation(method, query, hasCopySource), bucket, key);
    }

    private String virtualHostedBucket(String host) {
        if (domainName == null || host == null) {
            return null;
        }
        String name = host.toLowerCase(Locale.ROOT);
        int colon = name.lastIndexOf(':');
        if (colon > 0 && name.indexOf(']') < colon) {
            name = name.substring(0, colon);
        }
        String suffix = "." + domainName;
        if (name.endsWith(suffix) && name.length() > suffix.length()) {
            return name.substring(0, name.length() - suffix.length());
        }
        return null;
    }

    private static S3Operation bucketOperation(String method, Map<String, String> query, String contentType) {
        S3Operation configuration = bucketConfigurationOperation(method, query);
        if (configuration != null) {
            return configuration;
        }
        switch (method) {
            case "GET":
                if (query.containsKey("location")) {
                    return S3Operation.GET_BUCKET_LOCATION;
                }
                if (query.containsKey("versioning")) {
                    return S3Operation.GET_BUCKET_VERSIONING;
                }
                if (query.containsKey("versions")) {
                    return S3Operation.LIST_OBJECT_VERSIONS;
                }
                if (query.containsKey("object-lock")) {
                    return S3Operation.GET_OBJECT_LOCK_CONFIGURATION;
                }
                if (query.containsKey("encryption")) {
                    return S3Operation.GET_BUCKET_ENCRYPTION;
                }
                if (query.containsKey("uploads")) {
                    return S3Operation.LIST_MULTIPART_UPLOADS;
                }
                rejectUnsupportedSubresource(query);
                return "2".equals(query.get("list-type")) ? S3Operation.LIST_OBJECTS_V2 : S3Operation.LIST_OBJECTS;
            case "HEAD":
                return S3Operation.HEAD_BUCKET;
            case "PUT":
                if (query.containsKey("versioning")) {
                    return S3Operation.PUT_BUCKET_VERSIONING;
                }
                if (query.containsKey("object-lock")) {
                    return S3Operation.PUT_OBJECT_LOCK_CONFIGURATION;
                }
                if (query.containsKey("encryption")) {
                    return S3Operation.PUT_BUCKET_ENCRYPTION;
                }
                rejectUnsupportedSubresource(query);
                return S3Operation.CREATE_BUCKET;
            case "DELETE":
                if (query.containsKey("encryption")) {
                    return S3Operation.DELETE_BUCKET_ENCRYPTION;
                }
                rejectUnsupportedSubresource(query);
                return S3Operation.DELETE_BUCKET;
            case "POST":
                if (query.containsKey("delete")) {
                    return S3Operation.DELETE_OBJECTS;
                }
                if (query.containsKey("uploads")) {
                    throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
                }
                rejectUnsupportedSubresource(query);
                if (!isFormData(contentType)) {
                    throw new S3Exception(S3ErrorCode.REQUEST_IS_NOT_MULTI_PART_CONTENT);
                }
                return S3Operation.POST_OBJECT;
            default:
                throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
        }
    }

    /** A bucket configuration sub-resource and its operation for each method (null: none). */
    private record Configuration(String subresource, S3Operation get, S3Operation put, S3Operation delete) {
        S3Operation operation(String method) {
            return switch (method) {
                case "GET" -> get;
                case "PUT" -> put;
                case "DELETE" -> delete;
                default -> null;
            };
        }
    }

    /** The bucket configuration sub-resources kept as documents, checked in this order. */
    private static final List<Configuration> CONFIGURATIONS = List.of(
            new Configuration("tagging", S3Operation.GET_BUCKET_TAGGING, S3Operation.PUT_BUCKET_TAGGING,
                    S3Operation.DELETE_BUCKET_TAGGING),
            new Configuration("logging", S3Operation.GET_BUCKET_LOGGING, S3Operation.PUT_BUCKET_LOGGING, null),
            new Configuration("requestPayment", S3Operation.GET_BUCKET_REQUEST_PAYMENT,
                    S3Operation.PUT_BUCKET_REQUEST_PAYMENT, null),
            new Configuration("accelerate", S3Operation.GET_BUCKET_ACCELERATE_CONFIGURATION,
                    S3Operation.PUT_BUCKET_ACCELERATE_CONFIGURATION, null),
            new Configuration("website", S3Operation.GET_BUCKET_WEBSITE, S3Operation.PUT_BUCKET_WEBSITE,
                    S3Operation.DELETE_BUCKET_WEBSITE),
            new Configuration("notification", S3Operation.GET_BUCKET_NOTIFICATION_CONFIGURATION,
                    S3Operation.PUT_BUCKET_NOTIFICATION_CONFIGURATION, null),
            new Configuration("replication", S3Operation.GET_BUCKET_REPLICATION, S3Operation.PUT_BUCKET_REPLICATION,
                    S3Operation.DELETE_BUCKET_REPLICATION),
            new Configuration("cors", S3Operation.GET_BUCKET_CORS, S3Operation.PUT_BUCKET_CORS,
                    S3Operation.DELETE_BUCKET_CORS),
            new Configuration("acl", S3Operation.GET_BUCKET_ACL, S3Operation.PUT_BUCKET_ACL, null),
            new Configuration("policyStatus", S3Operation.GET_BUCKET_POLICY_STATUS, null, null),
            new Configuration("policy", S3Operation.GET_BUCKET_POLICY, S3Operation.PUT_BUCKET_POLICY,
                    S3Operation.DELETE_BUCKET_POLICY),
            new Configuration("publicAccessBlock", S3Operation.GET_PUBLIC_ACCESS_BLOCK,
                    S3Operation.PUT_PUBLIC_ACCESS_BLOCK, S3Operation.DELETE_PUBLIC_ACCESS_BLOCK),
            new Configuration("ownershipControls", S3Operation.GET_BUCKET_OWNERSHIP_CONTROLS,
                    S3Operation.PUT_BUCKET_OWNERSHIP_CONTROLS, S3Operation.DELETE_BUCKET_OWNERSHIP_CONTROLS),
            // PutBucketLifecycle, the legacy form, is the same request: its body tells it apart
            new Configuration("lifecycle", S3Operation.GET_BUCKET_LIFECYCLE_CONFIGURATION,
                    S3Operation.PUT_BUCKET_LIFECYCLE_CONFIGURATION, S3Operation.DELETE_BUCKET_LIFECYCLE));

    /**
     * The configuration operation a bucket request names, or null for none. A method the
     * sub-resource has no operation for is 405, as S3 answers it.
     */
    private static S3Operation bucketConfigurationOperation(String method, Map<String, String> query) {
        if ("HEAD".equals(method)) {
            return null;
        }
        for (Configuration configuration : CONFIGURATIONS) {
            if (query.containsKey(configuration.subresource())) {
                S3Operation operation = configuration.operation(method);
                if (operation == null) {
                    throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
                }
                return operation;
            }
        }
        return null;
    }

    private static S3Operation objectOperation(String method, Map<String, String> query, boolean hasCopySource) {
        boolean tagging = query.containsKey("tagging");
        boolean uploadId = query.containsKey("uploadId");
        switch (method) {
            case "GET":
                if (uploadId) {
                    return S3Operation.LIST_PARTS;
                }
                if (tagging) {
                    return S3Operation.GET_OBJECT_TAGGING;
                }
                if (query.containsKey("attributes")) {
                    return S3Operation.GET_OBJECT_ATTRIBUTES;
                }
                if (query.containsKey("retention")) {
                    return S3Operation.GET_OBJECT_RETENTION;
                }
                if (query.containsKey("legal-hold")) {
                    return S3Operation.GET_OBJECT_LEGAL_HOLD;
                }
                if (query.containsKey("acl")) {
                    return S3Operation.GET_OBJECT_ACL;
                }
                rejectUnsupportedSubresource(query);
                return S3Operation.GET_OBJECT;
            case "HEAD":
                return S3Operation.HEAD_OBJECT;
            case "PUT":
                if (uploadId || query.containsKey("partNumber")) {
                    return hasCopySource ? S3Operation.UPLOAD_PART_COPY : S3Operation.UPLOAD_PART;
                }
                if (tagging) {
                    return S3Operation.PUT_OBJECT_TAGGING;
                }
                if (query.containsKey("retention")) {
                    return S3Operation.PUT_OBJECT_RETENTION;
                }
                if (query.containsKey("legal-hold")) {
                    return S3Operation.PUT_OBJECT_LEGAL_HOLD;
                }
                if (query.containsKey("acl")) {
                    return S3Operation.PUT_OBJECT_ACL;
                }
                rejectUnsupportedSubresource(query);
                return hasCopySource ? S3Operation.COPY_OBJECT : S3Operation.PUT_OBJECT;
            case "DELETE":
                if (uploadId) {
                    return S3Operation.ABORT_MULTIPART_UPLOAD;
                }
                if (tagging) {
                    return S3Operation.DELETE_OBJECT_TAGGING;
                }
                rejectUnsupportedSubresource(query);
                return S3Operation.DELETE_OBJECT;
            case "POST":
                if (query.containsKey("uploads")) {
                    return S3Operation.CREATE_MULTIPART_UPLOAD;
                }
                if (uploadId) {
                    return S3Operation.COMPLETE_MULTIPART_UPLOAD;
                }
                throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
            default:
                throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED);
        }
    }

    /**
     * Sub-resources this server does not implement (acl, policy, analytics, ...) must not be
     * mistaken for the plain operation: a PUT ?policy is not a CreateBucket. They answer exactly as
     * S3 answers what it does not implement: 501 with S3's own message.
     */
    private static void rejectUnsupportedSubresource(Map<String, String> query) {
        for (String name : UNSUPPORTED_SUBRESOURCES) {
            if (query.containsKey(name)) {
                throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED);
            }
        }
    }

    private static final String[] UNSUPPORTED_SUBRESOURCES = {
        "acl", "website", "logging", "notification", "replication",
        "encryption", "object-lock", "retention", "legal-hold", "requestPayment", "accelerate", "analytics",
        "inventory", "metrics", "intelligent-tiering", "restore",
        "select", "torrent", "attributes", "tagging", "versioning", "uploads"
    };

    /** Whether a Content-Type is {@code multipart/form-data}, whatever its parameters and case. */
    static boolean isFormData(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.equalsIgnoreCase("multipart/form-data");
    }

    /** Whether {@code host} names a bucket (virtual-hosted style), so that the path is all key. */
    public boolean namesBucket(String host) {
        return virtualHostedBucket(host) != null;
    }
}
