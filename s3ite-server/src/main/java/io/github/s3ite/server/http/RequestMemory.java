package io.github.s3ite.server.http;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;

/**
 * What one request holds of the server's {@link MemoryBudget}. Everything it holds is given back
 * when the exchange ends, however it ends (answered, failed, or the client gone), so a request can
 * never leak budget.
 */
public final class RequestMemory {
    private final MemoryBudget budget;
    private long held;
    private boolean closed;

    RequestMemory(MemoryBudget budget) {
        this.budget = budget;
    }

    /**
     * Reserves room for {@code bytes} about to be allocated for this request, waiting briefly.
     *
     * @throws S3Exception SlowDown when the budget stays full
     */
    public void reserve(long bytes) {
        budget.reserve(bytes);
        synchronized (this) {
            if (!closed) {
                held += bytes;
                return;
            }
        }
        budget.release(bytes);
        throw new S3Exception(S3ErrorCode.REQUEST_TIMEOUT, "The connection of this request is gone.");
    }

    synchronized boolean tryReserve(long bytes) {
        if (closed || !budget.tryReserve(bytes)) {
            return false;
        }
        held += bytes;
        return true;
    }

    /** Gives back part of what this request holds, as soon as it no longer needs it. */
    public void release(long bytes) {
        synchronized (this) {
            if (closed) {
                return;
            }
            bytes = Math.min(bytes, held);
            held -= bytes;
        }
        budget.release(bytes);
    }

    void releaseAll() {
        long all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = held;
            held = 0;
        }
        budget.release(all);
    }
}
