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
 * An acknowledged write is on disk before its answer. strace, attached to the standalone server,
 * records every fsync and fdatasync with the file it synced; each PUT must see the bucket's
 * write-ahead log synced between the moment its request was sent and the moment its answer came
 * back. SQLite's {@code synchronous=NORMAL} fails this (in WAL mode it syncs the log only at
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
            assertTrue(logSyncs.stream().anyMatch(sync -> !sync.at().isBefore(put.sent()) && !sync.at().isAfter(put.answered())),
                    "no fsync/fdatasync of the WAL between sending " + put.key() + " (" + put.sent() + ") and its answer ("
                            + put.answered() + "); syncs seen: " + traced.syncs());
        }
        assertTrue(logSyncs.size() >= PUTS, logSyncs.size() + " WAL syncs for " + PUTS + " PUTs");
    }

    @Test
    void withNoFsyncNoPutSyncsTheBucketFile(@TempDir Path dir) throws Exception {
        Traced traced = putUnderStrace(dir, "--no-fsync");

        assertEquals(PUTS, traced.puts().size());
        assertEquals(List.of(), traced.syncs().stream().filter(sync -> sync.path().contains(BUCKET + ".sqlite3")).toList());
    }

    /** Creates the bucket and writes one object untraced (first-use costs), then PUTS sequential PUTs under strace. */
    private static Traced putUnderStrace(Path dir, String... options) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Random random = new Random(6);
        try (StandaloneProcess server = new StandaloneProcess(dir.resolve("data"), options)) {
            URI bucket = server.endpoint().resolve("/" + BUCKET);
            assertEquals(200, put(http, bucket, new byte[0]));
            assertEquals(200, put(http, URI.create(bucket + "/warm-up"), new byte[1024]));

            Strace strace = Strace.attach(server.pid(), dir.resolve("strace.txt"));
            List<Put> puts = new ArrayList<>();
            List<Strace.Sync> syncs;
            try {
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
            } finally {
                syncs = strace.detach();
            }
            return new Traced(puts, syncs);
        }
    }

    private static int put(HttpClient http, URI uri, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
