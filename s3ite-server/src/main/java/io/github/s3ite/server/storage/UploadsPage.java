package io.github.s3ite.server.storage;

import java.util.List;

/**
 * A page of ListMultipartUploads, ordered by key then by initiation time.
 *
 * @param nextKeyMarker      key of the last upload (or common prefix) on this page, or null
 * @param nextUploadIdMarker upload id of the last upload on this page, or null
 */
public record UploadsPage(List<UploadInfo> uploads, List<String> commonPrefixes, boolean truncated,
                          String nextKeyMarker, String nextUploadIdMarker) {
}
