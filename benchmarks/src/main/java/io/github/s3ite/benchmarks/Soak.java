package io.github.s3ite.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The soak: the standalone s3ite in its own process on a fresh data directory, and concurrent
 * clients (32 for 60 s unless told) doing a mix of PutObject, GetObject, ListObjectsV2,
 * DeleteObject and multipart uploads (a 5 MiB part and a small last one). Each client owns its
 * keys and keeps a model of what the server acknowledged, so every GET and LIST is checked against
 * it as the soak runs, and every key once more at the end. Prints the operations of each kind,
 * errors, lost writes (an acknowledged object missing), wrong bytes (an object or listing entry
 * that differs from the last acknowledged write) and the server's peak RSS ({@code VmHWM}); exits 1
 * unless errors, lost writes and wrong bytes are all 0.
 *
 * <p>Needs only the JDK: {@code benchmarks/soak} runs this file as a source-file program against
 * the built {@code s3ite-standalone.jar}. Requests are unsigned (the server runs with anonymous
 * access), so the figures are the server's and not a signing client's.
 */
public final class Soak {
    private enum Op { PUT, GET, LIST, DELETE, MULTIPART }

    private static final int BUCKETS = 4;
    private static final int KEYS_PER_CLIENT = 100;
    private static final int PART_SIZE = 5 * 1024 * 1024;
    private static final Pattern ENDPOINT = Pattern.compile("listening on (http://\\S+)");
    private static final Pattern UPLOAD_ID = Pattern.compile("<UploadId>([^<]+)</UploadId>");
    private static final Pattern CONTENTS = Pattern.compile("<Contents>(.*?)</Contents>", Pattern.DOTALL);
    private static final Pattern KEY = Pattern.compile("<Key>([^<]*)</Key>");
    private static final Pattern SIZE = Pattern.compile("<Size>(\\d+)</Size>");

    /** What the server acknowledged for a key: the SHA-256 and length of its content. */
    private record Stored(String sha256, long size) {
    }

    private final URI endpoint;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<Op, AtomicLong> operations = new EnumMap<>(Op.class);
    private final ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong lostWrites = new AtomicLong();
    private final AtomicLong wrongBytes = new AtomicLong();
    private final AtomicLong verifiedAtEnd = new AtomicLong();
    private final ConcurrentLinkedQueue<String> firstProblems = new ConcurrentLinkedQueue<>();

    private Soak(URI endpoint) {
        this.endpoint = endpoint;
        for (Op op : Op.values()) {
            operations.put(op, new AtomicLong());
        }
    }

