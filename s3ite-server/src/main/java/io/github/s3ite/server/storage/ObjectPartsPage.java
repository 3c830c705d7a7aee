package io.github.s3ite.server.storage;

import java.util.List;

/**
 * A page of an object's parts, in part-number order, for GetObjectAttributes.
 *
 * @param partsCount the object's number of parts, or 0 for an object that was not completed from parts
 * @param nextPartNumberMarker the last part number on this page (the marker of the next page)
 */
public record ObjectPartsPage(ObjectInfo info, int partsCount, List<ObjectPart> parts, boolean truncated,
                              int nextPartNumberMarker) {
}
