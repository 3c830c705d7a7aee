package io.github.s3ite.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash of the s3ite process loses no acknowledged write and leaves no damaged file. Writers PUT,
 * overwrite, delete and complete multipart uploads into two buckets under load; the standalone
 * server is killed with SIGKILL mid-load and restarted on the same directory. Every key must then
 * read back exactly as its last acknowledged write left it (byte-identical, or absent after a
 * delete), or as the write still unanswered at the kill (which may or may not have committed); and
 * {@code PRAGMA integrity_check} must say ok on every bucket file. A process crash needs no fsync,
 * so the same holds with {@code --no-fsync}.
 */
class CrashRecoveryTest {
    private static final int WRITERS = 4;
    private static final int KEYS_PER_WRITER = 40;
    private static final Duration LOAD = Duration.ofMillis(1500);
    private static final List<String> BUCKETS = List.of("crash-a", "crash-b");
    private static final String ABSENT = "absent";
    private static final Pattern UPLOAD_ID = Pattern.compile("<UploadId>([^<]+)</UploadId>");
    private static final Pattern ETAG = Pattern.compile("\"?([0-9a-f]{32})\"?");

    /** What a key must read as after the crash: its last acknowledged state, or the write in flight at the kill. */
    private record Expected(String acknowledged, String inFlight) {
        boolean allows(String found) {
            return found.equals(acknowledged) || found.equals(inFlight);
        }
    }

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final Map<String, Expected> model = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Throwable> errorsBeforeKill = new ConcurrentLinkedQueue<>();
    private final AtomicInteger acknowledgedPuts = new AtomicInteger();
    private final AtomicInteger acknowledgedDeletes = new AtomicInteger();
    private final AtomicInteger acknowledgedMultipart = new AtomicInteger();
    private volatile boolean killed;

    @Test
    void everyAcknowledgedWriteSurvivesSigkillByteIdentical(@TempDir Path dir) throws Exception {
        crashAndCheck(dir.resolve("data"));
    }

    @Test
    void everyAcknowledgedWriteSurvivesSigkillWithoutFsync(@TempDir Path dir) throws Exception {
        crashAndCheck(dir.resolve("data"), "--no-fsync");
    }

    private void crashAndCheck(Path data, String... options) throws Exception {
        StandaloneProcess server = new StandaloneProcess(data, options);
        try {
            for (String bucket : BUCKETS) {
                assertEquals(200, send(HttpRequest.newBuilder(uri(server, bucket, "")).PUT(noBody())).statusCode());
            }
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(new Thread(() -> write(server, writer), "writer-" + w));
            }
            writers.add(new Thread(() -> writeMultipart(server), "multipart-writer"));
            writers.forEach(Thread::start);
            // Killed mid-load, and not before one multipart upload is through (each takes a while on a slow machine).
            Thread.sleep(LOAD.toMillis());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (acknowledgedMultipart.get() == 0 && errorsBeforeKill.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            killed = true;
            server.kill();
            for (Thread writer : writers) {
                writer.join(Duration.ofSeconds(30).toMillis());
            }
        } finally {
            server.close();
        }
        assertEquals(List.of(), List.copyOf(errorsBeforeKill), "requests failed before the kill");
        assertTrue(acknowledgedPuts.get() >= 20 && acknowledgedMultipart.get() >= 1,
                "too little load to prove anything: " + acknowledgedPuts + " PUTs, " + acknowledgedMultipart
                        + " multipart uploads acknowledged");

        try (StandaloneProcess restarted = new StandaloneProcess(data, options)) {
            List<String> wrong = new ArrayList<>();
            for (Map.Entry<String, Expected> entry : model.entrySet()) {
                String found = read(restarted, entry.getKey());
                if (!entry.getValue().allows(found)) {
                    wrong.add(entry.getKey() + ": expected " + entry.getValue() + ", found " + found);
                }
            }
            assertEquals(List.of(), wrong, "after SIGKILL and restart (" + acknowledgedPuts + " PUTs, " + acknowledgedDeletes
                    + " DELETEs, " + acknowledgedMultipart + " multipart uploads acknowledged)");
        }

        try (Stream<Path> files = Files.list(data)) {
            List<Path> bucketFiles = files.filter(file -> file.getFileName().toString().endsWith(".sqlite3")).sorted().toList();
            assertEquals(BUCKETS.size(), bucketFiles.size(), bucketFiles.toString());
            for (Path file : bucketFiles) {
                assertEquals("ok", integrityCheck(file), file.toString());
            }
        }
    }

