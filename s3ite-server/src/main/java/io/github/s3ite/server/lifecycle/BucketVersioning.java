package io.github.s3ite.server.lifecycle;

/**
 * A bucket's versioning as far as an expiration cares: whether expiring the current version
 * deletes it (never versioned; suspended, for the null version) or puts a delete marker on it.
 */
public enum BucketVersioning {
    UNVERSIONED, ENABLED, SUSPENDED
}
