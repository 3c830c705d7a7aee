package io.github.s3ite.server.http;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one server-wide budget of buffered request and response bytes: request bodies as they
 * arrive, object bytes read for a response, objects assembled or copied in memory. A reservation
 * that does not fit waits up to {@code wait} for others to finish, then fails with 503
 * {@code SlowDown}; nothing is ever reserved for bytes that have not arrived or been read.
 */
public final class MemoryBudget {
    private final long limit;
    private final long waitNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private long used;

    public MemoryBudget(long limit, Duration wait) {
        if (limit <= 0) {
            throw new IllegalArgumentException("The memory budget must be positive: " + limit);
        }
        this.limit = limit;
        this.waitNanos = wait.toNanos();
    }

    /** The budget of the server's JVM by default: half of its maximum heap. */
    public static long defaultLimit() {
        return Runtime.getRuntime().maxMemory() / 2;
    }

    public long limit() {
        return limit;
    }

    /** Bytes reserved now. */
    public long used() {
        lock.lock();
        try {
            return used;
        } finally {
            lock.unlock();
        }
    }

    /** Reserves {@code bytes} if they fit now, without waiting. */
    boolean tryReserve(long bytes) {
        lock.lock();
        try {
            if (used + bytes > limit) {
                return false;
            }
            used += bytes;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Reserves {@code bytes}, waiting briefly for them to fit. @throws S3Exception SlowDown */
    void reserve(long bytes) {
        lock.lock();
        try {
            long remaining = waitNanos;
            while (used + bytes > limit) {
                if (remaining <= 0 || bytes > limit) {
                    throw slowDown();
                }
                remaining = released.awaitNanos(remaining);
            }
            used += bytes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw slowDown();
        } finally {
            lock.unlock();
        }
    }

    void release(long bytes) {
        if (bytes == 0) {
            return;
        }
        lock.lock();
        try {
            used -= bytes;
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long waitMillis() {
        return TimeUnit.NANOSECONDS.toMillis(waitNanos);
    }

    static S3Exception slowDown() {
        return new S3Exception(S3ErrorCode.SLOW_DOWN,
                "Please reduce your request rate: the server's memory budget for buffered bytes is in use.");
    }
}
