package io.github.s3ite.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routing is pure: method, host, path and query in, an operation out. */
class S3RouterTest {
    private final S3Router pathStyle = new S3Router(null);
    private final S3Router virtualHosted = new S3Router("s3.local");

    private S3Route route(String method, String path, String query) {
        return pathStyle.route(method, "127.0.0.1:8014", path, PercentCoding.parseQuery(query), false);
    }

    @Test
    void serviceBucketAndObjectLevelsAreTold() {
        assertEquals(S3Operation.LIST_BUCKETS, route("GET", "/", null).operation());
        assertEquals(new S3Route(S3Operation.LIST_OBJECTS, "photos", null), route("GET", "/photos", null));
        assertEquals(new S3Route(S3Operation.LIST_OBJECTS, "photos", null), route("GET", "/photos/", null));
        assertEquals(new S3Route(S3Operation.GET_OBJECT, "photos", "a/b.jpg"), route("GET", "/photos/a/b.jpg", null));
    }

    @Test
    void keysArePercentDecodedButPlusStaysPlus() {
        assertEquals("a b+c/é", route("GET", "/bucket/a%20b+c/%C3%A9", null).key());
        assertEquals("trailing/", route("PUT", "/bucket/trailing/", null).key());
    }

    @Test
    void subResourcesSelectTheOperation() {
        assertEquals(S3Operation.LIST_OBJECTS_V2, route("GET", "/b", "list-type=2&prefix=x").operation());
        assertEquals(S3Operation.GET_BUCKET_LOCATION, route("GET", "/b", "location").operation());
        assertEquals(S3Operation.GET_BUCKET_VERSIONING, route("GET", "/b", "versioning").operation());
        assertEquals(S3Operation.PUT_BUCKET_VERSIONING, route("PUT", "/b", "versioning").operation());
        assertEquals("PutBucketVersioning", S3Operation.PUT_BUCKET_VERSIONING.s3Name());
        assertEquals(S3Operation.PUT_OBJECT_LOCK_CONFIGURATION, route("PUT", "/b", "object-lock").operation());
        assertEquals(S3Operation.GET_OBJECT_LOCK_CONFIGURATION, route("GET", "/b", "object-lock").operation());
        assertEquals(S3Operation.PUT_OBJECT_RETENTION, route("PUT", "/b/k", "retention").operation());
        assertEquals(S3Operation.GET_OBJECT_RETENTION, route("GET", "/b/k", "retention&versionId=v").operation());
        assertEquals(S3Operation.PUT_OBJECT_LEGAL_HOLD, route("PUT", "/b/k", "legal-hold").operation());
        assertEquals(S3Operation.GET_OBJECT_LEGAL_HOLD, route("GET", "/b/k", "legal-hold").operation());
        assertEquals("GetObjectLegalHold", S3Operation.GET_OBJECT_LEGAL_HOLD.s3Name());
        assertEquals("PutObjectLockConfiguration", S3Operation.PUT_OBJECT_LOCK_CONFIGURATION.s3Name());
        assertEquals(S3Operation.LIST_OBJECT_VERSIONS, route("GET", "/b", "versions").operation());
        assertEquals(S3Operation.LIST_MULTIPART_UPLOADS, route("GET", "/b", "uploads").operation());
        assertEquals(S3Operation.DELETE_OBJECTS, route("POST", "/b", "delete").operation());
        assertEquals(S3Operation.CREATE_MULTIPART_UPLOAD, route("POST", "/b/k", "uploads").operation());
        assertEquals(S3Operation.COMPLETE_MULTIPART_UPLOAD, route("POST", "/b/k", "uploadId=x").operation());
        assertEquals(S3Operation.UPLOAD_PART, route("PUT", "/b/k", "partNumber=1&uploadId=x").operation());
        assertEquals(S3Operation.ABORT_MULTIPART_UPLOAD, route("DELETE", "/b/k", "uploadId=x").operation());
        assertEquals(S3Operation.LIST_PARTS, route("GET", "/b/k", "uploadId=x").operation());
        assertEquals(S3Operation.GET_OBJECT_TAGGING, route("GET", "/b/k", "tagging").operation());
        assertEquals(S3Operation.PUT_OBJECT_TAGGING, route("PUT", "/b/k", "tagging").operation());
        assertEquals(S3Operation.DELETE_OBJECT_TAGGING, route("DELETE", "/b/k", "tagging").operation());
        assertEquals(S3Operation.HEAD_OBJECT, route("HEAD", "/b/k", null).operation());
        assertEquals(S3Operation.HEAD_BUCKET, route("HEAD", "/b", null).operation());
    }

