package io.github.s3ite.benchmarks;

import io.github.s3ite.server.S3iteServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The benchmark run: start-up of s3ite, S3Mock and S3Proxy (cold JVM and warm), reset of a seeded
 * bucket of 10,000 objects of 4 KiB, 4 KiB PUT/GET throughput with 8 concurrent clients against
 * s3ite and S3Proxy, what fsync on commit costs per PUT ({@link SyncCost}), ranged reads and a
 * 1,000,000,000-byte object through the standalone server ({@link LargeObjects}), and the server CPU
 * time per request of s3ite, S3Proxy and a bare Undertow floor under wrk ({@link WrkBenchmark}). Every server binds
 * to 127.0.0.1 and is stopped at the end; every loop is bounded in count and time. Prints a table.
 */
public final class Benchmarks {
    private static final int WARM_STARTS = 20;
    private static final int SEED_OBJECTS = 10_000;
    private static final int OBJECT_SIZE = 4 * 1024;
    private static final int CLIENTS = 8;
    private static final int WARM_UP_REQUESTS = 5_000;
    private static final int MEASURED_REQUESTS = 20_000;
    private static final Duration PHASE_LIMIT = Duration.ofMinutes(3);
    private static final String ACCESS_KEY = "AKIABENCHMARK";
    private static final String SECRET_KEY = "benchmark-secret";

    private Benchmarks() {
    }

