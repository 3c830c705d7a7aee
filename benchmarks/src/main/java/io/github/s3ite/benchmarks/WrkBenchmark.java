package io.github.s3ite.benchmarks;

import io.github.s3ite.server.storage.BucketFile;
import io.github.s3ite.server.storage.BucketStore;
import io.github.s3ite.server.storage.ObjectRead;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The per-request cost of each server with a load client that costs little: wrk (Debian's), 8
 * keep-alive connections, 4 KiB objects over {@value #KEYS} keys. Every server runs as its own
 * process started here: the bare Undertow floor ({@link FloorServer}), the same floor handing each
 * request to a worker and back as s3ite does, S3Proxy's filesystem backend
 * (anonymous), the standalone s3ite with {@code --no-fsync} and with fsync on (anonymous), and the
 * standalone s3ite with credentials, answering the same GETs signed with SigV4 (signed ahead of
 * time, one distinct request per key, which wrk replays). The server's CPU time (utime + stime of
 * {@code /proc/PID/stat}) is read before and after each measured window, after a warm-up; each
 * figure is the median of {@code rounds} windows, the servers taking turns within a round so that
 * the machine's noise falls on all of them alike.
 *
 * <p>Where a GET's time goes is printed too, from what this run measured: the server's CPU by thread
 * kind (IO threads, workers, the rest) from {@code /proc/PID/task}; the hand-over alone (the floor
 * handing over less the floor); and, once the servers are stopped, a point read of the same bucket
 * file in this process, on one thread: the original's {@code data} row alone with sqlite-jdbc, and
 * s3ite's own storage read of the object ({@link BucketFile#getObject(ObjectRead)}).
 */
final class WrkBenchmark {
    private static final int KEYS = 1_000;
    private static final int OBJECT_SIZE = 4 * 1024;
    private static final int CONNECTIONS = 8;
    private static final int THREADS = 2;
    private static final String BUCKET = "wrk";
    private static final String ACCESS_KEY = "AKIAWRKBENCHMARK";
    private static final String SECRET_KEY = "wrk-benchmark-secret";
    private static final String REGION = "us-east-1";
    private static final long CLOCK_TICK_MICROS = 10_000;
    /** Where each server is in the list of targets. */
    private static final int FLOOR = 0;
    private static final int HAND_OVER = 1;
    private static final int S3PROXY = 2;
    private static final int NO_FSYNC = 3;
    private static final int SIGNED = 5;
    private static final int POINT_READS = 200_000;
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(m?s)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private WrkBenchmark() {
    }

    /** One server under test: its process, where it listens, and what is measured of it. */
    private static final class Target {
        final String name;
        final Process process;
        final URI endpoint;
        final boolean signed;
        final boolean puts;
        final List<Sample> getSamples = new ArrayList<>();
        final List<Sample> putSamples = new ArrayList<>();
        Path getScript;
        Path putScript;

        Target(String name, Process process, URI endpoint, boolean signed, boolean puts) {
            this.name = name;
            this.process = process;
            this.endpoint = endpoint;
            this.signed = signed;
            this.puts = puts;
        }
    }

    /**
     * One measured window: requests answered, their rate, failures, and server CPU per request, in
     * all and by thread: IO threads, workers, and the rest (JIT compilers, GC, threads that ended).
     */
    record Sample(long requests, double rate, long errors, double cpuMicrosPerRequest, double ioMicros,
                  double workerMicros) {
        double otherMicros() {
            return cpuMicrosPerRequest - ioMicros - workerMicros;
        }
    }

    /** CPU ticks of a process's threads so far: in all, on its XNIO IO threads, on its XNIO workers. */
    private record ThreadTicks(long total, long io, long workers) {
        static final ThreadTicks UNKNOWN = new ThreadTicks(-1, 0, 0);
    }

    static void run(Path work) throws Exception {
        int seconds = Integer.getInteger("s3ite.benchmarks.wrk.seconds", 10);
        int warmUp = Integer.getInteger("s3ite.benchmarks.wrk.warmUpSeconds", 8);
        int rounds = Integer.getInteger("s3ite.benchmarks.wrk.rounds", 3);
        String wrk = wrkBinary();
        System.out.printf(Locale.ROOT, "Per request (wrk %s): 4 KiB GET and PUT over %,d keys, %d keep-alive connections"
                + " (wrk -t%d -c%d), anonymous unless said; each server its own process; %d rounds of %d s per"
                + " server and method after %d s warm-up of each; medians of the rounds%n",
                wrkVersion(wrk), KEYS, CONNECTIONS, THREADS, CONNECTIONS, rounds, seconds, warmUp);
        Path data = Files.createDirectories(work.resolve("wrk"));
        List<Target> targets = new ArrayList<>();
        List<Process> started = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread stopAll = new Thread(() -> started.forEach(Process::destroyForcibly));
        Runtime.getRuntime().addShutdownHook(stopAll);
        try {
            String classpath = System.getProperty("java.class.path");
            String jar = System.getProperty("s3ite.benchmarks.standaloneJar");
            Process floor = start(started, data.resolve("floor.log"), javaBinary(), "-cp", classpath, FloorServer.class.getName());
            targets.add(new Target("bare Undertow + map (the floor)", floor, awaitEndpoint(floor, data.resolve("floor.log")), false, true));
            Process handOver = start(started, data.resolve("floor-handover.log"), javaBinary(), "-cp", classpath,
                    FloorServer.class.getName(), "handover");
            targets.add(new Target("the floor, handed to a worker and back", handOver,
                    awaitEndpoint(handOver, data.resolve("floor-handover.log")), false, true));
            int s3proxyPort = Benchmarks.freePort();
            Process s3proxy = startS3Proxy(started, data, s3proxyPort);
            targets.add(new Target("S3Proxy " + System.getProperty("s3ite.benchmarks.s3proxyWrkVersion", "") + " filesystem",
                    s3proxy, awaitS3Proxy(s3proxyPort), false, true));
            Process fast = start(started, data.resolve("s3ite-no-fsync.log"), javaBinary(), "-jar", jar,
                    data.resolve("s3ite-no-fsync").toString(), "--port", "0", "--no-fsync");
            targets.add(new Target("s3ite --no-fsync", fast, awaitEndpoint(fast, data.resolve("s3ite-no-fsync.log")), false, true));
            Process durable = start(started, data.resolve("s3ite-fsync.log"), javaBinary(), "-jar", jar,
                    data.resolve("s3ite-fsync").toString(), "--port", "0");
            targets.add(new Target("s3ite, fsync on commit", durable, awaitEndpoint(durable, data.resolve("s3ite-fsync.log")), false, true));
            Process signed = start(started, data.resolve("s3ite-signed.log"), javaBinary(), "-jar", jar,
                    data.resolve("s3ite-signed").toString(), "--port", "0", "--no-fsync",
                    "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY);
            targets.add(new Target("s3ite --no-fsync, SigV4-signed GET", signed,
                    awaitEndpoint(signed, data.resolve("s3ite-signed.log")), true, false));

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            SigV4 signer = new SigV4(ACCESS_KEY, SECRET_KEY, REGION);
            for (Target target : targets) {
                preload(http, signer, target);
                target.putScript = writePutScript(data, target);
                target.getScript = target.signed ? writeSignedGetScript(data, signer, target) : writeGetScript(data, target);
            }
            for (Target target : targets) {
                if (target.puts) {
                    wrk(wrk, target, target.putScript, warmUp);
                }
                wrk(wrk, target, target.getScript, warmUp);
            }
            for (int round = 0; round < rounds; round++) {
                for (Target target : targets) {
                    target.getSamples.add(wrk(wrk, target, target.getScript, seconds));
                    if (target.puts) {
                        target.putSamples.add(wrk(wrk, target, target.putScript, seconds));
                    }
                }
            }
        } finally {
            for (Process process : started) {
                Benchmarks.stop(process);
            }
            Runtime.getRuntime().removeShutdownHook(stopAll);
        }
        print(targets);
        printWhereGetGoes(targets, data.resolve("s3ite-no-fsync"));
    }

    // ------------------------------------------------------------------ the figures

    private static void print(List<Target> targets) {
        System.out.printf(Locale.ROOT, "%-38s %9s %9s %15s %7s %9s %9s %15s %7s%n", "server", "GET req/s", "CPU/req",
                "(min-max)", "errors", "PUT req/s", "CPU/req", "(min-max)", "errors");
        for (Target target : targets) {
            System.out.printf(Locale.ROOT, "%-38s %s %s%n", target.name, columns(target.getSamples), columns(target.putSamples));
        }
        Target floor = targets.get(FLOOR);
        Target s3proxy = targets.get(S3PROXY);
        Target fast = targets.get(NO_FSYNC);
        Target signed = targets.get(SIGNED);
        double getFloor = ratio(fast.getSamples, floor.getSamples);
        double getProxy = ratio(fast.getSamples, s3proxy.getSamples);
        double putFloor = ratio(fast.putSamples, floor.putSamples);
        double putProxy = ratio(fast.putSamples, s3proxy.putSamples);
        System.out.println("s3ite --no-fsync, server CPU per request (median of the rounds' ratios, each round's servers measured minutes apart at most):");
        System.out.printf(Locale.ROOT, "  GET: %.2f x the floor (target <= 3: %s), %.2f x S3Proxy (target <= 0.5: %s)%n",
                getFloor, met(getFloor <= 3), getProxy, met(getProxy <= 0.5));
        System.out.printf(Locale.ROOT, "  PUT: %.2f x the floor (target <= 3: %s), %.2f x S3Proxy (target <= 0.5: %s)%n",
                putFloor, met(putFloor <= 3), putProxy, met(putProxy <= 0.5));
        double added = difference(signed.getSamples, fast.getSamples);
        System.out.printf(Locale.ROOT, "  SigV4-signed GET: %+.1f us per request over the anonymous GET (target <= 15: %s)%n",
                added, met(added <= 15));
    }

    /**
     * Where the GET of {@code s3ite --no-fsync} spends its CPU, from this run's figures: by thread kind,
     * the hand-over alone, and a point read of its bucket file in this process (the servers stopped).
     * Then what the GET would cost at the least given the hand-over and SQLite's read, against three
     * times the floor.
     */
    private static void printWhereGetGoes(List<Target> targets, Path dataDirectory) throws Exception {
        Target floor = targets.get(FLOOR);
        Target handOver = targets.get(HAND_OVER);
        Target fast = targets.get(NO_FSYNC);
        PointReads reads = PointReads.measure(dataDirectory.resolve(BUCKET + ".sqlite3"), dataDirectory);
        double floorCpu = medianOf(floor.getSamples, Sample::cpuMicrosPerRequest);
        double handOverCost = difference(handOver.getSamples, floor.getSamples);
        double s3iteCpu = medianOf(fast.getSamples, Sample::cpuMicrosPerRequest);
        System.out.println("Where a GET goes (s3ite --no-fsync; server CPU per request, medians of the rounds):");
        for (Target target : List.of(floor, handOver, fast)) {
            System.out.printf(Locale.ROOT, "  %-38s %5.1f us: IO threads %5.1f, workers %5.1f, other threads (JIT, GC) %4.1f%n",
                    target.name, medianOf(target.getSamples, Sample::cpuMicrosPerRequest),
                    medianOf(target.getSamples, Sample::ioMicros), medianOf(target.getSamples, Sample::workerMicros),
                    medianOf(target.getSamples, Sample::otherMicros));
        }
        System.out.printf(Locale.ROOT, "  the hand-over to a worker and back: %.1f us (the floor handed over less the floor,"
                + " median of the rounds' differences)%n", handOverCost);
        System.out.printf(Locale.ROOT, "  a point read of a 4 KiB object of the same bucket file, in-process, one thread, CPU"
                + " per read over %,d reads: the data row alone (sqlite-jdbc, its six columns) %.1f us; s3ite's storage read"
                + " (BucketFile.getObject: the row, its attributes, the ObjectInfo) %.1f us%n",
                POINT_READS, reads.rowMicros(), reads.storageMicros());
        double least = floorCpu + handOverCost + reads.storageMicros();
        double leastBare = floorCpu + handOverCost + reads.rowMicros();
        System.out.printf(Locale.ROOT, "  floor + hand-over + storage read = %.1f us (with the bare row read: %.1f us), against"
                        + " 3 x the floor = %.1f us: %s; s3ite's own request handling beyond these: %.1f us%n",
                least, leastBare, 3 * floorCpu,
                leastBare > 3 * floorCpu ? "out of reach while SQLite is read off the IO threads"
                        : least > 3 * floorCpu ? "out of reach with this storage read" : "within reach",
                s3iteCpu - least);
    }

    private static double medianOf(List<Sample> samples, ToDoubleFunction<Sample> figure) {
        return median(samples.stream().mapToDouble(figure).toArray());
    }

    /** CPU per point read of a small object, in this process, on one thread: bare sqlite-jdbc and s3ite's storage. */
    record PointReads(double rowMicros, double storageMicros) {
        static PointReads measure(Path file, Path dataDirectory) throws Exception {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            double row;
            // as s3ite opens its connections for reading: mapped, the same length limit is not needed here
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("PRAGMA mmap_size=" + 256L * 1024 * 1024);
                }
                try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT key, value, size, metadata, last_modified, md5 FROM data WHERE key = ?")) {
                    row = timed(threads, i -> {
                        statement.setString(1, "k/" + i % KEYS);
                        try (ResultSet rows = statement.executeQuery()) {
                            if (!rows.next() || rows.getBytes(2).length != OBJECT_SIZE) {
                                throw new IllegalStateException("no object k/" + i % KEYS);
                            }
                            rows.getString(1);
                            rows.getLong(3);
                            rows.getString(4);
                            rows.getString(5);
                            rows.getString(6);
                        }
                    });
                }
            }
            double storage;
            try (BucketStore store = new BucketStore(dataDirectory, true)) {
                BucketFile bucket = store.bucket(BUCKET);
                storage = timed(threads, i -> {
                    var read = bucket.getObject(ObjectRead.whole("k/" + i % KEYS));
                    if (read.info().size() != OBJECT_SIZE) {
                        throw new IllegalStateException("no object k/" + i % KEYS);
                    }
                });
            }
            return new PointReads(row, storage);
        }

        private interface Read {
            void run(int i) throws Exception;
        }

        /** CPU microseconds per read of this thread, after as many reads again of warm-up. */
        private static double timed(ThreadMXBean threads, Read read) throws Exception {
            for (int i = 0; i < POINT_READS; i++) {
                read.run(i);
            }
            long start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < POINT_READS; i++) {
                read.run(i * 7);
            }
            return (threads.getCurrentThreadCpuTime() - start) / 1e3 / POINT_READS;
        }
    }

    private static String met(boolean met) {
        return met ? "met" : "NOT met";
    }

    private static String columns(List<Sample> samples) {
        if (samples.isEmpty()) {
            return String.format(Locale.ROOT, "%9s %9s %15s %7s", "-", "-", "", "");
        }
        double[] cpu = samples.stream().mapToDouble(Sample::cpuMicrosPerRequest).sorted().toArray();
        double rate = median(samples.stream().mapToDouble(Sample::rate).toArray());
        long errors = samples.stream().mapToLong(Sample::errors).sum();
        return String.format(Locale.ROOT, "%9.0f %6.1f us %15s %7d", rate, median(cpu),
                String.format(Locale.ROOT, "(%.1f-%.1f)", cpu[0], cpu[cpu.length - 1]), errors);
    }

    /** The median over rounds of {@code a}'s CPU per request divided by {@code b}'s of the same round. */
    private static double ratio(List<Sample> a, List<Sample> b) {
        double[] ratios = new double[Math.min(a.size(), b.size())];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = a.get(i).cpuMicrosPerRequest() / b.get(i).cpuMicrosPerRequest();
        }
        return median(ratios);
    }

    /** The median over rounds of {@code a}'s CPU per request less {@code b}'s of the same round. */
    private static double difference(List<Sample> a, List<Sample> b) {
        double[] differences = new double[Math.min(a.size(), b.size())];
        for (int i = 0; i < differences.length; i++) {
            differences[i] = a.get(i).cpuMicrosPerRequest() - b.get(i).cpuMicrosPerRequest();
        }
        return median(differences);
    }

    private static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    // ------------------------------------------------------------------ wrk

    /** Runs wrk for {@code seconds} against the target with a script, reading the server's CPU time around it. */
    private static Sample wrk(String wrk, Target target, Path script, int seconds) throws Exception {
        ThreadTicks before = threadTicks(target.process);
        Process process = new ProcessBuilder(wrk, "-t" + THREADS, "-c" + CONNECTIONS, "-d" + seconds + "s",
                "--timeout", "10s", "-s", script.toString(), target.endpoint.toString())
                .redirectErrorStream(true).start();
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("wrk did not end");
        }
        ThreadTicks after = threadTicks(target.process);
        Matcher requests = REQUESTS.matcher(output);
        if (!requests.find()) {
            throw new IOException("wrk against " + target.name + " printed no figures:\n" + output);
        }
        long count = Long.parseLong(requests.group(1));
        double elapsed = Double.parseDouble(requests.group(2)) / ("ms".equals(requests.group(3)) ? 1000 : 1);
        long errors = 0;
        Matcher non2xx = NON_2XX.matcher(output);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        Matcher socket = SOCKET_ERRORS.matcher(output);
        if (socket.find()) {
            for (int group = 1; group <= 4; group++) {
                errors += Long.parseLong(socket.group(group));
            }
        }
        if (count == 0 || before.total() < 0 || after.total() < 0) {
            return new Sample(count, count / elapsed, errors, Double.NaN, Double.NaN, Double.NaN);
        }
        double perRequest = (double) CLOCK_TICK_MICROS / count;
        return new Sample(count, count / elapsed, errors, (after.total() - before.total()) * perRequest,
                (after.io() - before.io()) * perRequest, (after.workers() - before.workers()) * perRequest);
    }

    private static String wrkBinary() throws IOException {
        for (String directory : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(directory, "wrk");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IOException("wrk is not installed (apt-get install -y wrk; ./benchmarks/run installs it)");
    }

    private static String wrkVersion(String wrk) {
        try {
            Process process = new ProcessBuilder(wrk, "--version").redirectErrorStream(true).start();
            String first;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                first = reader.readLine();
                reader.transferTo(java.io.Writer.nullWriter());
            }
            process.waitFor(10, TimeUnit.SECONDS);
            return first == null ? "?" : first.replaceFirst("^wrk ", "").replaceFirst(" \\[.*", "");
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    /**
     * Server CPU time so far (utime + stime, in clock ticks of 10 ms): the process's, and its XNIO
     * IO threads' and workers' (Undertow names them {@code XNIO-1 I/O-n} and {@code XNIO-1 task-n}),
     * or {@link ThreadTicks#UNKNOWN} where /proc cannot tell.
     */
    private static ThreadTicks threadTicks(Process process) {
        Path proc = Path.of("/proc/" + process.pid());
        try (var tasks = Files.list(proc.resolve("task"))) {
            long io = 0;
            long workers = 0;
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String name;
                long ticks;
                try {
                    name = Files.readString(task.resolve("comm")).trim();
                    ticks = ticks(Files.readString(task.resolve("stat")));
                } catch (IOException e) {
                    continue; // the thread ended meanwhile: its time is in the process's
                }
                if (name.contains("I/O-")) {
                    io += ticks;
                } else if (name.contains("task-")) {
                    workers += ticks;
                }
            }
            return new ThreadTicks(ticks(Files.readString(proc.resolve("stat"))), io, workers);
        } catch (IOException | RuntimeException e) {
            return ThreadTicks.UNKNOWN;
        }
    }

    /** utime + stime of a {@code stat} line: after the command, state is field 3, so 14 and 15 are at 11 and 12. */
    private static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    // ------------------------------------------------------------------ scripts

    private static String key(int i) {
        return "/" + BUCKET + "/k/" + i;
    }

    private static Path writeGetScript(Path data, Target target) throws IOException {
        return Files.writeString(data.resolve(fileName(target) + "-get.lua"), String.join("\n",
                "local n = " + KEYS,
                "request = function()",
                "  return wrk.format(\"GET\", \"/" + BUCKET + "/k/\" .. math.random(0, n - 1))",
                "end", ""));
    }

    private static Path writePutScript(Path data, Target target) throws IOException {
        return Files.writeString(data.resolve(fileName(target) + "-put.lua"), String.join("\n",
                "local n = " + KEYS,
                "local body = string.rep(\"x\", " + OBJECT_SIZE + ")",
                "local headers = {}",
                "headers[\"Content-Type\"] = \"application/octet-stream\"",
                "request = function()",
                "  return wrk.format(\"PUT\", \"/" + BUCKET + "/k/\" .. math.random(0, n - 1), headers, body)",
                "end", ""));
    }

    /** GETs of every key, each signed once (valid for the 15 minutes S3 allows), replayed in turn. */
    private static Path writeSignedGetScript(Path data, SigV4 signer, Target target) throws IOException {
        String host = target.endpoint.getHost() + ":" + target.endpoint.getPort();
        ZonedDateTime now = ZonedDateTime.now();
        StringBuilder script = new StringBuilder("local requests = {\n");
        for (int i = 0; i < KEYS; i++) {
            SigV4.Signed signed = signer.sign("GET", key(i), host, SigV4.EMPTY_SHA256, now);
            String request = "GET " + key(i) + " HTTP/1.1\r\nHost: " + host + "\r\n" + signed.headerLines() + "\r\n";
            script.append('"').append(request.replace("\r", "\\r").replace("\n", "\\n")).append("\",\n");
        }
        script.append("}\nlocal i = 0\nrequest = function()\n  i = i % #requests + 1\n  return requests[i]\nend\n");
        return Files.writeString(data.resolve(fileName(target) + "-signed-get.lua"), script.toString());
    }

    private static String fileName(Target target) {
        return target.name.replaceAll("[^A-Za-z0-9]+", "-");
    }

    // ------------------------------------------------------------------ servers

    /** Creates the bucket and puts every key once, so that every GET finds its object. */
    private static void preload(HttpClient http, SigV4 signer, Target target) throws Exception {
        byte[] body = new byte[OBJECT_SIZE];
        Arrays.fill(body, (byte) 'x');
        send(http, signer, target, "/" + BUCKET, new byte[0]);
        for (int i = 0; i < KEYS; i++) {
            send(http, signer, target, key(i), body);
        }
    }

    private static void send(HttpClient http, SigV4 signer, Target target, String path, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.endpoint.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        if (target.signed) {
            SigV4.Signed signed = signer.sign("PUT", path, target.endpoint.getHost() + ":" + target.endpoint.getPort(),
                    SigV4.UNSIGNED_PAYLOAD, ZonedDateTime.now());
            request.header("x-amz-date", signed.amzDate())
                    .header("x-amz-content-sha256", signed.contentSha256())
                    .header("Authorization", signed.authorization());
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(target.name + " answered PUT " + path + " with " + response.statusCode() + ": " + response.body());
        }
    }

    private static Process start(List<Process> started, Path log, String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(process);
        return process;
    }

    /** Waits for the line {@code ... listening on http://...} in the process's log. */
    private static URI awaitEndpoint(Process process, Path log) throws Exception {
        Pattern listening = Pattern.compile("listening on (http://\\S+)");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            Matcher matcher = listening.matcher(Files.readString(log));
            if (matcher.find()) {
                return URI.create(matcher.group(1).replaceAll("/$", "") + "/");
            }
            Thread.sleep(20);
        }
        throw new IOException("no server listening; its log " + log + ":\n" + Files.readString(log));
    }

    private static Process startS3Proxy(List<Process> started, Path data, int port) throws IOException {
        Path base = Files.createDirectories(data.resolve("s3proxy"));
        Path properties = data.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=none",
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + base) + "\n");
        return start(started, data.resolve("s3proxy.log"), javaBinary(), "-jar", System.getProperty("s3ite.benchmarks.s3proxyWrkJar"),
                "--properties", properties.toString());
    }

    private static URI awaitS3Proxy(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                FirstResponse.get(port, "/");
                return URI.create("http://127.0.0.1:" + port + "/");
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IOException("S3Proxy did not start on port " + port);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
