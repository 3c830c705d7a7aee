package io.github.s3ite.server.storage;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.time.Instant;

/**
 * The condition of a write (PutObject, CopyObject's destination, CompleteMultipartUpload) or of a
 * delete (DeleteObject's {@code If-Match}, an {@code ETag} in DeleteObjects), checked against the
 * current version inside the write's transaction: {@code If-None-Match: *} needs the key to have no
 * current object; {@code If-Match} needs it to have one with a listed ETag (404 NoSuchKey when it
 * has none, 412 PreconditionFailed when the ETag differs).
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

    /** {@code If-Match}; NONE for null. */
    public static WriteCondition ifMatch(String etags) {
        return etags == null ? NONE : new WriteCondition(etags, false);
    }

    public boolean isNone() {
        return ifMatch == null && !ifAbsent;
    }

    /**
     * Checks the condition against the key's current object ({@code current}, null when it has none).
     *
     * @throws S3Exception PreconditionFailed, or NoSuchKey for If-Match on a missing key
     */
    public void check(String key, ObjectInfo current) {
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

    /**
     * CompleteMultipartUpload's rule: {@link #check}, except that a condition failing because the
     * object was written after the upload was {@code initiated} is 409 ConditionalRequestConflict
     * (the client must start the upload again); one that failed already when the upload began is
     * 412 PreconditionFailed.
     *
     * @throws S3Exception ConditionalRequestConflict, PreconditionFailed, NoSuchKey
     */
    public void checkCompletion(String key, ObjectInfo current, Instant initiated) {
        try {
            check(key, current);
        } catch (S3Exception e) {
            if (e.error() == S3ErrorCode.PRECONDITION_FAILED && current != null
                    && current.lastModified().isAfter(initiated)) {
                throw new S3Exception(S3ErrorCode.CONDITIONAL_REQUEST_CONFLICT,
                        "A conflicting operation occurred. Start the multipart upload again.");
            }
            throw e;
        }
    }
}
