package io.github.s3ite.server.lifecycle;

/**
 * What applying lifecycle rules did.
 *
 * @param expiredObjects           current versions expired (deleted, or hidden under a new delete marker)
 * @param deletedNoncurrentVersions noncurrent versions and noncurrent delete markers deleted
 * @param removedDeleteMarkers     lone delete markers removed
 * @param abortedUploads           incomplete multipart uploads aborted
 */
public record LifecycleOutcome(int expiredObjects, int deletedNoncurrentVersions, int removedDeleteMarkers,
                               int abortedUploads) {
    public static final LifecycleOutcome NONE = new LifecycleOutcome(0, 0, 0, 0);

    public LifecycleOutcome plus(LifecycleOutcome other) {
        return new LifecycleOutcome(expiredObjects + other.expiredObjects,
                deletedNoncurrentVersions + other.deletedNoncurrentVersions,
                removedDeleteMarkers + other.removedDeleteMarkers, abortedUploads + other.abortedUploads);
    }
}
