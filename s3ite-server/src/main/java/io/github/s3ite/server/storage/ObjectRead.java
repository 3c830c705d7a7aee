package io.github.s3ite.server.storage;

import java.util.function.LongConsumer;

/**
 * A read of one version of an object, decided before it runs: storage finds the version, checks
 * {@code conditions} and resolves {@code range} against it, reserves the bytes with
 * {@code reserve} and reads them, all in one snapshot.
 *
 * @param versionId   the version to read, or null for the current one
 * @param range       the bytes wanted; ignored when {@code bytesWanted} is false
 * @param bytesWanted false for HEAD: only the description (and the range checked)
 * @param reserve     told the length of the slice before its bytes are read (the memory budget);
 *                    may throw to refuse
 */
public record ObjectRead(String key, String versionId, ReadConditions conditions, ByteRange range,
                         boolean bytesWanted, LongConsumer reserve) {

    /** The whole current version, without conditions or a memory budget. */
    public static ObjectRead whole(String key) {
        return new ObjectRead(key, null, ReadConditions.NONE, ByteRange.WHOLE, true, length -> { });
    }
}
