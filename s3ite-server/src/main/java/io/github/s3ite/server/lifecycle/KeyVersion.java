package io.github.s3ite.server.lifecycle;

import java.time.Instant;
import java.util.Map;

/**
 * A version of a key as lifecycle rules see it. A delete marker has size 0 and no tags.
 *
 * @param versionId the version id; {@link #NULL} for S3's null version
 * @param created   its creation (last-modified) time
 * @param locked    whether object lock (a retention in force or a legal hold) protects it
 */
public record KeyVersion(String versionId, boolean deleteMarker, long size, Map<String, String> tags, Instant created,
                         boolean locked) {
    /** S3's null version id. */
    public static final String NULL = "null";

    public KeyVersion {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }
}
