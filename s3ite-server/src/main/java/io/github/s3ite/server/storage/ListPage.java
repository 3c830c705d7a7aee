package io.github.s3ite.server.storage;

import java.util.List;

/**
 * One page of a listing, in UTF-8 binary key order.
 *
 * @param objects        the objects of this page (keys that do not roll up into a common prefix)
 * @param commonPrefixes the common prefixes of this page, each ending with the delimiter
 * @param truncated      whether more entries follow
 * @param lastEntry      the greatest key or common prefix on this page: where the next page starts
 *                       (exclusive); null when the page is empty
 */
public record ListPage(List<ObjectInfo> objects, List<String> commonPrefixes, boolean truncated, String lastEntry) {
}
