package io.github.s3ite.server.storage;

import java.util.List;

/**
 * One entry of ListObjectVersions: a version or a delete marker ({@code info().deleteMarker()}),
 * and whether it is the key's current one.
 */
public record ListedVersion(ObjectInfo info, boolean latest) {

    /**
     * One page of ListObjectVersions: keys in UTF-8 order, each key's versions newest first.
     *
     * @param nextKeyMarker       where the next page starts: the last key or common prefix; null when not truncated
     * @param nextVersionIdMarker the last version of {@code nextKeyMarker} on this page; null after a common prefix
     */
    public record Page(List<ListedVersion> versions, List<String> commonPrefixes, boolean truncated,
                       String nextKeyMarker, String nextVersionIdMarker) {
    }
}
