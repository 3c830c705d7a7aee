package io.github.s3ite.server.operations;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.http.S3Request;
import io.github.s3ite.server.http.S3Response;
import io.github.s3ite.server.http.XmlWriter;
import io.github.s3ite.server.storage.BucketStore;
import java.util.LinkedHashMap;
import java.util.Map;

/** GetObjectTagging, PutObjectTagging and DeleteObjectTagging. */
final class TaggingOperations {
    private final BucketStore store;

    TaggingOperations(BucketStore store) {
        this.store = store;
    }

    S3Response getObjectTagging(S3Request request) {
        Map<String, String> tags = store.bucket(request.bucket()).getTags(request.key());
        XmlWriter xml = XmlWriter.document("Tagging").start("TagSet");
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            xml.start("Tag").element("Key", tag.getKey()).element("Value", tag.getValue()).end();
        }
        return S3Response.xml(xml);
    }

    S3Response putObjectTagging(S3Request request) {
        RequestDocuments.Tagging tagging = RequestDocuments.parse(request.readSmallBody(64 * 1024),
                RequestDocuments.Tagging.class);
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
        store.bucket(request.bucket()).putTags(request.key(), tags);
        return S3Response.ok();
    }

    S3Response deleteObjectTagging(S3Request request) {
        store.bucket(request.bucket()).deleteTags(request.key());
        return S3Response.noContent();
    }
}
