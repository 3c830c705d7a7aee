package io.github.s3ite.benchmarks;

import io.github.s3ite.server.S3iteServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.sqlite.SQLiteConfig;

/**
 * What fsync on commit costs per PUT. Two in-JVM s3ite servers, each on a data directory of its
 * own, one with fsync on ({@code synchronous=FULL}, the default) and one without
 * ({@code withFsync(false)}, {@code synchronous=OFF}), take sequential 4 KiB PUTs from one
 * keep-alive, unsigned client, alternately: PUT to one, PUT to the other, so that both see the same
 * disk at the same moments (a shared machine's disk varies from second to second). Then the same
 * for commits through sqlite-jdbc alone (one 4 KiB row per transaction, WAL mode) with
 * {@code OFF}, {@code NORMAL} and {@code FULL}: the floor, and NORMAL for reference, which s3ite no
 * longer uses because in WAL mode it fsyncs only at checkpoints.
 */
final class SyncCost {
    private static final int OBJECT_SIZE = 4 * 1024;
    private static final int WARM_UP = 1_000;
    private static final int PUTS = 3_000;
    private static final int COMMITS = 3_000;

    private SyncCost() {
    }

    static void run(Path work) throws Exception {
        System.out.printf(Locale.ROOT, "Cost of fsync on commit: %,d sequential 4 KiB PUTs to each server after %,d warm-up,"
                + " alternating between them; one keep-alive client, unsigned; in-JVM servers; data directories on %s%n",
                PUTS, WARM_UP, fileSystem(work));
        byte[] body = new byte[OBJECT_SIZE];
        new Random(4).nextBytes(body);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long[] full = new long[PUTS];
        long[] off = new long[PUTS];
        try (S3iteServer durable = server(work.resolve("sync-full"), true);
             S3iteServer fast = server(work.resolve("sync-off"), false)) {
            URI durableBucket = durable.getEndpoint().resolve("/sync/");
            URI fastBucket = fast.getEndpoint().resolve("/sync/");
            for (int i = 0; i < WARM_UP; i++) {
                put(http, durableBucket.resolve("warm-" + i), body);
                put(http, fastBucket.resolve("warm-" + i), body);
            }
            for (int i = 0; i < PUTS; i++) {
                boolean durableFirst = i % 2 == 0;
                URI first = (durableFirst ? durableBucket : fastBucket).resolve("k-" + i);
                URI second = (durableFirst ? fastBucket : durableBucket).resolve("k-" + i);
                long a = put(http, first, body);
                long b = put(http, second, body);
                full[i] = durableFirst ? a : b;
                off[i] = durableFirst ? b : a;
            }
        }
        System.out.printf(Locale.ROOT, "  %-36s %s%n", "s3ite, fsync on (synchronous=FULL):", describe(full));
        System.out.printf(Locale.ROOT, "  %-36s %s%n", "s3ite --no-fsync (synchronous=OFF):", describe(off));
        System.out.printf(Locale.ROOT, "  FULL costs %.0f us more per PUT (mean; median %.0f us): %.2f times OFF (mean)%n",
                mean(full) - mean(off), median(full) - median(off), mean(full) / mean(off));

        System.out.printf(Locale.ROOT, "SQLite alone: %,d commits of one 4 KiB row each per mode, WAL mode, a connection per mode,"
                + " one commit to each in turn%n", COMMITS);
        SQLiteConfig.SynchronousMode[] modes = {
            SQLiteConfig.SynchronousMode.OFF, SQLiteConfig.SynchronousMode.NORMAL, SQLiteConfig.SynchronousMode.FULL};
        long[][] perCommit = commits(work, modes, body);
        for (int m = 0; m < modes.length; m++) {
            System.out.printf(Locale.ROOT, "  %-36s %s%n", "synchronous=" + modes[m] + ":", describe(perCommit[m]));
        }
    }

    private static S3iteServer server(Path data, boolean fsync) {
        return new S3iteServer(data).withAnonymousAccess().withFsync(fsync).withBucket("sync").start();
    }

    /** Sends one PUT; returns how long it took to be answered, in nanoseconds. */
    private static long put(HttpClient http, URI uri, byte[] body) throws IOException, InterruptedException {
        long start = System.nanoTime();
        int status = http.send(HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        long took = System.nanoTime() - start;
        if (status != 200) {
            throw new IOException("PUT " + uri + " answered " + status);
        }
        return took;
    }

    private static long[][] commits(Path work, SQLiteConfig.SynchronousMode[] modes, byte[] row) throws SQLException {
        Connection[] connections = new Connection[modes.length];
        PreparedStatement[] inserts = new PreparedStatement[modes.length];
        Statement[] statements = new Statement[modes.length];
        long[][] took = new long[modes.length][COMMITS];
        try {
            for (int m = 0; m < modes.length; m++) {
                SQLiteConfig config = new SQLiteConfig();
                config.setJournalMode(SQLiteConfig.JournalMode.WAL);
                config.setSynchronous(modes[m]);
                connections[m] = config.createConnection("jdbc:sqlite:" + work.resolve("sqlite-" + modes[m] + ".sqlite3").toAbsolutePath());
                statements[m] = connections[m].createStatement();
                statements[m].execute("CREATE TABLE data (key TEXT PRIMARY KEY, value BLOB)");
                inserts[m] = connections[m].prepareStatement("INSERT OR REPLACE INTO data VALUES (?, ?)");
            }
            for (int i = -WARM_UP; i < COMMITS; i++) {
                for (int step = 0; step < modes.length; step++) {
                    int m = (i + step) % modes.length;
                    m = m < 0 ? m + modes.length : m;
                    long start = System.nanoTime();
                    statements[m].execute("BEGIN IMMEDIATE");
                    inserts[m].setString(1, "k-" + i);
                    inserts[m].setBytes(2, row);
                    inserts[m].executeUpdate();
                    statements[m].execute("COMMIT");
                    if (i >= 0) {
                        took[m][i] = System.nanoTime() - start;
                    }
                }
            }
            return took;
        } finally {
            for (Connection connection : connections) {
                if (connection != null) {
                    connection.close();
                }
            }
        }
    }

    private static String describe(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "mean %6.0f us, median %6.0f us, p90 %6.0f us", mean(nanos), median(nanos),
                sorted[(int) (sorted.length * 0.9)] / 1e3);
    }

    private static double mean(long[] nanos) {
        return Arrays.stream(nanos).average().orElse(Double.NaN) / 1e3;
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e3;
    }

    private static String fileSystem(Path path) {
        try {
            return Files.getFileStore(path).type();
        } catch (IOException e) {
            return "?";
        }
    }
}