    /**
     * Runs the parts named in the system property {@code s3ite.benchmarks.parts} (comma-separated:
     * {@code startup}, {@code reset}, {@code throughput}, {@code sync}, {@code ranges}, {@code large},
     * {@code wrk}, {@code perclass}), or {@code all} of them.
     */
    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("s3ite-benchmarks-");
        try {
            run(work);
        } finally {
            deleteTree(work);
        }
    }

    private static void run(Path work) throws Exception {
        List<String> parts = List.of(System.getProperty("s3ite.benchmarks.parts", "all").split(","));
        System.out.printf(Locale.ROOT, "s3ite benchmarks: %s, %d cores, Java %s%n%n", System.getProperty("os.name"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

        if (parts.contains("all") || parts.contains("startup")) {
            startup();
            System.out.println();
            ColdStart.run(work);
            System.out.println();
        }
        if (parts.contains("all") || parts.contains("reset")) {
            reset(work);
            System.out.println();
        }
        if (parts.contains("all") || parts.contains("throughput")) {
            throughput(work);
            System.out.println();
        }
        if (parts.contains("all") || parts.contains("sync")) {
            SyncCost.run(work);
            System.out.println();
        }
        if (parts.contains("all") || parts.contains("ranges")) {
            LargeObjects.ranges(work);
            System.out.println();
        }
        if (parts.contains("all") || parts.contains("large")) {
            LargeObjects.large(work);
            System.out.println();
        }
        if (parts.contains("all") || parts.contains("wrk")) {
            WrkBenchmark.run(work);
            System.out.println();
        }
        if (parts.contains("all") || parts.contains("perclass")) {
            PerTestClass.run();
        }
    }

    /** Deletes a directory and everything in it, if it is there. */
    static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static void startup() throws Exception {
        System.out.println("Start-up: from the start call to the first answered HTTP request");
        System.out.printf(Locale.ROOT, "%-30s %12s %14s %28s%n", "fixture", "cold JVM", "JVM uptime", "warm (same JVM)");
        String classpath = System.getProperty("java.class.path");
        printStartup("s3ite (S3iteServer)", probe(classpath, StartupProbe.class.getName(), "s3ite"));
        printStartup("S3Mock 4.11.0 (in-JVM)", probe(classpath, StartupProbe.class.getName(), "s3mock"));
        String s3proxyClasspath = System.getProperty("s3ite.benchmarks.s3proxyJar") + java.io.File.pathSeparator
                + System.getProperty("s3ite.benchmarks.classes");
        printStartup("S3Proxy 2.6.0 (in-JVM, fs)", probe(s3proxyClasspath, S3ProxyStartupProbe.class.getName()));
    }

    // ------------------------------------------------------------------ start-up

    private static Map<String, String> probe(String classpath, String mainClass, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-cp", classpath, mainClass));
        command.addAll(List.of(args));
        if (args.length == 0 || !args[args.length - 1].matches("\\d+")) {
            command.add(Integer.toString(WARM_STARTS));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Map<String, String> values = new HashMap<>();
        StringBuilder output = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.append(line).append('\n');
                String[] parts = line.trim().split(" ");
                if (parts.length == 2 && parts[0].matches("cold|uptime|warm_median|warm_p90")) {
                    values.put(parts[0], parts[1]);
                }
            }
        }
        if (!process.waitFor(PHASE_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        if (!values.containsKey("warm_median")) {
            values.put("error", output.toString().lines().filter(l -> l.contains("Exception")).findFirst().orElse("failed"));
        }
        return values;
    }

    private static void printStartup(String name, Map<String, String> values) {
        if (values.containsKey("error")) {
            System.out.printf(Locale.ROOT, "%-30s failed: %s%n", name, values.get("error"));
            return;
        }
        System.out.printf(Locale.ROOT, "%-30s %9s ms %11s ms %13s ms (p90 %s ms)%n", name, values.get("cold"),
                values.get("uptime"), values.get("warm_median"), values.get("warm_p90"));
    }

    // ------------------------------------------------------------------ reset

    private static void reset(Path work) throws Exception {
        Path seed = work.resolve("seed.sqlite3");
        long madeIn;
        try (S3iteServer maker = new S3iteServer().withCredentials(ACCESS_KEY, SECRET_KEY).withBucket("seed").start()) {
            long start = System.nanoTime();
            byte[] body = new byte[OBJECT_SIZE];
            runConcurrently(maker.getEndpoint(), SEED_OBJECTS, (s3, i) ->
                    s3.putObject(b -> b.bucket("seed").key(String.format("objects/%05d", i)), RequestBody.fromBytes(body)));
            madeIn = (System.nanoTime() - start) / 1_000_000;
            maker.snapshot("seed", seed);
        }
        System.out.printf(Locale.ROOT, "Reset of a seeded bucket: %,d objects of 4 KiB, seed file %,d bytes (made in %d ms)%n",
                SEED_OBJECTS, Files.size(seed), madeIn);
        // the same seed under another name: restoring from it is the copy every reset made before
        Path sameSeed = work.resolve("same-seed.sqlite3");
        Files.copy(seed, sameSeed);
        try (S3iteServer server = new S3iteServer().withCredentials(ACCESS_KEY, SECRET_KEY).withBucket("data", seed).start();
             S3Client s3 = client(server.getEndpoint(), true)) {
            double[] copied = new double[10];
            double[] undone = new double[10];
            for (int i = 0; i < copied.length; i++) {
                fewWrites(s3, i);
                long start = System.nanoTime();
                server.withBucket("data", i % 2 == 0 ? sameSeed : seed);
                copied[i] = (System.nanoTime() - start) / 1e6;
            }
            server.withBucket("data", seed);
            for (int i = 0; i < undone.length; i++) {
                fewWrites(s3, i);
                long start = System.nanoTime();
                server.reset();
                undone[i] = (System.nanoTime() - start) / 1e6;
            }
            double[] hundred = resetAfterPuts(server, 100, 5);
            double[] thousand = resetAfterPuts(server, 1_000, 3);
            double[] clean = new double[20];
            for (int i = 0; i < clean.length; i++) {
                long start = System.nanoTime();
                server.reset();
                clean[i] = (System.nanoTime() - start) / 1e6;
            }
            int keys = s3.listObjectsV2(b -> b.bucket("data").prefix("objects/").maxKeys(1000)).keyCount();
            System.out.printf(Locale.ROOT, "  after 2 writes, seed file copied back (baseline): %s%n", Stats.of(copied));
            System.out.printf(Locale.ROOT, "  after 2 writes, changed rows put back:            %s%n", Stats.of(undone));
            System.out.printf(Locale.ROOT, "  after 100 PUTs (1%% of the objects), put back:     %s%n", Stats.of(hundred));
            System.out.printf(Locale.ROOT, "  after 1,000 PUTs (10%%), copied (cheaper):         %s%n", Stats.of(thousand));
            System.out.printf(Locale.ROOT, "  untouched since last reset:                       %s%n", Stats.of(clean));
            System.out.printf(Locale.ROOT, "  check: first page after reset lists %d keys, 'objects/00001' is back: %s,"
                    + " 'dirty-0' is gone: %s%n", keys,
                    s3.headObject(b -> b.bucket("data").key("objects/00001")).contentLength() == OBJECT_SIZE,
                    s3.listObjectsV2(b -> b.bucket("data").prefix("dirty-")).keyCount() == 0);
        }
    }

    /** A test's few writes: one new object, one of the seed's deleted. */
    private static void fewWrites(S3Client s3, int round) {
        s3.putObject(b -> b.bucket("data").key("dirty-" + round), RequestBody.fromString("x"));
        s3.deleteObject(b -> b.bucket("data").key("objects/00001"));
    }

    /** {@code rounds} times: {@code puts} of the seed's objects overwritten, then a timed reset. */
    private static double[] resetAfterPuts(S3iteServer server, int puts, int rounds) throws Exception {
        double[] millis = new double[rounds];
        byte[] body = new byte[OBJECT_SIZE];
        for (int i = 0; i < rounds; i++) {
            int offset = i * 997;
            runConcurrently(server.getEndpoint(), puts, (s3, n) -> s3.putObject(b -> b.bucket("data")
                    .key(String.format("objects/%05d", (offset + n) % SEED_OBJECTS)), RequestBody.fromBytes(body)));
            long start = System.nanoTime();
            server.reset();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        return millis;
    }

    // ------------------------------------------------------------------ throughput

    private static void throughput(Path work) throws Exception {
        System.out.printf(Locale.ROOT, "Throughput: 4 KiB objects, %d concurrent AWS SDK v2 sync clients, %,d requests"
                + " after %,d warm-up; each server in its own JVM; clients compute no checksums unless said%n",
                CLIENTS, MEASURED_REQUESTS, WARM_UP_REQUESTS);
        System.out.printf(Locale.ROOT, "%-42s %10s %8s %8s %10s %8s %8s%n", "server", "PUT req/s", "errors", "CPU/req",
                "GET req/s", "errors", "CPU/req");
        Process s3ite = startS3iteStandalone(work.resolve("s3ite-data"), "--no-fsync");
        try {
            URI endpoint = awaitEndpoint(s3ite);
            measure("s3ite --no-fsync", endpoint, false, s3ite);
            measure("s3ite --no-fsync, SDK default checksums", endpoint, true, s3ite);
        } finally {
            stop(s3ite);
        }
        Process durable = startS3iteStandalone(work.resolve("s3ite-durable-data"));
        try {
            measure("s3ite, fsync on commit (synchronous=FULL)", awaitEndpoint(durable), false, durable);
        } finally {
            stop(durable);
        }
        int port = freePort();
        Process s3proxy = startS3Proxy(work.resolve("s3proxy-data"), port);
        try {
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            awaitPort(port);
            measure("S3Proxy 2.6.0 filesystem", endpoint, false, s3proxy);
        } finally {
            stop(s3proxy);
        }
    }

    private static void measure(String name, URI endpoint, boolean sdkDefaults, Process server) throws Exception {
        String bucket = "bench-" + Math.abs(name.hashCode());
        try (S3Client setup = client(endpoint, sdkDefaults)) {
            setup.createBucket(b -> b.bucket(bucket));
        }
        byte[] body = new byte[OBJECT_SIZE];
        java.util.Arrays.fill(body, (byte) 'x');
        runConcurrently(endpoint, WARM_UP_REQUESTS, sdkDefaults, (s3, i) ->
                s3.putObject(b -> b.bucket(bucket).key("warm/" + (i % 500)), RequestBody.fromBytes(body)));
        long cpuBeforePut = cpuMillis(server);
        Result put = runConcurrently(endpoint, MEASURED_REQUESTS, sdkDefaults, (s3, i) ->
                s3.putObject(b -> b.bucket(bucket).key(String.format("k/%06d", i)), RequestBody.fromBytes(body)));
        long cpuAfterPut = cpuMillis(server);
        Result get = runConcurrently(endpoint, MEASURED_REQUESTS, sdkDefaults, (s3, i) -> {
            byte[] read = s3.getObjectAsBytes(b -> b.bucket(bucket).key(String.format("k/%06d", i))).asByteArray();
            if (read.length != OBJECT_SIZE) {
                throw new IllegalStateException("short read");
            }
        });
        long cpuAfterGet = cpuMillis(server);
        System.out.printf(Locale.ROOT, "%-42s %10.0f %8d %8s %10.0f %8d %8s%n", name, put.rate(), put.errors(),
                perRequest(cpuAfterPut - cpuBeforePut), get.rate(), get.errors(), perRequest(cpuAfterGet - cpuAfterPut));
    }

    interface Request {
        void run(S3Client s3, int index) throws Exception;
    }

    record Result(double rate, long errors) {
    }

    private static Result runConcurrently(URI endpoint, int requests, Request request) throws Exception {
        return runConcurrently(endpoint, requests, true, request);
    }

    private static Result runConcurrently(URI endpoint, int requests, boolean sdkDefaults, Request request) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        AtomicLong done = new AtomicLong();
        long deadline = System.nanoTime() + PHASE_LIMIT.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<S3Client> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(client(endpoint, sdkDefaults));
        }
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (S3Client s3 : clients) {
            futures.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < requests && System.nanoTime() < deadline) {
                    try {
                        request.run(s3, i);
                        done.incrementAndGet();
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        clients.forEach(S3Client::close);
        return new Result(done.get() / seconds, errors.get() + (requests - done.get() - errors.get()));
    }

    /** CPU time the server process has used so far (Linux /proc, in clock ticks of 10 ms), or -1. */
    private static long cpuMillis(Process process) {
        try {
            String[] fields = Files.readString(Path.of("/proc/" + process.pid() + "/stat")).split(" ");
            return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String perRequest(long cpuMillis) {
        return cpuMillis < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f us", cpuMillis * 1000.0 / MEASURED_REQUESTS);
    }

    private static S3Client client(URI endpoint, boolean sdkDefaults) {
        var builder = S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .forcePathStyle(true);
        if (!sdkDefaults) {
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return builder.build();
    }

    private static Process startS3iteStandalone(Path data, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar",
                System.getProperty("s3ite.benchmarks.standaloneJar"), data.toString(), "--port", "0",
                "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY));
        command.addAll(List.of(options));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static final Pattern ENDPOINT = Pattern.compile("listening on (http://\\S+)");

    private static URI awaitEndpoint(Process process) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            Matcher matcher = ENDPOINT.matcher(line);
            if (matcher.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        reader.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException e) {
                        // the process ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return URI.create(matcher.group(1));
            }
        }
        throw new IOException("s3ite standalone did not start");
    }

    private static Process startS3Proxy(Path data, int port) throws IOException {
        Files.createDirectories(data);
        Path properties = data.resolveSibling("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem",
                "jclouds.identity=" + ACCESS_KEY,
                "jclouds.credential=" + SECRET_KEY,
                "jclouds.filesystem.basedir=" + data) + "\n");
        return new ProcessBuilder(javaBinary(), "-jar", System.getProperty("s3ite.benchmarks.s3proxyJar"),
                "--properties", properties.toString())
                .redirectErrorStream(true).redirectOutput(data.resolveSibling("s3proxy.log").toFile()).start();
    }

    private static void awaitPort(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                FirstResponse.get(port, "/");
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IOException("S3Proxy did not start on port " + port);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
