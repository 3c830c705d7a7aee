package io.github.s3ite.server.operations;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.http.S3Request;
import io.github.s3ite.server.http.S3Response;
import io.github.s3ite.server.http.XmlWriter;
import io.github.s3ite.server.storage.BucketFile;
import io.github.s3ite.server.storage.BucketStore;
import io.github.s3ite.server.storage.ObjectInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/** GetObjectTagging, PutObjectTagging and DeleteObjectTagging. */
final class TaggingOperations {
    private final BucketStore store;

    TaggingOperations(BucketStore store) {
        this.store = store;
    }

    S3Response getObjectTagging(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        ObjectInfo info = version(bucket, request, "GET");
        XmlWriter xml = XmlWriter.document("Tagging").start("TagSet");
        for (Map.Entry<String, String> tag : info.tags().entrySet()) {
            xml.start("Tag").element("Key", tag.getKey()).element("Value", tag.getValue()).end();
        }
        S3Response response = S3Response.xml(xml);
        Versions.writeVersionId(response, bucket, info.versionId());
        return response;
    }

    /** The version a tagging request names (else the current one), which must not be a delete marker. */
    private static ObjectInfo version(BucketFile bucket, S3Request request, String method) {
        String versionId = Versions.versionId(request);
        ObjectInfo info = bucket.describe(request.key(), versionId);
        if (info.deleteMarker()) {
            throw Versions.deleteMarker(info, versionId != null, method);
        }
        return info;
    }

    S3Response putObjectTagging(S3Request request) {
        return setTags(request, tags(request.readSmallBody(64 * 1024)), "PUT", S3Response.ok());
    }

    /**
     * The tags of a {@code Tagging} document, validated.
     *
     * @throws S3Exception MalformedXML, InvalidTag
     */
    static Map<String, String> tags(byte[] document) {
        RequestDocuments.Tagging tagging = RequestDocuments.parse(document, RequestDocuments.Tagging.class);
        Map<String, String> tags = new LinkedHashMap<>();
        if (tagging.tagSet != null) {
            for (RequestDocuments.Tag tag : tagging.tagSet.tags) {
                if (tag.key == null) {
                    throw new S3Exception(S3ErrorCode.MALFORMED_XML);
                }
                if (tags.put(tag.key, tag.value == null ? "" : tag.value) != null) {
                    throw new S3Exception(S3ErrorCode.INVALID_TAG, "Cannot provide multiple Tags with the same key");
                }
            }
        }
        ObjectRequests.validateTags(tags);
        return tags;
    }

    S3Response deleteObjectTagging(S3Request request) {
        return setTags(request, Map.of(), "DELETE", S3Response.noContent());
    }

    private S3Response setTags(S3Request request, Map<String, String> tags, String method, S3Response response) {
        BucketFile bucket = store.bucket(request.bucket());
        ObjectInfo info = version(bucket, request, method);
        bucket.putTags(request.key(), info.versionId(), tags);
        Versions.writeVersionId(response, bucket, info.versionId());
        return response;
    }
}