    @Test
    void attributesSubresourceIsGetObjectAttributesOnlyForGet() {
        assertEquals(S3Operation.GET_OBJECT_ATTRIBUTES, route("GET", "/b/k", "attributes").operation());
        assertEquals("GetObjectAttributes", S3Operation.GET_OBJECT_ATTRIBUTES.s3Name());
        assertEquals(S3Operation.GET_OBJECT, route("GET", "/b/k", "partNumber=2").operation());
        assertThrows(S3Exception.class, () -> route("PUT", "/b/k", "attributes"));
    }

    @Test
    void aCopySourceHeaderMakesACopy() {
        assertEquals(S3Operation.COPY_OBJECT,
                pathStyle.route("PUT", null, "/b/k", Map.of(), true).operation());
        assertEquals(S3Operation.UPLOAD_PART_COPY,
                pathStyle.route("PUT", null, "/b/k", PercentCoding.parseQuery("partNumber=2&uploadId=u"), true).operation());
    }

    @Test
    void bucketConfigurationSubResourcesRouteByMethod() {
        assertEquals(S3Operation.GET_BUCKET_TAGGING, route("GET", "/b", "tagging").operation());
        assertEquals(S3Operation.PUT_BUCKET_TAGGING, route("PUT", "/b", "tagging").operation());
        assertEquals(S3Operation.DELETE_BUCKET_TAGGING, route("DELETE", "/b", "tagging").operation());
        assertEquals(S3Operation.GET_OBJECT_TAGGING, route("GET", "/b/k", "tagging").operation());
        assertEquals(S3Operation.GET_BUCKET_LOGGING, route("GET", "/b", "logging").operation());
        assertEquals(S3Operation.PUT_BUCKET_LOGGING, route("PUT", "/b", "logging").operation());
        assertEquals(S3Operation.GET_BUCKET_REQUEST_PAYMENT, route("GET", "/b", "requestPayment").operation());
        assertEquals(S3Operation.PUT_BUCKET_ACCELERATE_CONFIGURATION, route("PUT", "/b", "accelerate").operation());
        assertEquals(S3Operation.DELETE_BUCKET_WEBSITE, route("DELETE", "/b", "website").operation());
        assertEquals(S3Operation.PUT_BUCKET_NOTIFICATION_CONFIGURATION, route("PUT", "/b", "notification").operation());
        assertEquals(S3Operation.GET_BUCKET_REPLICATION, route("GET", "/b", "replication").operation());
        assertEquals(S3Operation.HEAD_BUCKET, route("HEAD", "/b", "tagging").operation());
        assertEquals(S3ErrorCode.METHOD_NOT_ALLOWED,
                assertThrows(S3Exception.class, () -> route("DELETE", "/b", "logging")).error());
        assertEquals("GetBucketAccelerateConfiguration", S3Operation.GET_BUCKET_ACCELERATE_CONFIGURATION.s3Name());
        assertEquals("PutBucketNotificationConfiguration", S3Operation.PUT_BUCKET_NOTIFICATION_CONFIGURATION.s3Name());
        assertEquals("GetBucketRequestPayment", S3Operation.GET_BUCKET_REQUEST_PAYMENT.s3Name());
    }

    @Test
    void corsIsABucketConfigurationAndOptionsAPreflight() {
        assertEquals(S3Operation.GET_BUCKET_CORS, route("GET", "/b", "cors").operation());
        assertEquals(S3Operation.PUT_BUCKET_CORS, route("PUT", "/b", "cors").operation());
        assertEquals(S3Operation.DELETE_BUCKET_CORS, route("DELETE", "/b", "cors").operation());
        assertEquals("GetBucketCors", S3Operation.GET_BUCKET_CORS.s3Name());
        assertEquals(new S3Route(S3Operation.CORS_PREFLIGHT, "b", "a/k"), route("OPTIONS", "/b/a/k", null));
        assertEquals(new S3Route(S3Operation.CORS_PREFLIGHT, "b", null), route("OPTIONS", "/b", "uploads"));
        assertEquals(new S3Route(S3Operation.CORS_PREFLIGHT, null, null), route("OPTIONS", "/", null));
        assertEquals(new S3Route(S3Operation.CORS_PREFLIGHT, "photos", "cat.jpg"),
                virtualHosted.route("OPTIONS", "photos.s3.local", "/cat.jpg", Map.of(), false));
    }

