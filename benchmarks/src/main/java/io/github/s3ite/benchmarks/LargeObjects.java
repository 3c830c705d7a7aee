package io.github.s3ite.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.core.internal.http.loader.DefaultSdkHttpClientBuilder;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.utils.AttributeMap;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Large objects through the standalone s3ite, each server a process of its own with its heap and
 * memory budget set on its command line:
 * <ul>
 * <li>{@link #ranges}: one full GET of a 100 MiB object against 50 ranged GETs of 1 MiB of it, with
 *     the range cache off ({@code --range-cache 0}: every range read from SQLite, as before the
 *     cache) and on (its default size), in the same run;</li>
 * <li>{@link #large}: a multipart upload of the largest object s3ite takes (1,000,000,000 bytes) from
 *     a file, and its GET back into a file, against {@code cp} of the same file on the same disk,
 *     with the server's peak RSS and peak heap.</li>
 * </ul>
 */
final class LargeObjects {
    private static final String ACCESS_KEY = "AKIABENCHMARK";
    private static final String SECRET_KEY = "benchmark-secret";
    private static final int MIB = 1024 * 1024;
    private static final int RANGED_OBJECT = 100 * MIB;
    private static final int RANGES = 50;
    private static final int RANGE = MIB;
    /** BucketFile.MAX_OBJECT_SIZE: SQLite's default maximum length of a value. 1 GiB is refused. */
    private static final long LARGE_OBJECT = 1_000_000_000L;
    private static final long PART = 64L * MIB;
    private static final int UPLOAD_THREADS = 4;
    private static final Pattern ENDPOINT = Pattern.compile("listening on (http://\\S+)");

    private LargeObjects() {
    }

    // ------------------------------------------------------------------ ranged reads

    static void ranges(Path work) throws Exception {
        System.out.printf(Locale.ROOT, "Ranged reads: one 100 MiB object (single PUT); one full GET (median of 3) against"
                + " %d ranged GETs of 1 MiB spread over it, sequentially, AWS SDK v2 sync client; server -Xmx1g"
                + " (memory budget 512 MiB, range cache 128 MiB unless off), --no-fsync%n", RANGES);
        System.out.printf(Locale.ROOT, "%-34s %10s %12s %12s %12s %10s %12s %14s%n", "server", "full GET", "50 ranges",
                "first range", "next ranges", "ratio", "100 B range", "peak RSS");
        byte[] object = new byte[RANGED_OBJECT];
        new SplittableRandom(7).nextBytes(object);
        rangesAgainst(work.resolve("ranges-off"), "range cache off (--range-cache 0)", object, "--range-cache", "0");
        rangesAgainst(work.resolve("ranges-on"), "range cache on (default)", object);
    }

    private static void rangesAgainst(Path data, String name, byte[] object, String... options) throws Exception {
        Server server = Server.start(data, List.of("-Xmx1g"), options);
        boolean failed = true;
        try (S3Client s3 = client(server.endpoint())) {
            s3.createBucket(b -> b.bucket("ranges"));
            // warm-up: the same requests against a smaller object, so that the JIT has seen them
            byte[] small = Arrays.copyOf(object, 8 * MIB);
            s3.putObject(b -> b.bucket("ranges").key("warm"), RequestBody.fromBytes(small));
            for (int i = 0; i < 30; i++) {
                long offset = (long) (i % 7) * MIB;
                check(s3.getObjectAsBytes(b -> b.bucket("ranges").key("warm").range(range(offset, RANGE))).asByteArray(),
                        small, offset);
                check(s3.getObjectAsBytes(b -> b.bucket("ranges").key("warm")).asByteArray(), small, 0);
            }
            s3.putObject(b -> b.bucket("ranges").key("object"), RequestBody.fromBytes(object));
            double[] full = new double[3];
            for (int i = 0; i < full.length; i++) {
                long start = System.nanoTime();
                byte[] read = s3.getObjectAsBytes(b -> b.bucket("ranges").key("object")).asByteArray();
                full[i] = millisSince(start);
                check(read, object, 0);
            }
            double[] ranges = new double[RANGES];
            long all = System.nanoTime();
            for (int i = 0; i < RANGES; i++) {
                long offset = (long) i * (RANGED_OBJECT - RANGE) / (RANGES - 1);
                long start = System.nanoTime();
                byte[] read = s3.getObjectAsBytes(b -> b.bucket("ranges").key("object").range(range(offset, RANGE)))
                        .asByteArray();
                ranges[i] = millisSince(start);
                check(read, object, offset);
            }
            double total = millisSince(all);
            long start = System.nanoTime();
            byte[] tail = s3.getObjectAsBytes(b -> b.bucket("ranges").key("object").range("bytes=-100")).asByteArray();
            double hundred = millisSince(start);
            check(tail, object, RANGED_OBJECT - 100);
            double fullMedian = Stats.of(full).median();
            System.out.printf(Locale.ROOT, "%-34s %7.1f ms %9.1f ms %9.1f ms %9.1f ms %9.2fx %9.1f ms %14s%n", name,
                    fullMedian, total, ranges[0], Stats.of(Arrays.copyOfRange(ranges, 1, RANGES)).median(),
                    total / fullMedian, hundred, server.peakRss());
            failed = false;
        } finally {
            server.stop(failed);
            deleteTree(data);
        }
    }

    private static String range(long offset, long length) {
        return "bytes=" + offset + "-" + (offset + length - 1);
    }

    private static void check(byte[] read, byte[] object, long offset) {
        if (!Arrays.equals(read, 0, read.length, object, (int) offset, (int) offset + read.length)) {
            throw new IllegalStateException("wrong bytes at offset " + offset);
        }
    }

    // ------------------------------------------------------------------ large objects

    static void large(Path work) throws Exception {
        long free = Files.getFileStore(work).getUsableSpace();
        long needed = 6 * LARGE_OBJECT;
        System.out.printf(Locale.ROOT, "Large object: %,d bytes (s3ite's largest; 1 GiB is refused with EntityTooLarge),"
                + " multipart upload of %d MiB parts (%d at once) from a file and GET back into a file, AWS SDK v2 sync"
                + " client, against cp of the file; all on %s%n", LARGE_OBJECT, PART / MIB, UPLOAD_THREADS,
                Files.getFileStore(work));
        if (free < needed) {
            System.out.printf(Locale.ROOT, "  skipped: %,d bytes free in %s, %,d needed%n", free, work, needed);
            return;
        }
        Path source = work.resolve("large-source.bin");
        Path copy = work.resolve("large-copy.bin");
        Path back = work.resolve("large-back.bin");
        Path data = work.resolve("large-data");
        try {
            writeRandomFile(source, LARGE_OBJECT);
            sync();
            long start = System.nanoTime();
            run("cp", source.toString(), copy.toString());
            double cp = secondsSince(start);
            start = System.nanoTime();
            sync();
            double cpSync = secondsSince(start);
            Files.delete(copy);
            sync();
            System.out.printf(Locale.ROOT, "  %-44s %7.2f s %8.0f MB/s   (then sync: %.2f s more)%n", "cp", cp,
                    LARGE_OBJECT / cp / 1e6, cpSync);
            int jmxPort = freePort();
            List<String> jvm = List.of("-Xmx4g", "-Dcom.sun.management.jmxremote.port=" + jmxPort,
                    "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort, "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                    "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false");
            Server server = Server.start(data, jvm, "--no-fsync", "--memory-budget", "2g");
            boolean failed = true;
            try (S3Client s3 = client(server.endpoint()); HeapSampler heap = HeapSampler.start(jmxPort)) {
                s3.createBucket(b -> b.bucket("large"));
                double[] phases = upload(s3, source);
                double up = phases[0] + phases[1];
                System.out.printf(Locale.ROOT, "  %-44s %7.2f s %8.0f MB/s   %.3f of cp (parts %.2f s, %.0f MB/s;"
                                + " CompleteMultipartUpload %.2f s)%n",
                        "s3ite multipart upload (" + (LARGE_OBJECT + PART - 1) / PART + " parts)", up,
                        LARGE_OBJECT / up / 1e6, cp / up, phases[0], LARGE_OBJECT / phases[0] / 1e6, phases[1]);
                long heapAfterUpload = heap.peak();
                sync();
                start = System.nanoTime();
                s3.headObject(b -> b.bucket("large").key("large"));
                double head = secondsSince(start);
                start = System.nanoTime();
                s3.getObject(b -> b.bucket("large").key("large"), ResponseTransformer.toFile(back));
                double down = secondsSince(start);
                System.out.printf(Locale.ROOT, "  %-44s %7.2f s %8.0f MB/s   %.3f of cp (a HEAD before it: %.2f s)%n",
                        "s3ite GET into a file", down, LARGE_OBJECT / down / 1e6, cp / down, head);
                if (Files.mismatch(source, back) != -1) {
                    throw new IllegalStateException("the object read back differs from the file uploaded");
                }
                System.out.printf(Locale.ROOT, "  server (-Xmx4g, --memory-budget 2g, --no-fsync): peak RSS %s; heap in use"
                                + " at most %d MiB while uploading, %d MiB in all (sampled every 20 ms; the heap pools'"
                                + " own peaks add up to %d MiB); bucket file %,d bytes; bytes read back identical%n",
                        server.peakRss(), heapAfterUpload / MIB, heap.peak() / MIB, heap.poolPeaks() / MIB,
                        Files.size(data.resolve("large.sqlite3")));
                failed = false;
            } finally {
                server.stop(failed);
            }
        } finally {
            Files.deleteIfExists(source);
            Files.deleteIfExists(copy);
            Files.deleteIfExists(back);
            deleteTree(data);
        }
    }

    /** Uploads the file in parts; returns the seconds the parts took and the seconds their completion took. */
    private static double[] upload(S3Client s3, Path source) throws Exception {
        long start = System.nanoTime();
        String uploadId = s3.createMultipartUpload(b -> b.bucket("large").key("large")).uploadId();
        int parts = (int) ((LARGE_OBJECT + PART - 1) / PART);
        ExecutorService pool = Executors.newFixedThreadPool(UPLOAD_THREADS);
        try {
            List<Future<CompletedPart>> uploaded = new ArrayList<>();
            for (int i = 0; i < parts; i++) {
                int number = i + 1;
                long offset = i * PART;
                long length = Math.min(PART, LARGE_OBJECT - offset);
                uploaded.add(pool.submit(() -> {
                    String etag = s3.uploadPart(b -> b.bucket("large").key("large").uploadId(uploadId).partNumber(number)
                            .contentLength(length), RequestBody.fromContentProvider(() -> slice(source, offset, length),
                            length, "application/octet-stream")).eTag();
                    return CompletedPart.builder().partNumber(number).eTag(etag).build();
                }));
            }
            List<CompletedPart> completed = new ArrayList<>();
            for (Future<CompletedPart> part : uploaded) {
                completed.add(part.get());
            }
            double partsTook = secondsSince(start);
            start = System.nanoTime();
            s3.completeMultipartUpload(b -> b.bucket("large").key("large").uploadId(uploadId)
                    .multipartUpload(m -> m.parts(completed)));
            return new double[] {partsTook, secondsSince(start)};
        } finally {
            pool.shutdown();
        }
    }

    /** The server's heap in use, sampled over JMX every 20 ms while it runs. */
    private static final class HeapSampler implements AutoCloseable {
        private final JMXConnector connector;
        private final MemoryMXBean memory;
        private final List<MemoryPoolMXBean> pools;
        private final Thread sampler;
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean running = true;

        private HeapSampler(JMXConnector connector) throws IOException {
            this.connector = connector;
            MBeanServerConnection server = connector.getMBeanServerConnection();
            this.memory = ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.MEMORY_MXBEAN_NAME,
                    MemoryMXBean.class);
            this.pools = ManagementFactory.getPlatformMXBeans(server, MemoryPoolMXBean.class);
            this.sampler = new Thread(() -> {
                while (running) {
                    try {
                        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        // the server is busy or gone: the next sample tells
                    }
                }
            }, "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        static HeapSampler start(int port) throws IOException {
            JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
            return new HeapSampler(JMXConnectorFactory.connect(url));
        }

        long peak() {
            return peak.get();
        }

        /** The sum of the heap pools' peaks: at least the true peak, as each pool peaked on its own. */
        long poolPeaks() {
            long sum = 0;
            for (MemoryPoolMXBean pool : pools) {
                if (pool.getType() == MemoryType.HEAP) {
                    sum += pool.getPeakUsage().getUsed();
                }
            }
            return sum;
        }

        @Override
        public void close() throws IOException, InterruptedException {
            running = false;
            sampler.interrupt();
            sampler.join(1000);
            connector.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** {@code length} bytes of {@code file} from {@code offset}, streamed. */
    private static InputStream slice(Path file, long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            InputStream whole = Channels.newInputStream(channel);
            return new InputStream() {
                private long left = length;

                @Override
                public int read() throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int b = whole.read();
                    if (b >= 0) {
                        left--;
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int from, int count) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int read = whole.read(buffer, from, (int) Math.min(count, left));
                    if (read > 0) {
                        left -= read;
                    }
                    return read;
                }

                @Override
                public void close() throws IOException {
                    whole.close();
                }
            };
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void writeRandomFile(Path file, long size) throws IOException {
        SplittableRandom random = new SplittableRandom(11);
        byte[] block = new byte[8 * MIB];
        try (var out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, size - written));
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The standalone s3ite as a process of its own. */
    private record Server(Process process, URI endpoint, Path log) {
        static Server start(Path data, List<String> jvmOptions, String... options) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(List.of("-jar", System.getProperty("s3ite.benchmarks.standaloneJar"), data.toString(),
                    "--port", "0", "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY));
            if (!Arrays.asList(options).contains("--no-fsync")) {
                command.add("--no-fsync");
            }
            command.addAll(List.of(options));
            Path log = data.resolveSibling(data.getFileName() + ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && process.isAlive()) {
                Matcher matcher = ENDPOINT.matcher(Files.readString(log));
                if (matcher.find()) {
                    return new Server(process, URI.create(matcher.group(1)), log);
                }
                Thread.sleep(20);
            }
            process.destroyForcibly();
            throw new IOException("s3ite standalone did not start: " + Files.readString(log));
        }

        String peakRss() {
            Map<String, String> status = new TreeMap<>();
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                    String[] parts = line.split(":", 2);
                    if (parts.length == 2) {
                        status.put(parts[0], parts[1].trim());
                    }
                }
            } catch (IOException e) {
                return "n/a";
            }
            String hwm = status.get("VmHWM");
            return hwm == null ? "n/a" : String.format(Locale.ROOT, "%d MiB", Long.parseLong(hwm.split(" ")[0]) / 1024);
        }

        /** Stops the server; its log is printed when {@code failed}, and removed. */
        void stop(boolean failed) throws InterruptedException, IOException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            if (failed) {
                System.out.println("  server log:");
                Files.readAllLines(log).stream().limit(200).forEach(line -> System.out.println("    " + line));
            }
            Files.deleteIfExists(log);
        }
    }

    private static S3Client client(URI endpoint) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // the SDK's default HTTP client (Apache), with a read timeout long enough for the largest object
                .httpClient(new DefaultSdkHttpClientBuilder().buildWithDefaults(AttributeMap.builder()
                        .put(SdkHttpConfigurationOption.READ_TIMEOUT, java.time.Duration.ofMinutes(5)).build()))
                .build();
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed");
        }
    }

    private static void sync() throws IOException, InterruptedException {
        run("sync");
    }

    private static double millisSince(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    private static double secondsSince(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
