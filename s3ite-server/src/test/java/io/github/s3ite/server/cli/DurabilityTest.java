package io.github.s3ite.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An acknowledged write is on disk before its answer. The standalone server runs under strace,
 * which records every fsync and fdatasync with the file it synced and the time it was made; each
 * PUT must see the bucket's write-ahead log synced between the moment its request was sent and the
 * moment its answer came back. SQLite's {@code synchronous=NORMAL} fails this (in WAL mode it syncs the log only at
 * checkpoints); {@code synchronous=FULL} passes. With {@code --no-fsync} nothing is synced.
 */
class DurabilityTest {
    private static final int PUTS = 20;
    private static final String BUCKET = "durable";

    /** One acknowledged PUT: when its request was sent and when its answer arrived. */
    private record Put(String key, Instant sent, Instant answered) {
    }

    private record Traced(List<Put> puts, List<Strace.Sync> syncs) {
    }

    @Test
    void eachAcknowledgedPutSyncsTheWriteAheadLogBeforeItsAnswer(@TempDir Path dir) throws Exception {
        Traced traced = putUnderStrace(dir);

        List<Strace.Sync> logSyncs = traced.syncs().stream()
                .filter(sync -> sync.path().endsWith(BUCKET + ".sqlite3-wal"))
                .toList();
        for (Put put : traced.puts()) {
            assertTrue(logSyncs.stream().anyMatch(sync -> sync.within(put.sent(), put.answered())),
                    "no fsync/fdatasync of the WAL between sending " + put.key() + " (" + put.sent() + ") and its answer ("
                            + put.answered() + "); syncs seen: " + traced.syncs());
        }
    }

    @Test
    void withNoFsyncNoPutSyncsTheBucketFile(@TempDir Path dir) throws Exception {
        Traced traced = putUnderStrace(dir, "--no-fsync");

        assertEquals(PUTS, traced.puts().size());
        Instant first = traced.puts().get(0).sent();
        Instant last = traced.puts().get(PUTS - 1).answered();
        assertEquals(List.of(), traced.syncs().stream()
                .filter(sync -> sync.path().contains(BUCKET + ".sqlite3") && sync.within(first, last))
                .toList());
    }

    /** Creates the bucket and writes one object (first-use costs), then PUTS sequential PUTs, timed. */
    private static Traced putUnderStrace(Path dir, String... options) throws Exception {
        Path trace = dir.resolve("strace.txt");
        List<String> strace = Strace.wrapper(trace);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Random random = new Random(6);
        List<Put> puts = new ArrayList<>();
        try (StandaloneProcess server = new StandaloneProcess(strace, dir.resolve("data"), options)) {
            URI bucket = server.endpoint().resolve("/" + BUCKET);
            assertEquals(200, put(http, bucket, new byte[0]));
            assertEquals(200, put(http, URI.create(bucket + "/warm-up"), new byte[1024]));
            for (int i = 0; i < PUTS; i++) {
                byte[] body = new byte[1024];
                random.nextBytes(body);
                String key = "object-" + i;
                Instant sent = Instant.now();
                int status = put(http, URI.create(bucket + "/" + key), body);
                Instant answered = Instant.now();
                assertEquals(200, status, key);
                puts.add(new Put(key, sent, answered));
            }
        }
        // strace has ended with the server: its output is complete.
        return new Traced(puts, Strace.syncs(trace));
    }

    private static int put(HttpClient http, URI uri, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
