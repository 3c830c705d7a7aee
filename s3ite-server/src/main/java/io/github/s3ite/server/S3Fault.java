package io.github.s3ite.server;

import java.time.Duration;
import java.util.Objects;

/**
 * A way for the server to misbehave on purpose, as S3 sometimes does, so that retries and error
 * handling can be tested: answer with an S3 error, answer late, close the connection instead of
 * answering, or send only part of the answer's body. Immutable; refine with the {@code on},
 * {@code inBucket}, {@code withKeyPrefix}, {@code times}, {@code share} and {@code after} methods,
 * then give it to {@link S3iteServer#injectFault(S3Fault)}.
 * <pre>{@code
 * server.injectFault(S3Fault.error(503, "SlowDown").on("PutObject").times(1));
 * server.injectFault(S3Fault.delay(Duration.ofSeconds(2)).on("GetObject").inBucket("photos"));
 * server.injectFault(S3Fault.truncateBody().on("GetObject").share(0.5));
 * }</pre>
 * A fault matches a request by S3 operation name, bucket and key prefix (each unset: any); it
 * applies once the request's body has been received. Of several faults, the first one injected
 * that matches applies.
 */
public final class S3Fault {
    /** What the fault does to the answer. */
    public enum Kind {
        /** An S3 error answer (XML body, the given status and code) instead of the operation. */
        ERROR,
        /** The operation's own answer, sent late. */
        DELAY,
        /** The connection closed without an answer; the operation is not carried out. */
        CLOSE_CONNECTION,
        /**
         * The operation's answer with its full Content-Length, but only half its body, then the
         * connection closed; an answer of fewer than two body bytes is sent whole.
         */
        TRUNCATE_BODY
    }

    private final Kind kind;
    private final int status;
    private final String errorCode;
    private final String message;
    private final Duration delay;
    private final String operation;
    private final String bucket;
    private final String keyPrefix;
    private final int times;
    private final double share;

    private S3Fault(Kind kind, int status, String errorCode, String message, Duration delay, String operation,
                    String bucket, String keyPrefix, int times, double share) {
        this.kind = kind;
        this.status = status;
        this.errorCode = errorCode;
        this.message = message;
        this.delay = delay;
        this.operation = operation;
        this.bucket = bucket;
        this.keyPrefix = keyPrefix;
        this.times = times;
        this.share = share;
    }

    /** Answers with S3's error body for {@code errorCode} and HTTP {@code status}, e.g. {@code error(503, "SlowDown")}. */
    public static S3Fault error(int status, String errorCode) {
        return error(status, errorCode, "This error was injected by the test.");
    }

    /** Like {@link #error(int, String)}, with the message the error body carries. */
    public static S3Fault error(int status, String errorCode, String message) {
        if (status < 300 || status > 599) {
            throw new IllegalArgumentException("An error status is within 300..599: " + status);
        }
        return new S3Fault(Kind.ERROR, status, requireText(errorCode, "errorCode"), Objects.requireNonNull(message),
                Duration.ZERO, null, null, null, -1, 1.0);
    }

    /** Carries out the request, but answers only after {@code delay}. */
    public static S3Fault delay(Duration delay) {
        return new S3Fault(Kind.DELAY, 0, null, null, Duration.ZERO, null, null, null, -1, 1.0).after(delay);
    }

    /** Closes the connection instead of answering; the request is not carried out. */
    public static S3Fault closeConnection() {
        return new S3Fault(Kind.CLOSE_CONNECTION, 0, null, null, Duration.ZERO, null, null, null, -1, 1.0);
    }

    /** Carries out the request, announces its whole answer, sends half of the body and closes the connection. */
    public static S3Fault truncateBody() {
        return new S3Fault(Kind.TRUNCATE_BODY, 0, null, null, Duration.ZERO, null, null, null, -1, 1.0);
    }

    /** Only requests of this S3 operation, named as S3 names it: {@code PutObject}, {@code GetObject}, ... */
    public S3Fault on(String operation) {
        return new S3Fault(kind, status, errorCode, message, delay, requireText(operation, "operation"), bucket,
                keyPrefix, times, share);
    }

    /** Only requests about this bucket. */
    public S3Fault inBucket(String bucket) {
        return new S3Fault(kind, status, errorCode, message, delay, operation, requireText(bucket, "bucket"),
                keyPrefix, times, share);
    }

    /** Only requests about keys starting with {@code prefix}. */
    public S3Fault withKeyPrefix(String prefix) {
        return new S3Fault(kind, status, errorCode, message, delay, operation, bucket,
                Objects.requireNonNull(prefix, "prefix"), times, share);
    }

    /** Only the next {@code count} matching requests; by default every one until the faults are cleared. */
    public S3Fault times(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("times must be positive: " + count);
        }
        return new S3Fault(kind, status, errorCode, message, delay, operation, bucket, keyPrefix, count, share);
    }

    /** Only this share (0 to 1) of matching requests, chosen at random. */
    public S3Fault share(double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be within (0, 1]: " + share);
        }
        return new S3Fault(kind, status, errorCode, message, delay, operation, bucket, keyPrefix, times, share);
    }

    /** Waits {@code delay} before the fault's answer (or closing). */
    public S3Fault after(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
        return new S3Fault(kind, status, errorCode, message, delay, operation, bucket, keyPrefix, times, share);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status of an {@link Kind#ERROR} fault; 0 for others. */
    public int status() {
        return status;
    }

    /** The S3 error code of an {@link Kind#ERROR} fault; null for others. */
    public String errorCode() {
        return errorCode;
    }

    public String message() {
        return message;
    }

    public Duration delay() {
        return delay;
    }

    /** The operation matched, or null for any. */
    public String operation() {
        return operation;
    }

    /** The bucket matched, or null for any. */
    public String bucket() {
        return bucket;
    }

    /** The key prefix matched, or null for any key. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** How many matching requests it applies to; -1 for every one until cleared. */
    public int times() {
        return times;
    }

    public double share() {
        return share;
    }

    /** Whether a request of {@code operation} about {@code bucket}/{@code key} is one this fault is for. */
    public boolean matches(String operation, String bucket, String key) {
        return (this.operation == null || this.operation.equals(operation))
                && (this.bucket == null || this.bucket.equals(bucket))
                && (keyPrefix == null || key != null && key.startsWith(keyPrefix));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof S3Fault that && kind == that.kind && status == that.status && times == that.times
                && Double.compare(share, that.share) == 0 && Objects.equals(errorCode, that.errorCode)
                && Objects.equals(message, that.message) && delay.equals(that.delay)
                && Objects.equals(operation, that.operation) && Objects.equals(bucket, that.bucket)
                && Objects.equals(keyPrefix, that.keyPrefix);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, status, errorCode, message, delay, operation, bucket, keyPrefix, times, share);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(switch (kind) {
            case ERROR -> status + " " + errorCode;
            case DELAY -> "delay";
            case CLOSE_CONNECTION -> "close connection";
            case TRUNCATE_BODY -> "truncate body";
        });
        if (!delay.isZero()) {
            text.append(" after ").append(delay.toMillis()).append(" ms");
        }
        if (operation != null) {
            text.append(" on ").append(operation);
        }
        if (bucket != null) {
            text.append(" in ").append(bucket);
        }
        if (keyPrefix != null) {
            text.append(" for keys ").append(keyPrefix).append('*');
        }
        if (times > 0) {
            text.append(" x").append(times);
        }
        if (share < 1) {
            text.append(" share ").append(share);
        }
        return text.toString();
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}
