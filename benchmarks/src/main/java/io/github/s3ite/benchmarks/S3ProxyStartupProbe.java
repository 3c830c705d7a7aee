package io.github.s3ite.benchmarks;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * Run in a fresh JVM whose classpath is S3Proxy's own jar: S3Proxy in-JVM over jclouds' filesystem
 * blob store, as its JUnit support starts it; cold once, then warm. Same output as {@link StartupProbe}.
 */
public final class S3ProxyStartupProbe {
    private S3ProxyStartupProbe() {
    }

    public static void main(String[] args) throws Exception {
        int warm = Integer.parseInt(args[0]);
        double cold = startAndAnswer();
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        double[] warmRuns = new double[warm];
        for (int i = 0; i < warm; i++) {
            warmRuns[i] = startAndAnswer();
        }
        Stats stats = Stats.of(warmRuns);
        System.out.printf(Locale.ROOT, "cold %.1f%nuptime %d%nwarm_median %.1f%nwarm_p90 %.1f%n",
                cold, uptime, stats.median(), stats.p90());
    }

    private static double startAndAnswer() throws Exception {
        Path root = Files.createTempDirectory("s3proxy-bench-");
        long start = System.nanoTime();
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", root.toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem").overrides(properties)
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0")).build();
        proxy.start();
        try {
            while (!"STARTED".equals(proxy.getState())) {
                Thread.sleep(1);
            }
            FirstResponse.expect200(FirstResponse.get(proxy.getPort(), "/"));
            return (System.nanoTime() - start) / 1e6;
        } finally {
            proxy.stop();
            context.close();
        }
    }
}
