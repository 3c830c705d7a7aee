package io.github.s3ite.benchmarks;

import com.adobe.testing.s3mock.S3MockApplication;
import io.github.s3ite.server.S3iteServer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Run in a fresh JVM: starts one fixture (s3ite or S3Mock) once cold, then {@code n} more times warm,
 * each time measuring from the start call to the first answered HTTP request. Prints
 * {@code name value} lines for the runner.
 */
public final class StartupProbe {
    private StartupProbe() {
    }

    interface Fixture {
        /** Starts, waits for the first answer, stops; returns milliseconds from start to the answer. */
        double startAndAnswer() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        int warm = Integer.parseInt(args[1]);
        Fixture fixture = switch (name) {
            case "s3ite" -> StartupProbe::s3ite;
            case "s3mock" -> StartupProbe::s3mock;
            default -> throw new IllegalArgumentException(name);
        };
        double cold = fixture.startAndAnswer();
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        double[] warmRuns = new double[warm];
        for (int i = 0; i < warm; i++) {
            warmRuns[i] = fixture.startAndAnswer();
        }
        Stats stats = Stats.of(warmRuns);
        System.out.printf(Locale.ROOT, "cold %.1f%nuptime %d%nwarm_median %.1f%nwarm_p90 %.1f%n",
                cold, uptime, stats.median(), stats.p90());
    }

    private static double s3ite() throws Exception {
        long start = System.nanoTime();
        try (S3iteServer server = new S3iteServer().withAnonymousAccess().start()) {
            FirstResponse.expect200(FirstResponse.get(server.getPort(), "/"));
            return (System.nanoTime() - start) / 1e6;
        }
    }

    private static double s3mock() throws Exception {
        Path root = Files.createTempDirectory("s3mock-bench-");
        long start = System.nanoTime();
        Map<String, Object> properties = new HashMap<>();
        properties.put(S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT);
        properties.put(S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT);
        properties.put(S3MockApplication.PROP_ROOT_DIRECTORY, root.toString());
        properties.put(S3MockApplication.PROP_SILENT, true);
        S3MockApplication s3mock = S3MockApplication.start(properties);
        try {
            FirstResponse.expect200(FirstResponse.get(s3mock.getHttpPort(), "/"));
            return (System.nanoTime() - start) / 1e6;
        } finally {
            s3mock.stop();
        }
    }
}
