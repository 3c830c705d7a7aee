package io.github.s3ite.server.storage;

/**
 * Part of an object as GetObject / HeadObject with {@code partNumber} serve it.
 *
 * @param info       the whole object's description
 * @param partsCount the object's number of parts, or 0 for an object that was not completed from
 *                   parts (its part 1 is the whole object)
 * @param part       the part asked for, or null when the object has no such part
 * @param bytes      the part's bytes, or null when they were not asked for
 */
public record ObjectPartContent(ObjectInfo info, int partsCount, ObjectPart part, byte[] bytes) {
}
