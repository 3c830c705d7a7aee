package io.github.s3ite.server.operations;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.http.PercentCoding;

/**
 * The object an {@code x-amz-copy-source} header names: {@code [/]bucket/key[?versionId=id]}, URL-encoded.
 *
 * @param versionId the version to copy, or null for the current one
 */
record CopySource(String bucket, String key, String versionId) {

    static CopySource parse(String header) {
        if (header == null || header.isBlank()) {
            throw invalid();
        }
        String value = header.trim();
        int question = value.indexOf('?');
        String versionId = null;
        if (question >= 0) {
            String query = value.substring(question + 1);
            value = value.substring(0, question);
            if (query.startsWith("versionId=")) {
                versionId = Versions.versionIdParameter(PercentCoding.decodeQueryComponent(
                        query.substring("versionId=".length())));
            }
        }
        String decoded = PercentCoding.decodePath(value);
        if (decoded.startsWith("/")) {
            decoded = decoded.substring(1);
        }
        int slash = decoded.indexOf('/');
        if (slash <= 0 || slash == decoded.length() - 1) {
            throw invalid();
        }
        return new CopySource(decoded.substring(0, slash), decoded.substring(slash + 1), versionId);
    }

    private static S3Exception invalid() {
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                "Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
                .with("ArgumentName", "x-amz-copy-source");
    }
}