    @Test
    void lifecycleIsABucketConfigurationWithItsLegacyPutOnTheSameSubResource() {
        assertEquals(S3Operation.GET_BUCKET_LIFECYCLE_CONFIGURATION, route("GET", "/b", "lifecycle").operation());
        assertEquals(S3Operation.PUT_BUCKET_LIFECYCLE_CONFIGURATION, route("PUT", "/b", "lifecycle").operation());
        assertEquals(S3Operation.DELETE_BUCKET_LIFECYCLE, route("DELETE", "/b", "lifecycle").operation());
        assertEquals("PutBucketLifecycleConfiguration", S3Operation.PUT_BUCKET_LIFECYCLE_CONFIGURATION.s3Name());
        assertEquals("DeleteBucketLifecycle", S3Operation.DELETE_BUCKET_LIFECYCLE.s3Name());
        assertEquals(S3ErrorCode.METHOD_NOT_ALLOWED,
                assertThrows(S3Exception.class, () -> route("POST", "/b", "lifecycle")).error());
    }

    @Test
    void aFormPostToABucketIsPostObjectAndAnyOtherPostToItIsRefused() {
        String form = "multipart/form-data; boundary=----x";
        assertEquals(new S3Route(S3Operation.POST_OBJECT, "b", null),
                pathStyle.route("POST", "127.0.0.1", "/b", Map.of(), false, form));
        assertEquals(new S3Route(S3Operation.POST_OBJECT, "photos", null),
                virtualHosted.route("POST", "photos.s3.local", "/", Map.of(), false, "Multipart/Form-Data;boundary=y"));
        assertEquals("PostObject", S3Operation.POST_OBJECT.s3Name());
        assertEquals(S3Operation.DELETE_OBJECTS, pathStyle.route("POST", "h", "/b", Map.of("delete", ""), false, form).operation());
        assertEquals(S3ErrorCode.REQUEST_IS_NOT_MULTI_PART_CONTENT, assertThrows(S3Exception.class,
                () -> pathStyle.route("POST", "h", "/b", Map.of(), false, "application/x-www-form-urlencoded")).error());
        assertEquals(S3ErrorCode.REQUEST_IS_NOT_MULTI_PART_CONTENT,
                assertThrows(S3Exception.class, () -> route("POST", "/b", null)).error());
        assertEquals(S3ErrorCode.METHOD_NOT_ALLOWED, assertThrows(S3Exception.class,
                () -> pathStyle.route("POST", "h", "/b/k", Map.of(), false, form)).error());
        assertEquals(S3ErrorCode.METHOD_NOT_ALLOWED, assertThrows(S3Exception.class,
                () -> pathStyle.route("POST", "h", "/b", Map.of("uploads", ""), false, form)).error());
    }

    @Test
    void unsupportedSubResourcesAreNotImplementedRatherThanMisread() {
        S3Exception error = assertThrows(S3Exception.class, () -> route("PUT", "/b", "analytics"));
        assertEquals(S3ErrorCode.NOT_IMPLEMENTED, error.error());
        assertEquals(S3ErrorCode.NOT_IMPLEMENTED, assertThrows(S3Exception.class, () -> route("DELETE", "/b/k", "acl")).error());
        assertEquals(S3ErrorCode.NOT_IMPLEMENTED, assertThrows(S3Exception.class, () -> route("GET", "/b/k", "torrent")).error());
    }

    @Test
    void virtualHostedStyleTakesTheBucketFromTheHost() {
        S3Route route = virtualHosted.route("GET", "photos.s3.local:8014", "/cat.jpg", Map.of(), false);
        assertEquals(new S3Route(S3Operation.GET_OBJECT, "photos", "cat.jpg"), route);
        S3Route bucket = virtualHosted.route("GET", "photos.s3.local", "/", Map.of(), false);
        assertEquals(new S3Route(S3Operation.LIST_OBJECTS, "photos", null), bucket);
        S3Route pathStyleOnTheDomain = virtualHosted.route("GET", "s3.local", "/photos/cat.jpg", Map.of(), false);
        assertEquals(new S3Route(S3Operation.GET_OBJECT, "photos", "cat.jpg"), pathStyleOnTheDomain);
    }

    @Test
    void badPercentEncodingIsInvalidArgument() {
        assertEquals(S3ErrorCode.INVALID_ARGUMENT,
                assertThrows(S3Exception.class, () -> route("GET", "/b/%zz", null)).error());
        assertEquals(S3ErrorCode.INVALID_ARGUMENT,
                assertThrows(S3Exception.class, () -> route("GET", "/b/%C3", null)).error());
    }

    @Test
    void onlyGetIsAllowedOnTheService() {
        assertEquals(S3ErrorCode.METHOD_NOT_ALLOWED,
                assertThrows(S3Exception.class, () -> route("PUT", "/", null)).error());
        assertNull(route("GET", "/", null).bucket());
    }
}
