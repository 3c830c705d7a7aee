package io.github.s3ite.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The per-test-class part ({@code -Dbenchmarks.parts=perclass}): what a test class using the
 * extension costs beyond its test methods, for each type the extension injects. {@link PerTestClassProbe}
 * runs the classes of {@code SampleTestClasses} with the JUnit Platform launcher in a JVM of its own;
 * this prints its figures beside the class without s3ite.
 */
final class PerTestClass {
    private static final int WARM_UP_ROUNDS = 5;
    private static final int ROUNDS = 20;
    /** The target: what s3ite and one injected type may add to a test class, warm. */
    private static final double TARGET_MILLIS = 50;
    private static final Map<String, String> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put("NoExtension", "without s3ite (the floor)");
        NAMES.put("NothingInjected", "extension, nothing injected");
        NAMES.put("InjectsServer", "S3iteServer");
        NAMES.put("InjectsS3Client", "S3Client");
        NAMES.put("InjectsS3AsyncClient", "S3AsyncClient");
        NAMES.put("InjectsS3Presigner", "S3Presigner");
        NAMES.put("InjectsEveryType", "all four types");
    }

    private PerTestClass() {
    }

    static void run() throws Exception {
        System.out.printf(Locale.ROOT, "Per test class: the JUnit Platform launcher runs each class (3 trivial tests; with s3ite,"
                + " one empty bucket and the type injected into each test) in one JVM; warm: median of %d rounds after %d%n",
                ROUNDS, WARM_UP_ROUNDS + 1);
        Map<String, double[]> figures = probe();
        if (figures.isEmpty()) {
            return;
        }
        double floor = figures.get("NoExtension")[1];
        System.out.printf(Locale.ROOT, "%-30s %10s %12s %12s %12s %12s %16s%n", "class injects", "cold", "warm", "(p90)",
                "its tests", "CPU", "more than floor");
        for (Map.Entry<String, String> entry : NAMES.entrySet()) {
            double[] values = figures.get(entry.getKey());
            if (values == null) {
                continue;
            }
            String more = entry.getKey().equals("NoExtension") ? "" : String.format(Locale.ROOT, "%10.1f ms %s",
                    values[1] - floor, values[1] - floor <= TARGET_MILLIS ? "ok" : "OVER");
            System.out.printf(Locale.ROOT, "%-30s %7.1f ms %9.1f ms %9.1f ms %9.1f ms %9.1f ms %s%n", entry.getValue(),
                    values[0], values[1], values[2], values[3], values[4], more);
        }
        System.out.printf(Locale.ROOT, "target: each at most %.0f ms more than the same class without s3ite, warm (wall time,"
                + " median); CPU: the process's, all threads', while the class ran (mean)%n", TARGET_MILLIS);
    }

    /** Class name to {cold, warm median, warm p90, its tests' median, CPU mean}; empty when the probe failed. */
    private static Map<String, double[]> probe() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), PerTestClassProbe.class.getName(),
                Integer.toString(WARM_UP_ROUNDS), Integer.toString(ROUNDS));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Map<String, double[]> figures = new LinkedHashMap<>();
        StringBuilder output = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.append(line).append('\n');
                String[] parts = line.trim().split(" ");
                if (parts.length == 12 && parts[0].equals("class")) {
                    figures.put(parts[1], new double[] {Double.parseDouble(parts[3]), Double.parseDouble(parts[5]),
                        Double.parseDouble(parts[7]), Double.parseDouble(parts[9]), Double.parseDouble(parts[11])});
                }
            }
        }
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        if (!figures.containsKey("NoExtension")) {
            System.out.println("  failed: " + output.toString().lines().filter(l -> l.contains("Exception"))
                    .findFirst().orElse(output.toString()));
            figures.clear();
        }
        return figures;
    }
}
