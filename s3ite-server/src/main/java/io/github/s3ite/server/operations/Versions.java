package io.github.s3ite.server.operations;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.http.S3Request;
import io.github.s3ite.server.http.S3Response;
import io.github.s3ite.server.storage.BucketFile;
import io.github.s3ite.server.storage.ObjectInfo;
import io.github.s3ite.server.storage.VersionIds;
import io.github.s3ite.server.storage.Versioning;

/** The {@code versionId} parameter and the version headers S3 answers with. */
final class Versions {
    private Versions() {
    }

    /**
     * The {@code versionId} query parameter, or null when absent.
     *
     * @throws S3Exception InvalidArgument when it cannot be a version id
     */
    static String versionId(S3Request request) {
        return versionIdParameter(request.query("versionId"));
    }

    static String versionIdParameter(String value) {
        if (value == null) {
            return null;
        }
        if (!VersionIds.isWellFormed(value)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid version id specified")
                    .with("ArgumentName", "versionId").with("ArgumentValue", value);
        }
        return value;
    }

    /** S3 names the version of what it wrote or read only in a bucket that has (had) versioning. */
    static void writeVersionId(S3Response response, BucketFile bucket, String versionId) {
        if (bucket.versioning().status() != Versioning.Status.UNVERSIONED || !VersionIds.NULL.equals(versionId)) {
            response.header("x-amz-version-id", versionId);
        }
    }

    /**
     * What S3 answers when a request meets a delete marker: 404 NoSuchKey when it is the current
     * version, 405 MethodNotAllowed when the request named it by version id; both say so in
     * {@code x-amz-delete-marker}.
     */
    static S3Exception deleteMarker(ObjectInfo marker, boolean byVersionId, String method) {
        if (byVersionId) {
            return new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED)
                    .with("Method", method).with("ResourceType", "DeleteMarker")
                    .withHeader("x-amz-delete-marker", "true")
                    .withHeader("x-amz-version-id", marker.versionId())
                    .withHeader("Last-Modified", HttpDates.format(marker.lastModified()));
        }
        return new S3Exception(S3ErrorCode.NO_SUCH_KEY).with("Key", marker.key())
                .withHeader("x-amz-delete-marker", "true")
                .withHeader("x-amz-version-id", marker.versionId());
    }
}
