package io.github.s3ite.server.storage;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;

/**
 * The condition of a write (PutObject, CompleteMultipartUpload), checked against the current
 * version inside the write's transaction: {@code If-None-Match: *} needs the key to have no current
 * object; {@code If-Match} needs it to have one with a listed ETag.
 *
 * @param ifMatch  comma-separated ETags or {@code *}, or null
 * @param ifAbsent whether {@code If-None-Match: *} was given
 */
public record WriteCondition(String ifMatch, boolean ifAbsent) {
    /** No condition: storage need not look the object up. */
    public static final WriteCondition NONE = new WriteCondition(null, false);

    public static WriteCondition absent() {
        return new WriteCondition(null, true);
    }

    public static WriteCondition ifMatch(String etags) {
        return new WriteCondition(etags, false);
    }

    boolean isNone() {
        return ifMatch == null && !ifAbsent;
    }

    /** @throws S3Exception PreconditionFailed, or NoSuchKey for If-Match on a missing key */
    void check(String key, ObjectInfo current) {
        if (ifAbsent && current != null) {
            throw ReadConditions.failed("If-None-Match");
        }
        if (ifMatch != null) {
            if (current == null) {
                throw new S3Exception(S3ErrorCode.NO_SUCH_KEY).with("Key", key);
            }
            if (!ReadConditions.etagMatches(ifMatch, current.etag())) {
                throw ReadConditions.failed("If-Match");
            }
        }
    }
}
