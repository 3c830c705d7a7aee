package io.github.s3ite.server.http;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongUnaryOperator;

/**
 * The one server-wide budget of buffered request and response bytes: request bodies as they
 * arrive, object bytes read for a response, objects assembled or copied in memory, and what a cache
 * holds ({@link #tryHold}). A reservation that does not fit first asks the cache to give bytes back
 * ({@link #reclaimWith}), then waits up to {@code wait} for others to finish, then fails with 503
 * {@code SlowDown}; nothing is ever reserved for bytes that have not arrived or been read. So what a
 * cache holds never makes a request wait or fail.
 */
public final class MemoryBudget {
    private final long limit;
    private final long waitNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private long used;
    /** The part of {@code used} that a cache holds and gives back on demand. */
    private long held;
    /** Asked for bytes back before a reservation waits; never called with {@code lock} held. */
    private volatile LongUnaryOperator reclaimer = wanted -> 0;

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

    /**
     * Who gives bytes back when a reservation does not fit: told how many are missing, it releases
     * what it can with {@link #releaseHeld} and returns how many it gave back at once (it may give
     * more back later, which wakes waiting reservations).
     */
    public void reclaimWith(LongUnaryOperator reclaimer) {
        this.reclaimer = reclaimer;
    }

    /** Bytes reserved now, a cache's included. */
    public long used() {
        lock.lock();
        try {
            return used;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes reserved now by requests: {@link #used()} without what a cache holds. */
    public long usedByRequests() {
        lock.lock();
        try {
            return used - held;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes {@code bytes} for a cache if they are free now, without waiting and without reclaiming
     * anything: a cache never makes room for itself at the expense of requests.
     */
    public boolean tryHold(long bytes) {
        lock.lock();
        try {
            if (used + bytes > limit) {
                return false;
            }
            used += bytes;
            held += bytes;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Gives back bytes taken with {@link #tryHold}. */
    public void releaseHeld(long bytes) {
        if (bytes == 0) {
            return;
        }
        lock.lock();
        try {
            used -= bytes;
            held -= bytes;
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Reserves {@code bytes} if they fit now, after asking the cache for room, without waiting. */
    boolean tryReserve(long bytes) {
        long missing = take(bytes);
        if (missing == 0) {
            return true;
        }
        return reclaimer.applyAsLong(missing) > 0 && take(bytes) == 0;
    }

    /** Takes {@code bytes} if they fit: 0, else how many are missing. */
    private long take(long bytes) {
        lock.lock();
        try {
            if (used + bytes > limit) {
                return used + bytes - limit;
            }
            used += bytes;
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reserves {@code bytes}, first asking the cache for room, then waiting briefly for them to fit.
     *
     * @throws S3Exception SlowDown
     */
    void reserve(long bytes) {
        if (bytes > limit) {
            throw slowDown();
        }
        long deadline = System.nanoTime() + waitNanos;
        while (true) {
            long missing = take(bytes);
            if (missing == 0) {
                return;
            }
            if (reclaimer.applyAsLong(missing) > 0) {
                continue;
            }
            lock.lock();
            try {
                if (used + bytes <= limit) {
                    used += bytes;
                    return;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw slowDown();
                }
                released.awaitNanos(remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw slowDown();
            } finally {
                lock.unlock();
            }
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
