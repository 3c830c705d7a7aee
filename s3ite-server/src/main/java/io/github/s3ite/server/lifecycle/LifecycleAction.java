package io.github.s3ite.server.lifecycle;

/** What a lifecycle rule does to one version of a key, decided by {@link LifecycleConfiguration#actions}. */
public sealed interface LifecycleAction {
    /** The rule that decided it. */
    String ruleId();

    /**
     * Expire the current version as a DeleteObject without a version id does: gone in an
     * unversioned bucket, beneath a new delete marker in a versioned one.
     */
    record ExpireCurrentVersion(String versionId, String ruleId) implements LifecycleAction {
    }

    /** Delete a noncurrent version (or noncurrent delete marker) for good. */
    record DeleteNoncurrentVersion(String versionId, String ruleId) implements LifecycleAction {
    }

    /** Remove a current delete marker that no version is left beneath. */
    record RemoveDeleteMarker(String versionId, String ruleId) implements LifecycleAction {
    }
}
