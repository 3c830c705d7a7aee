package io.github.s3ite.server.storage;

/**
 * What a delete did, as DeleteObject answers it.
 *
 * @param versionId    the delete marker made, or the version removed; null in an unversioned
 *                     bucket's simple delete
 * @param deleteMarker whether a delete marker was made, or the version removed was one
 */
public record DeleteResult(String key, String versionId, boolean deleteMarker) {
}
