package io.github.s3ite.server.http;

import io.github.s3ite.server.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The last requests the server answered, in the order they were answered: a ring of fixed
 * capacity, so that leaving it on costs a bounded amount of memory. Each request is also offered
 * once, in order, to {@link #take(Duration)}, in the manner of MockWebServer's {@code takeRequest}.
 */
public final class RequestJournal {
    private final RecordedRequest[] ring;
    /** Sequence number the next recorded request gets; request {@code s} sits at {@code ring[s % capacity]}. */
    private long next;
    /** Requests before this sequence number are gone from view (cleared). */
    private long clearedBefore;
    /** The sequence number {@link #take(Duration)} hands out next. */
    private long taken;

    /** @param capacity how many requests are kept; 0 keeps none */
    public RequestJournal(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        }
        this.ring = new RecordedRequest[capacity];
    }

    public boolean isOn() {
        return ring.length > 0;
    }

    synchronized void record(RecordedRequest request) {
        if (ring.length == 0) {
            return;
        }
        ring[(int) (next % ring.length)] = request;
        next++;
        notifyAll();
    }

    private long oldest() {
        return Math.max(clearedBefore, next - ring.length);
    }

    /** The requests kept, oldest first. */
    public synchronized List<RecordedRequest> requests() {
        List<RecordedRequest> requests = new ArrayList<>((int) (next - oldest()));
        for (long s = oldest(); s < next; s++) {
            requests.add(ring[(int) (s % ring.length)]);
        }
        return requests;
    }

    /**
     * The next request not yet taken, waiting up to {@code timeout} for one; null when none came.
     * Requests that fell out of the ring before being taken are skipped.
     */
    public synchronized RecordedRequest take(Duration timeout) throws InterruptedException {
        if (ring.length == 0) {
            throw new IllegalStateException("The request journal is off (capacity 0): nothing can be taken");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            taken = Math.max(taken, oldest());
            if (taken < next) {
                return ring[(int) (taken++ % ring.length)];
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
        }
    }

    public synchronized void clear() {
        clearedBefore = next;
        taken = next;
        for (int i = 0; i < ring.length; i++) {
            ring[i] = null;
        }
    }
}
