package io.github.s3ite.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
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
 *     with the server's peak RSS and peak heap; then, in the same run, the floors under them: SQLite
 *     alone storing and reading the value in the original's table ({@link BlobFloorProbe}), and the
 *     digests a SigV4-signed upload needs, and whether those alone exceed what the target allows.</li>
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
    private static final long MAX_OBJECT = 1_000_000_000L;
    /**
     * The large object's size: {@link #MAX_OBJECT} unless {@code -Dbenchmarks.large.bytes} asks for
     * less, to try the part out quickly.
     */
    private static final long LARGE_OBJECT = Long.getLong("s3ite.benchmarks.large.bytes", MAX_OBJECT);
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
            Benchmarks.deleteTree(data);
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
        if (LARGE_OBJECT < 1 || LARGE_OBJECT > MAX_OBJECT) {
            throw new IllegalArgumentException("benchmarks.large.bytes must be 1 to " + MAX_OBJECT + ": " + LARGE_OBJECT);
        }
        System.out.printf(Locale.ROOT, "Large object: %,d bytes (%s), multipart upload of %d MiB parts (%d at once) from"
                + " a file and GET back into a file, AWS SDK v2 sync client, against cp of the file; all on %s%n",
                LARGE_OBJECT, LARGE_OBJECT == MAX_OBJECT ? "s3ite's largest; 1 GiB is refused with EntityTooLarge"
                        : "-Dbenchmarks.large.bytes; s3ite's largest is " + String.format(Locale.ROOT, "%,d", MAX_OBJECT),
                PART / MIB, UPLOAD_THREADS, Files.getFileStore(work));
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
            double up;
            double down;
            try (S3Client s3 = client(server.endpoint()); HeapSampler heap = HeapSampler.start(jmxPort)) {
                s3.createBucket(b -> b.bucket("large"));
                double[] phases = upload(s3, source);
                up = phases[0] + phases[1];
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
                down = secondsSince(start);
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
            Files.delete(back);
            Benchmarks.deleteTree(data);
            sync();
            floors(work, source, cp, up, down);
        } finally {
            Files.deleteIfExists(source);
            Files.deleteIfExists(copy);
            Files.deleteIfExists(back);
            Benchmarks.deleteTree(data);
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

    // ------------------------------------------------------------------ the floors of the large object

    /**
     * What is left when s3ite is taken away, measured in the same run as the upload and GET above,
     * each against cp: the storage format's floor ({@link BlobFloorProbe}: SQLite alone writing the
     * value into the original's {@code data} table, folding it from the WAL into the file, reading it
     * back whole, and the same as a multipart upload is stored) and the client's (the digests a
     * SigV4-signed upload over plain HTTP passes every byte through: the SDK's SHA-256 of the payload,
     * s3ite's check of it, s3ite's MD5 for the ETag). Then whether those floors alone already take
     * more than the target allows (half of cp's throughput: twice cp's time), computed, not assumed.
     */
    private static void floors(Path work, Path source, double cp, double up, double down) throws Exception {
        Map<String, String> sqlite = blobFloor(work, source);
        System.out.printf(Locale.ROOT, "  Floors, same run: SQLite %s alone (sqlite-jdbc in a JVM of its own, -Xmx4g, no s3ite code),"
                + " a fresh file per case beside the data directory, the original's data table, s3ite's connection"
                + " settings with --no-fsync (WAL, synchronous=OFF, mmap_size 256 MiB, length limit 2^31-1), automatic"
                + " checkpoints off so that the checkpoint is timed apart; the value read from the file beforehand%n",
                sqlite.get("sqlite"));
        double insert = seconds(sqlite, "insert");
        double checkpoint = seconds(sqlite, "checkpoint");
        double select = seconds(sqlite, "select");
        floorLine("SQLite: INSERT the value, commit", insert, cp,
                String.format(Locale.ROOT, "WAL then %,d bytes", Long.parseLong(sqlite.get("insert_wal"))));
        floorLine("SQLite: checkpoint (TRUNCATE)", checkpoint, cp,
                String.format(Locale.ROOT, "file then %,d bytes", Long.parseLong(sqlite.get("file"))));
        floorLine("SQLite: SELECT value, getBytes", select, cp, "a connection of its own, as a GET's");
        double[] multipart = {seconds(sqlite, "parts_insert"), seconds(sqlite, "parts_checkpoint"),
            seconds(sqlite, "complete_read"), seconds(sqlite, "complete_insert"), seconds(sqlite, "complete_checkpoint")};
        floorLine("SQLite as multipart: " + sqlite.get("parts_count") + " part INSERTs", multipart[0], cp,
                "a commit each, as part uploads");
        floorLine("  their checkpoint", multipart[1], cp, "");
        floorLine("  completion: the parts read into one value", multipart[2], cp, "");
        floorLine("  completion: INSERT it, delete the parts", multipart[3], cp,
                String.format(Locale.ROOT, "and commit; WAL then %,d bytes", Long.parseLong(sqlite.get("complete_wal"))));
        floorLine("  its checkpoint", multipart[4], cp,
                String.format(Locale.ROOT, "file then %,d bytes", Long.parseLong(sqlite.get("complete_file"))));
        double formatMultipart = Arrays.stream(multipart).sum();
        floorLine("  in all, a multipart upload's SQLite", formatMultipart, cp, "");

        double[] digests = digests(source);
        floorLine("SHA-256, one pass", digests[1], cp, "SigV4 over HTTP: the SDK hashes the payload, s3ite again");
        floorLine("MD5, one pass", digests[2], cp, String.format(Locale.ROOT, "s3ite's ETag; the file read in %d MiB chunks"
                + " apart, %.2f s, not counted", PART / MIB, digests[0]));

        double budget = 2 * cp;
        double formatUp = insert + checkpoint;
        double hashing = 2 * digests[1] + digests[2];
        int cores = Runtime.getRuntime().availableProcessors();
        double hashingAtBest = hashing / cores;
        System.out.printf(Locale.ROOT, "  Target: half of cp's throughput, so at most twice cp's time: %.2f s each way%n", budget);
        System.out.printf(Locale.ROOT, "  upload: the format alone (INSERT + checkpoint) %.2f s, %.2fx the budget (as multipart %.2f s,"
                        + " %.2fx); with the hashing of a signed upload (SHA-256 twice, MD5 once: %.2f s of CPU, %.2f s at best"
                        + " on %d cores) %.2f s, %.2fx: %s%n", formatUp, formatUp / budget, formatMultipart,
                formatMultipart / budget, hashing, hashingAtBest, cores, formatUp + hashingAtBest,
                (formatUp + hashingAtBest) / budget, verdict(formatUp, formatUp + hashingAtBest, budget, up));
        System.out.printf(Locale.ROOT, "  GET: the format alone (SELECT) %.2f s, %.2fx the budget (the client hashes nothing"
                + " here): %s%n", select, select / budget, verdict(select, select, budget, down));
    }

    /** Whether the floors alone exceed the time the target allows, and what that rules out. */
    private static String verdict(double format, double withClient, double budget, double measured) {
        if (format > budget) {
            return "over the budget before any HTTP or s3ite code: out of reach with one value per key in the"
                    + " original's data table";
        }
        if (withClient > budget) {
            return "the format is within the budget, its hashing puts it over: out of reach with a SigV4-signing"
                    + " client over plain HTTP";
        }
        return String.format(Locale.ROOT, "within the budget: %.2f s of it left for HTTP and s3ite, which took %.2f s"
                + " above the floor", budget - withClient, measured - withClient);
    }

    private static void floorLine(String name, double seconds, double cp, String note) {
        System.out.printf(Locale.ROOT, "  %-44s %7.2f s %8.0f MB/s   %.3f of cp%s%n", name, seconds,
                LARGE_OBJECT / seconds / 1e6, cp / seconds, note.isEmpty() ? "" : " (" + note + ")");
    }

    private static double seconds(Map<String, String> values, String name) {
        return Long.parseLong(values.get(name)) / 1e9;
    }

    /**
     * Runs {@link BlobFloorProbe} on {@code source} in a JVM of its own (the standalone jar's
     * classpath, so sqlite-jdbc as s3ite ships it), its files in a directory of the benchmark's
     * temporary directory, removed after; returns its figures by name.
     */
    private static Map<String, String> blobFloor(Path work, Path source) throws Exception {
        Path directory = Files.createDirectories(work.resolve("large-floor"));
        Path log = work.resolve("large-floor.log");
        try {
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx4g",
                    // sqlite-jdbc's native library is extracted there, so that it goes with the directory
                    "-Dorg.sqlite.tmpdir=" + directory,
                    "-cp", System.getProperty("s3ite.benchmarks.standaloneJar") + File.pathSeparator
                            + System.getProperty("s3ite.benchmarks.classes"),
                    BlobFloorProbe.class.getName(), source.toString(), directory.toString(), Long.toString(PART));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(30, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            Map<String, String> values = new TreeMap<>();
            List<String> output = Files.readAllLines(log);
            for (String line : output) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 2) {
                    values.put(parts[0], parts[1]);
                }
            }
            if (process.isAlive() || process.exitValue() != 0 || !values.containsKey("complete_file")) {
                throw new IOException("BlobFloorProbe failed:\n" + String.join("\n", output.stream().limit(100).toList()));
            }
            return values;
        } finally {
            Files.deleteIfExists(log);
            Benchmarks.deleteTree(directory);
        }
    }

    /**
     * One pass of SHA-256 and one of MD5 over the file, read in parts' chunks, in this JVM; returns
     * the seconds the reading took, then SHA-256's, then MD5's, each timed apart.
     */
    private static double[] digests(Path source) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        byte[] chunk = new byte[(int) PART];
        long reading = 0;
        long hashing = 0;
        long digesting = 0;
        try (FileChannel channel = FileChannel.open(source, StandardOpenOption.READ)) {
            for (long done = 0; done < LARGE_OBJECT; ) {
                long start = System.nanoTime();
                ByteBuffer buffer = ByteBuffer.wrap(chunk);
                while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                    // until the chunk is full or the file ends
                }
                int read = buffer.position();
                reading += System.nanoTime() - start;
                if (read == 0) {
                    break;
                }
                start = System.nanoTime();
                sha256.update(chunk, 0, read);
                hashing += System.nanoTime() - start;
                start = System.nanoTime();
                md5.update(chunk, 0, read);
                digesting += System.nanoTime() - start;
                done += read;
            }
        }
        sha256.digest();
        md5.digest();
        return new double[] {reading / 1e9, hashing / 1e9, digesting / 1e9};
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
}