    /** PUTs (new and overwriting) and DELETEs of random content on keys of its own, one at a time, until the kill. */
    private void write(StandaloneProcess server, int writer) {
        Random random = new Random(writer);
        String bucket = BUCKETS.get(writer % BUCKETS.size());
        while (!killed) {
            String key = "w" + writer + "/k" + random.nextInt(KEYS_PER_WRITER);
            String modelKey = bucket + "/" + key;
            Expected before = model.getOrDefault(modelKey, new Expected(ABSENT, null));
            boolean delete = random.nextInt(10) == 0;
            byte[] body = delete ? null : new byte[random.nextInt(64 * 1024)];
            if (body != null) {
                random.nextBytes(body);
            }
            String after = delete ? ABSENT : sha256(body);
            model.put(modelKey, new Expected(before.acknowledged(), after));
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(uri(server, bucket, key));
                HttpResponse<String> response = send(delete ? request.DELETE() : request.PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
                if (response.statusCode() != (delete ? 204 : 200)) {
                    throw new IOException("unexpected answer " + response.statusCode() + ": " + response.body());
                }
                model.put(modelKey, new Expected(after, null));
                (delete ? acknowledgedDeletes : acknowledgedPuts).incrementAndGet();
            } catch (IOException | InterruptedException | RuntimeException e) {
                unlessKilled(e);
                return;
            }
        }
    }

    /** Multipart uploads of a 5 MiB part and a small last part, each completed under its own key, until the kill. */
    private void writeMultipart(StandaloneProcess server) {
        Random random = new Random(99);
        String bucket = BUCKETS.get(0);
        for (int n = 0; !killed; n++) {
            String key = "multipart/" + n;
            byte[] first = new byte[5 * 1024 * 1024];
            byte[] last = new byte[1 + random.nextInt(100_000)];
            random.nextBytes(first);
            random.nextBytes(last);
            try {
                HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(uri(server, bucket, key) + "?uploads"))
                        .POST(noBody()));
                Matcher uploadId = UPLOAD_ID.matcher(created.body());
                if (created.statusCode() != 200 || !uploadId.find()) {
                    throw new IOException("CreateMultipartUpload: " + created.statusCode() + " " + created.body());
                }
                String upload = "uploadId=" + uploadId.group(1);
                StringBuilder complete = new StringBuilder("<CompleteMultipartUpload>");
                byte[][] parts = {first, last};
                for (int part = 1; part <= parts.length; part++) {
                    HttpResponse<String> uploaded = send(HttpRequest.newBuilder(
                            URI.create(uri(server, bucket, key) + "?partNumber=" + part + "&" + upload))
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(parts[part - 1])));
                    String etag = uploaded.headers().firstValue("ETag").orElse("");
                    if (uploaded.statusCode() != 200 || !ETAG.matcher(etag).matches()) {
                        throw new IOException("UploadPart: " + uploaded.statusCode() + " " + uploaded.body());
                    }
                    complete.append("<Part><PartNumber>").append(part).append("</PartNumber><ETag>").append(etag)
                            .append("</ETag></Part>");
                }
                complete.append("</CompleteMultipartUpload>");
                String modelKey = bucket + "/" + key;
                String whole = sha256(first, last);
                model.put(modelKey, new Expected(ABSENT, whole));
                HttpResponse<String> completed = send(HttpRequest.newBuilder(URI.create(uri(server, bucket, key) + "?" + upload))
                        .POST(HttpRequest.BodyPublishers.ofString(complete.toString())));
                // S3 may answer 200 with an error in the body; only a result acknowledges the object.
                if (completed.statusCode() != 200 || !completed.body().contains("<CompleteMultipartUploadResult")) {
                    throw new IOException("CompleteMultipartUpload: " + completed.statusCode() + " " + completed.body());
                }
                model.put(modelKey, new Expected(whole, null));
                acknowledgedMultipart.incrementAndGet();
            } catch (IOException | InterruptedException | RuntimeException e) {
                unlessKilled(e);
                return;
            }
        }
    }

    private void unlessKilled(Throwable e) {
        if (!killed) {
            errorsBeforeKill.add(e);
        }
    }

    /** The SHA-256 of the object under {@code modelKey}, or {@link #ABSENT}. */
    private String read(StandaloneProcess server, String modelKey) throws Exception {
        int slash = modelKey.indexOf('/');
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri(server, modelKey.substring(0, slash),
                modelKey.substring(slash + 1))).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 404) {
            return ABSENT;
        }
        assertEquals(200, response.statusCode(), modelKey);
        return sha256(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static URI uri(StandaloneProcess server, String bucket, String key) {
        return server.endpoint().resolve("/" + bucket + (key.isEmpty() ? "" : "/" + key));
    }

    private static HttpRequest.BodyPublisher noBody() {
        return HttpRequest.BodyPublishers.noBody();
    }

    private static String integrityCheck(Path file) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("PRAGMA integrity_check")) {
            StringBuilder said = new StringBuilder();
            while (result.next()) {
                said.append(said.length() == 0 ? "" : "\n").append(result.getString(1));
            }
            return said.toString();
        }
    }

    private static String sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
