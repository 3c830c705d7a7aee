package io.github.s3ite.server.storage;

import java.time.Instant;

/**
 * The object lock of one version: a retention (mode and retain-until date) and a legal hold.
 *
 * @param mode        {@code GOVERNANCE} or {@code COMPLIANCE}, or null for no retention
 * @param retainUntil when the retention ends; null exactly when {@code mode} is
 * @param legalHold   ON (true), OFF (false), or never set (null)
 */
public record ObjectLock(Mode mode, Instant retainUntil, Boolean legalHold) {
    public static final ObjectLock NONE = new ObjectLock(null, null, null);

    /** S3's two retention modes. */
    public enum Mode {
        /** Deletable, and its retention shortened, with {@code x-amz-bypass-governance-retention}. */
        GOVERNANCE,
        /** Neither deletable nor shortened by anyone until it ends. */
        COMPLIANCE;

        /** The mode a name stands for, or null. */
        public static Mode fromName(String name) {
            for (Mode mode : values()) {
                if (mode.name().equals(name)) {
                    return mode;
                }
            }
            return null;
        }
    }

    /** Whether the retention protects the version at {@code now}. */
    public boolean retained(Instant now) {
        return mode != null && retainUntil != null && retainUntil.isAfter(now);
    }

    public boolean held() {
        return Boolean.TRUE.equals(legalHold);
    }

    public boolean isNone() {
        return mode == null && legalHold == null;
    }

    ObjectLock withRetention(Mode newMode, Instant until) {
        return new ObjectLock(newMode, until, legalHold);
    }

    ObjectLock withLegalHold(boolean on) {
        return new ObjectLock(mode, retainUntil, on);
    }
}
