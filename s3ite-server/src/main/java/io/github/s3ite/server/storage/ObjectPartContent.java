package io.github.s3ite.server.storage;

/**
 * Part of an object as GetObject / HeadObject with {@code partNumber} serve it: what a read with a
 * {@link ByteRange.Part} finds.
 *
 * @param info       the whole object's description
 * @param partsCount the object's number of parts, or 0 for an object that was not completed from
 *                   parts, or whose part boundaries are not kept (a non-current version): its part
 *                   1 is the whole object
 * @param part       the part asked for
 * @param bytes      the part's bytes; empty when they were not asked for
 */
public record ObjectPartContent(ObjectInfo info, int partsCount, ObjectPart part, byte[] bytes) implements ReadResult {
}
