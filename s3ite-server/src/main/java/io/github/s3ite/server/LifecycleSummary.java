package io.github.s3ite.server;

/**
 * What applying the buckets' lifecycle rules did ({@link S3iteServer#applyLifecycle(java.time.Instant)}).
 *
 * @param expiredObjects            current versions expired: deleted in an unversioned bucket,
 *                                  hidden under a new delete marker in a versioned one
 * @param deletedNoncurrentVersions noncurrent versions (and noncurrent delete markers) deleted
 * @param removedDeleteMarkers      delete markers removed that no version was left beneath
 * @param abortedUploads            incomplete multipart uploads aborted, their parts with them
 */
public record LifecycleSummary(int expiredObjects, int deletedNoncurrentVersions, int removedDeleteMarkers,
                               int abortedUploads) {

    /** Everything done, counted together. */
    public int total() {
        return expiredObjects + deletedNoncurrentVersions + removedDeleteMarkers + abortedUploads;
    }
}
