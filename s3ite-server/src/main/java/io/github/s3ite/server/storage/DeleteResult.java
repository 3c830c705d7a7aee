package io.github.s3ite.server.storage;

import io.github.s3ite.server.error.S3Exception;

/**
 * What a delete did, as DeleteObject answers it.
 *
 * @param versionId    the delete marker made, or the version removed; null in an unversioned
 *                     bucket's simple delete
 * @param deleteMarker whether a delete marker was made, or the version removed was one
 * @param refused      in DeleteObjects, why this one was not deleted (AccessDenied: object lock); else null
 */
public record DeleteResult(String key, String versionId, boolean deleteMarker, S3Exception refused) {
}
