package io.github.s3ite.server.http;

import io.github.s3ite.server.S3Fault;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** The faults injected into a server, and which of them, if any, a request meets. */
public final class FaultInjector {
    private final List<Injected> faults = new CopyOnWriteArrayList<>();

    private record Injected(S3Fault fault, AtomicInteger remaining) {
    }

    private static final java.util.Set<String> OPERATIONS = java.util.Arrays.stream(S3Operation.values())
            .map(S3Operation::s3Name).collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** @throws IllegalArgumentException when the fault names an operation this server does not have */
    public static void requireKnownOperation(S3Fault fault) {
        if (fault.operation() != null && !OPERATIONS.contains(fault.operation())) {
            throw new IllegalArgumentException("No S3 operation is named " + fault.operation()
                    + "; the names are S3's, e.g. PutObject, GetObject, ListObjectsV2");
        }
    }

    public void add(S3Fault fault) {
        faults.add(new Injected(fault, new AtomicInteger(fault.times())));
    }

    public void clear() {
        faults.clear();
    }

    /** The faults still in force, in the order injected. */
    public List<S3Fault> faults() {
        List<S3Fault> active = new ArrayList<>();
        for (Injected injected : faults) {
            active.add(injected.fault());
        }
        return active;
    }

    /** The fault this request meets, or null; a fault limited to a number of requests counts this one. */
    S3Fault meet(String operation, String bucket, String key) {
        if (faults.isEmpty()) {
            return null;
        }
        for (Injected injected : faults) {
            S3Fault fault = injected.fault();
            if (!fault.matches(operation, bucket, key)
                    || fault.share() < 1 && ThreadLocalRandom.current().nextDouble() >= fault.share()) {
                continue;
            }
            if (fault.times() < 0) {
                return fault;
            }
            int left = injected.remaining().getAndDecrement();
            if (left > 0) {
                if (left == 1) {
                    faults.remove(injected);
                }
                return fault;
            }
        }
        return null;
    }
}
