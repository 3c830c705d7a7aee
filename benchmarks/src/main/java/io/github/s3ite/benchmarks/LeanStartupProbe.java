package io.github.s3ite.benchmarks;

import io.github.s3ite.server.S3iteServer;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Run in a fresh JVM whose classpath is s3ite-server and its dependencies alone (the standalone jar)
 * and this module's classes: {@code new S3iteServer().start()} once, timed from the start call to the
 * first answered request, as {@link StartupProbe} times its cold start; with {@code bucket}, one
 * declared bucket, so that SQLite is loaded too, as in most test classes. Prints {@code cold} and
 * {@code uptime} lines for {@link ColdStart}.
 */
public final class LeanStartupProbe {
    private LeanStartupProbe() {
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        S3iteServer server = new S3iteServer().withAnonymousAccess();
        if (args.length > 0 && args[0].equals("bucket")) {
            server.withBucket("bench");
        }
        server.start();
        try {
            FirstResponse.expect200(FirstResponse.get(server.getPort(), "/"));
            double cold = (System.nanoTime() - start) / 1e6;
            long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
            System.out.printf(Locale.ROOT, "cold %.1f%nuptime %d%n", cold, uptime);
        } finally {
            server.stop();
        }
    }
}
