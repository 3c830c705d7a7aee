package io.github.s3ite.benchmarks;

import io.github.s3ite.benchmarks.perclass.SampleTestClasses;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Run in a fresh JVM: the JUnit Platform launcher runs each class of {@link SampleTestClasses} on its
 * own, round after round, in this one JVM. The first round is the cold one (printed apart); after
 * {@code warmUp} more rounds, {@code rounds} measured ones give, per class, the median of its wall
 * time (class container started to finished) and of the sum of its test methods' times (each test
 * from started to finished, its beforeEach/afterEach callbacks and parameter resolution included),
 * and the mean of the CPU time the process spent while the class ran, all threads' (the mean: the
 * process's CPU clock counts in ticks of 10 ms, more than a class takes). Prints
 * {@code class NAME cold MS total MS total_p90 MS methods MS cpu MS} lines for {@link PerTestClass}.
 */
public final class PerTestClassProbe {
    static final List<Class<?>> CLASSES = List.of(
            SampleTestClasses.NoExtension.class,
            SampleTestClasses.NothingInjected.class,
            SampleTestClasses.InjectsServer.class,
            SampleTestClasses.InjectsS3Client.class,
            SampleTestClasses.InjectsS3AsyncClient.class,
            SampleTestClasses.InjectsS3Presigner.class,
            SampleTestClasses.InjectsEveryType.class);

    private PerTestClassProbe() {
    }

    public static void main(String[] args) {
        int warmUp = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        Launcher launcher = LauncherFactory.create();
        Map<Class<?>, double[]> totals = new LinkedHashMap<>();
        Map<Class<?>, double[]> methods = new LinkedHashMap<>();
        Map<Class<?>, double[]> cpu = new LinkedHashMap<>();
        Map<Class<?>, Double> cold = new LinkedHashMap<>();
        for (Class<?> type : CLASSES) {
            totals.put(type, new double[rounds]);
            methods.put(type, new double[rounds]);
            cpu.put(type, new double[rounds]);
        }
        for (int round = -1 - warmUp; round < rounds; round++) {
            // each class once per round, in the same order: no class profits from a neighbour's warm-up more than another
            for (Class<?> type : CLASSES) {
                Timing timing = run(launcher, type);
                if (round == -1 - warmUp) {
                    cold.put(type, timing.total);
                } else if (round >= 0) {
                    totals.get(type)[round] = timing.total;
                    methods.get(type)[round] = timing.methods;
                    cpu.get(type)[round] = timing.cpu;
                }
            }
        }
        for (Class<?> type : CLASSES) {
            Stats total = Stats.of(totals.get(type));
            System.out.printf(Locale.ROOT, "class %s cold %.1f total %.1f total_p90 %.1f methods %.1f cpu %.1f%n",
                    type.getSimpleName(), cold.get(type), total.median(), total.p90(), Stats.of(methods.get(type)).median(),
                    java.util.Arrays.stream(cpu.get(type)).average().orElse(Double.NaN));
        }
    }

    record Timing(double total, double methods, double cpu) {
    }

    /** CPU time of this process so far, every thread's (the JIT's and the collector's too), in nanoseconds (ticks of 10 ms on Linux). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static Timing run(Launcher launcher, Class<?> type) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(type))
                .build();
        Listener listener = new Listener(type);
        long cpuBefore = processCpuNanos();
        launcher.execute(request, listener);
        long cpuNanos = processCpuNanos() - cpuBefore;
        if (!listener.failures.isEmpty()) {
            throw new IllegalStateException(type.getSimpleName() + " failed: " + listener.failures);
        }
        if (listener.tests != 3 || listener.classNanos == 0) {
            throw new IllegalStateException(type.getSimpleName() + " ran " + listener.tests + " tests");
        }
        return new Timing(listener.classNanos / 1e6, listener.methodNanos / 1e6, cpuNanos / 1e6);
    }

    private static final class Listener implements TestExecutionListener {
        private final Class<?> type;
        private final Map<String, Long> started = new ConcurrentHashMap<>();
        private final List<String> failures = new ArrayList<>();
        private long classNanos;
        private long methodNanos;
        private int tests;

        Listener(Class<?> type) {
            this.type = type;
        }

        @Override
        public void executionStarted(TestIdentifier id) {
            started.put(id.getUniqueId(), System.nanoTime());
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            long elapsed = System.nanoTime() - started.get(id.getUniqueId());
            if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                failures.add(id.getDisplayName() + ": " + result.getThrowable().map(Throwable::toString).orElse("?"));
            }
            if (id.isTest()) {
                tests++;
                methodNanos += elapsed;
            } else if (id.getSource().filter(source -> source instanceof ClassSource classSource
                    && classSource.getJavaClass() == type).isPresent()) {
                classNanos = elapsed;
            }
        }
    }
}