    public static void main(String[] args) throws Exception {
        int clients = 32;
        int seconds = 60;
        Path jar = Path.of("s3ite-server/target/s3ite-standalone.jar");
        List<String> serverOptions = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--jar" -> jar = Path.of(args[++i]);
                case "--no-fsync" -> serverOptions.add("--no-fsync");
                default -> throw new IllegalArgumentException("Usage: Soak [--clients N] [--seconds S] [--jar s3ite-standalone.jar]"
                        + " [--no-fsync]; unknown: " + args[i]);
            }
        }
        Path data = Files.createTempDirectory("s3ite-soak-");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), data.resolve("data").toString(), "--host", "127.0.0.1", "--port", "0"));
        command.addAll(serverOptions);
        Process server = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean passed = false;
        try {
            Soak soak = new Soak(awaitEndpoint(server));
            System.out.printf(Locale.ROOT, "s3ite soak: %d clients, %d s, %d cores, Java %s, server %s%s, data %s%n", clients, seconds,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), jar,
                    serverOptions.isEmpty() ? " (fsync on)" : " " + String.join(" ", serverOptions), data);
            passed = soak.run(clients, Duration.ofSeconds(seconds), server.pid());
        } finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        System.out.printf(Locale.ROOT, "server exit code %d after SIGTERM%n", server.exitValue());
        integrityCheck(data.resolve("data"));
        if (passed) {
            deleteRecursively(data);
        } else {
            System.out.println("data directory kept for inspection: " + data);
        }
        System.exit(passed ? 0 : 1);
    }

    private boolean run(int clients, Duration length, long serverPid) throws Exception {
        for (int b = 0; b < BUCKETS; b++) {
            int status = send(HttpRequest.newBuilder(uri(bucket(b), "")).PUT(HttpRequest.BodyPublishers.noBody())).statusCode();
            if (status != 200) {
                throw new IOException("CreateBucket answered " + status);
            }
        }
        long deadline = System.nanoTime() + length.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads.add(new Thread(() -> client(client, deadline), "soak-client-" + c));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        double checkedIn = (System.nanoTime() - deadline) / 1e9;
        String memory = memory(serverPid);
        report(length.toMillis() / 1000.0, checkedIn, memory);
        return errors.get() == 0 && lostWrites.get() == 0 && wrongBytes.get() == 0;
    }

    private void client(int client, long deadline) {
        Random random = new Random(client);
        String bucket = bucket(client % BUCKETS);
        String prefix = String.format(Locale.ROOT, "c%02d/", client);
        Map<String, Stored> model = new HashMap<>();
        long[] samples = new long[1 << 16];
        int sampled = 0;
        while (System.nanoTime() < deadline) {
            String key = prefix + "k" + random.nextInt(KEYS_PER_CLIENT);
            int dice = random.nextInt(400);
            Op op = dice == 0 ? Op.MULTIPART : dice < 140 ? Op.PUT : dice < 280 ? Op.GET : dice < 330 ? Op.LIST : Op.DELETE;
            long began = System.nanoTime();
            try {
                switch (op) {
                    case PUT -> put(bucket, key, body(random), model);
                    case GET -> get(bucket, key, model);
                    case LIST -> list(bucket, prefix, model);
                    case DELETE -> delete(bucket, key, model);
                    case MULTIPART -> multipart(bucket, key, random, model);
                }
                operations.get(op).incrementAndGet();
            } catch (IOException | InterruptedException | RuntimeException e) {
                problem(errors, op + " " + bucket + "/" + key + ": " + e);
            }
            if (sampled < samples.length) {
                samples[sampled++] = (long) op.ordinal() << 48 | Math.min((System.nanoTime() - began) / 1000, (1L << 48) - 1);
            }
        }
        latencies.add(Arrays.copyOf(samples, sampled));
        // Every key once more, and the whole listing, against what was acknowledged.
        try {
            for (int k = 0; k < KEYS_PER_CLIENT; k++) {
                get(bucket, prefix + "k" + k, model);
                verifiedAtEnd.incrementAndGet();
            }
            list(bucket, prefix, model);
        } catch (IOException | InterruptedException | RuntimeException e) {
            problem(errors, "final check of " + prefix + ": " + e);
        }
    }

    /** Mostly small objects, one in ten up to 1 MiB, some empty. */
    private static byte[] body(Random random) {
        byte[] body = new byte[random.nextInt(10) == 0 ? random.nextInt(1024 * 1024) : random.nextInt(16 * 1024)];
        random.nextBytes(body);
        return body;
    }

    private void put(String bucket, String key, byte[] body, Map<String, Stored> model) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(bucket, key)).PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
        expect(200, response, "PutObject");
        model.put(key, new Stored(sha256(body), body.length));
    }

    private void get(String bucket, String key, Map<String, Stored> model) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri(bucket, key)).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        Stored expected = model.get(key);
        if (response.statusCode() == 404) {
            if (expected != null) {
                problem(lostWrites, "GET " + bucket + "/" + key + ": 404, but " + expected + " was acknowledged");
            }
            return;
        }
        if (response.statusCode() != 200) {
            throw new IOException("GetObject answered " + response.statusCode());
        }
        if (expected == null) {
            problem(wrongBytes, "GET " + bucket + "/" + key + ": found, but its deletion was acknowledged");
        } else if (!expected.sha256().equals(sha256(response.body()))) {
            problem(wrongBytes, "GET " + bucket + "/" + key + ": " + response.body().length + " bytes that differ from " + expected);
        }
    }

    private void list(String bucket, String prefix, Map<String, Stored> model) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(uri(bucket, "") + "?list-type=2&prefix=" + prefix)).GET());
        expect(200, response, "ListObjectsV2");
        if (response.body().contains("<IsTruncated>true</IsTruncated>")) {
            throw new IOException("ListObjectsV2 truncated " + KEYS_PER_CLIENT + " keys");
        }
        Map<String, Long> listed = new HashMap<>();
        Matcher contents = CONTENTS.matcher(response.body());
        while (contents.find()) {
            Matcher key = KEY.matcher(contents.group(1));
            Matcher size = SIZE.matcher(contents.group(1));
            if (!key.find() || !size.find()) {
                throw new IOException("ListObjectsV2 entry without Key or Size: " + contents.group(1));
            }
            listed.put(key.group(1), Long.parseLong(size.group(1)));
        }
        for (Map.Entry<String, Stored> entry : model.entrySet()) {
            Long size = listed.get(entry.getKey());
            if (size == null) {
                problem(lostWrites, "LIST " + bucket + "/" + prefix + ": " + entry.getKey() + " missing");
            } else if (size != entry.getValue().size()) {
                problem(wrongBytes, "LIST " + bucket + "/" + prefix + ": " + entry.getKey() + " has size " + size
                        + ", acknowledged " + entry.getValue().size());
            }
        }
        for (String key : listed.keySet()) {
            if (!model.containsKey(key)) {
                problem(wrongBytes, "LIST " + bucket + "/" + prefix + ": " + key + " listed, but its deletion was acknowledged");
            }
        }
    }

    private void delete(String bucket, String key, Map<String, Stored> model) throws IOException, InterruptedException {
        expect(204, send(HttpRequest.newBuilder(uri(bucket, key)).DELETE()), "DeleteObject");
        model.remove(key);
    }

    private void multipart(String bucket, String key, Random random, Map<String, Stored> model)
            throws IOException, InterruptedException {
        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(uri(bucket, key) + "?uploads"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        expect(200, created, "CreateMultipartUpload");
        Matcher uploadId = UPLOAD_ID.matcher(created.body());
        if (!uploadId.find()) {
            throw new IOException("CreateMultipartUpload without UploadId: " + created.body());
        }
        String upload = "uploadId=" + uploadId.group(1);
        byte[][] parts = {new byte[PART_SIZE], new byte[1 + random.nextInt(256 * 1024)]};
        StringBuilder complete = new StringBuilder("<CompleteMultipartUpload>");
        MessageDigest whole = sha256();
        for (int part = 1; part <= parts.length; part++) {
            random.nextBytes(parts[part - 1]);
            whole.update(parts[part - 1]);
            HttpResponse<String> uploaded = send(HttpRequest.newBuilder(URI.create(uri(bucket, key) + "?partNumber=" + part + "&" + upload))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(parts[part - 1])));
            expect(200, uploaded, "UploadPart");
            String etag = uploaded.headers().firstValue("ETag").orElseThrow(() -> new IOException("UploadPart without ETag"));
            complete.append("<Part><PartNumber>").append(part).append("</PartNumber><ETag>").append(etag).append("</ETag></Part>");
        }
        complete.append("</CompleteMultipartUpload>");
        HttpResponse<String> completed = send(HttpRequest.newBuilder(URI.create(uri(bucket, key) + "?" + upload))
                .POST(HttpRequest.BodyPublishers.ofString(complete.toString())));
        // S3 may answer 200 with an error in the body; only a result acknowledges the object.
        if (completed.statusCode() != 200 || !completed.body().contains("<CompleteMultipartUploadResult")) {
            throw new IOException("CompleteMultipartUpload answered " + completed.statusCode() + ": " + completed.body());
        }
        model.put(key, new Stored(HexFormat.of().formatHex(whole.digest()), (long) parts[0].length + parts[1].length));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static void expect(int status, HttpResponse<String> response, String operation) throws IOException {
        if (response.statusCode() != status) {
            throw new IOException(operation + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private void problem(AtomicLong counter, String description) {
        counter.incrementAndGet();
        if (firstProblems.size() < 20) {
            firstProblems.add(description);
        }
    }

    private URI uri(String bucket, String key) {
        return endpoint.resolve("/" + bucket + (key.isEmpty() ? "" : "/" + key));
    }

    private static String bucket(int index) {
        return "soak-" + index;
    }

    private void report(double elapsed, double checkedIn, String memory) {
        List<long[]> all = new ArrayList<>(latencies);
        System.out.printf(Locale.ROOT, "%-10s %10s %10s %10s %10s%n", "operation", "count", "per s", "p50", "p99");
        long total = 0;
        for (Op op : Op.values()) {
            long count = operations.get(op).get();
            total += count;
            long[] micros = all.stream().flatMapToLong(Arrays::stream).filter(s -> (s >>> 48) == op.ordinal())
                    .map(s -> s & ((1L << 48) - 1)).sorted().toArray();
            System.out.printf(Locale.ROOT, "%-10s %,10d %10.1f %10s %10s%n", op, count, count / elapsed,
                    percentile(micros, 50), percentile(micros, 99));
        }
        System.out.printf(Locale.ROOT, "%-10s %,10d %10.1f   (in %.0f s; then %,d keys and every listing checked again in %.1f s)%n",
                "all", total, total / elapsed, elapsed, verifiedAtEnd.get(), checkedIn);
        System.out.printf(Locale.ROOT, "errors %d, lost writes %d, wrong bytes %d%n", errors.get(), lostWrites.get(), wrongBytes.get());
        firstProblems.forEach(problem -> System.out.println("  " + problem));
        System.out.println("server memory: " + memory);
    }

    private static String percentile(long[] sortedMicros, int percent) {
        if (sortedMicros.length == 0) {
            return "-";
        }
        int index = Math.max(0, Math.min(sortedMicros.length - 1, (int) Math.ceil(percent / 100.0 * sortedMicros.length) - 1));
        return String.format(Locale.ROOT, "%.1f ms", sortedMicros[index] / 1000.0);
    }

    /** Peak and current resident set size of the server process, from /proc (Linux). */
    private static String memory(long pid) {
        try {
            Map<String, String> status = new HashMap<>();
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                String[] parts = line.split(":\\s*", 2);
                if (parts.length == 2) {
                    status.put(parts[0], parts[1].trim());
                }
            }
            return "peak RSS (VmHWM) " + status.get("VmHWM") + ", RSS at the end " + status.get("VmRSS");
        } catch (IOException e) {
            return "n/a (" + e.getMessage() + ")";
        }
    }

    /** PRAGMA integrity_check of every bucket file, where the sqlite3 shell is installed. */
    private static void integrityCheck(Path data) throws IOException, InterruptedException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(data)) {
            files = listing.filter(file -> file.toString().endsWith(".sqlite3")).sorted().toList();
        }
        for (Path file : files) {
            Process sqlite;
            try {
                sqlite = new ProcessBuilder("sqlite3", file.toString(), "PRAGMA integrity_check").redirectErrorStream(true).start();
            } catch (IOException e) {
                System.out.println("integrity_check skipped: no sqlite3 shell");
                return;
            }
            String said = new String(sqlite.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            sqlite.waitFor();
            System.out.printf(Locale.ROOT, "integrity_check %s (%,d bytes): %s%n", file.getFileName(), Files.size(file), said);
        }
    }

    private static URI awaitEndpoint(Process process) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            Matcher matcher = ENDPOINT.matcher(line);
            if (matcher.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        reader.lines().forEach(more -> System.out.println("server: " + more));
                    } catch (RuntimeException e) {
                        // the process ended
                    }
                }, "soak-server-output");
                drain.setDaemon(true);
                drain.start();
                return URI.create(matcher.group(1));
            }
            System.out.println("server: " + line);
        }
        throw new IOException("s3ite standalone did not start");
    }

    private static String sha256(byte[] bytes) {
        MessageDigest digest = sha256();
        digest.update(bytes);
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
