package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The limits kept at the edge, through raw sockets: what clients that are slow, silent, numerous or
 * lying about their bodies can and cannot do to a server that others are using.
 */
class EdgeLimitsEndToEndTest {
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    private static String putHead(String bucket, String key, long contentLength) {
        return "PUT /" + bucket + "/" + key + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + contentLength + "\r\n\r\n";
    }

    @Test
    void requestsRefusedBeforeTheirBodyArrivesDoNotKeepOthersWaiting() throws Exception {
        try (S3iteServer server = new S3iteServer().withBucket("edge").start()) {
            S3Client s3 = server.createClient();
            List<RawHttp> silent = new ArrayList<>();
            try {
                for (int i = 0; i < 12; i++) {
                    RawHttp connection = new RawHttp(server.getEndpoint()).send(putHead("edge", "k" + i, 1_000_000));
                    silent.add(connection);
                    RawHttp.Response refused = connection.read();
                    assertEquals(403, refused.status());
                    assertEquals("close", refused.header("connection"));
                }
                assertTimeoutPreemptively(PROMPTLY, () -> s3.putObject(b -> b.bucket("edge").key("fresh"),
                        RequestBody.fromString("answered")));
                assertEquals("answered", s3.getObjectAsBytes(b -> b.bucket("edge").key("fresh")).asUtf8String());
            } finally {
                for (RawHttp connection : silent) {
                    connection.close();
                }
            }
        }
    }

    @Test
    void tricklingBodiesDoNotKeepOthersWaiting() throws Exception {
        try (S3iteServer server = new S3iteServer().withAnonymousAccess().withBucket("edge").start()) {
            S3Client s3 = server.createClient();
            List<RawHttp> tricklers = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread trickle = new Thread(() -> {
                while (!stop.get()) {
                    for (RawHttp connection : tricklers) {
                        try {
                            connection.send("x");
                        } catch (IOException e) {
                            // the server may cut a trickler off; that is allowed
                        }
                    }
                    sleep(100);
                }
            });
            try {
                for (int i = 0; i < 12; i++) {
                    tricklers.add(new RawHttp(server.getEndpoint()).send(putHead("edge", "slow" + i, 100_000)));
                }
                trickle.start();
                sleep(300);
                assertTimeoutPreemptively(PROMPTLY, () -> {
                    s3.putObject(b -> b.bucket("edge").key("fresh"), RequestBody.fromString("answered"));
                    assertEquals("answered", s3.getObjectAsBytes(b -> b.bucket("edge").key("fresh")).asUtf8String());
                });
            } finally {
                stop.set(true);
                trickle.join();
                for (RawHttp connection : tricklers) {
                    connection.close();
                }
            }
        }
    }

    @Test
    void aRequestHeadSentByteByByteIsCutOff() throws Exception {
        try (S3iteServer server = new S3iteServer().withAnonymousAccess()
                .withRequestHeadTimeout(Duration.ofMillis(800)).start();
             RawHttp connection = new RawHttp(server.getEndpoint())) {
            String head = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "a".repeat(200) + "\r\n\r\n";
            long started = System.nanoTime();
            boolean cutOff = false;
            for (int i = 0; i < head.length() - 2 && !cutOff; i++) {
                try {
                    connection.send(head.substring(i, i + 1));
                } catch (IOException e) {
                    cutOff = true;
                }
                sleep(50);
            }
            connection.timeout(2000);
            assertTrue(cutOff || connection.closedByServer(), "the server never closed a connection still sending its head");
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(6)) < 0);
        }
    }

    @Test
    void connectionsBeyondTheCapGetSlowDownWhileThoseInKeepWorking() throws Exception {
        String list = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        try (S3iteServer server = new S3iteServer().withAnonymousAccess().withMaxConnections(3).start()) {
            List<RawHttp> admitted = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    RawHttp connection = new RawHttp(server.getEndpoint());
                    admitted.add(connection);
                    assertEquals(200, connection.send(list).read().status());
                }
                try (RawHttp beyond = new RawHttp(server.getEndpoint())) {
                    RawHttp.Response refused = beyond.send(list).read();
                    assertEquals(503, refused.status());
                    assertTrue(refused.body().contains("<Code>SlowDown</Code>"), refused.body());
                    assertTrue(beyond.closedByServer());
                }
                for (RawHttp connection : admitted) {
                    assertEquals(200, connection.send(list).read().status());
                }
                admitted.remove(0).close();
                assertTimeoutPreemptively(PROMPTLY, () -> {
                    while (true) {
                        try (RawHttp again = new RawHttp(server.getEndpoint())) {
                            if (again.send(list).read().status() == 200) {
                                return;
                            }
                        }
                        sleep(50);
                    }
                });
            } finally {
                for (RawHttp connection : admitted) {
                    connection.close();
                }
            }
        }
    }

    @Test
    void aDeclaredLengthReservesNoMemoryBeforeTheBytesArrive() throws Exception {
        try (S3iteServer server = new S3iteServer().withAnonymousAccess().withBucket("edge").start()) {
            long before = usedHeapAfterGc();
            List<RawHttp> liars = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    liars.add(new RawHttp(server.getEndpoint())
                            .send(putHead("edge", "huge" + i, 999_000_000) + "x".repeat(80)));
                }
                sleep(500);
                long grown = usedHeapAfterGc() - before;
                assertTrue(grown < 256L * 1024 * 1024, "heap grew by " + grown + " bytes for 240 bytes received");
                assertTrue(server.getBufferedBytes() < 1024 * 1024, "buffered " + server.getBufferedBytes());
            } finally {
                for (RawHttp connection : liars) {
                    connection.close();
                }
            }
            assertTimeoutPreemptively(PROMPTLY, () -> {
                while (server.getBufferedBytes() != 0) {
                    sleep(20);
                }
            });
        }
    }

    @Test
    void aBodyBeyondTheMemoryBudgetGetsSlowDownAndStoresNothing() throws Exception {
        try (S3iteServer server = new S3iteServer().withAnonymousAccess().withBucket("edge")
                .withMemoryBudget(2048 * 1024, Duration.ofMillis(200)).start()) {
            S3Client s3 = server.createClient();
            try (RawHttp holder = new RawHttp(server.getEndpoint());
                 RawHttp refused = new RawHttp(server.getEndpoint())) {
                // 900 KiB received and held by an upload that is not finished yet
                holder.send(putHead("edge", "held", 1000 * 1024)).send(new byte[900 * 1024]);
                assertTimeoutPreemptively(PROMPTLY, () -> {
                    while (server.getBufferedBytes() < 900 * 1024) {
                        sleep(20);
                    }
                });
                // fits as it arrives, but not once it is also decoded for storage: waits, then SlowDown
                RawHttp.Response answer = refused.send(putHead("edge", "big", 600 * 1024))
                        .send(new byte[600 * 1024]).read();
                assertEquals(503, answer.status());
                assertTrue(answer.body().contains("<Code>SlowDown</Code>"), answer.body());
            }
            assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket("edge").key("big")));
            assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket("edge").key("held")));
            assertTimeoutPreemptively(PROMPTLY, () -> {
                while (server.getBufferedBytes() != 0) {
                    sleep(20);
                }
            });
            s3.putObject(b -> b.bucket("edge").key("big"), RequestBody.fromBytes(new byte[300 * 1024]));
            assertEquals(300 * 1024, s3.getObjectAsBytes(b -> b.bucket("edge").key("big")).asByteArray().length);
        }
    }

    @Test
    void anUploadThatCouldNeverFitTheBudgetIsRefusedAtOnceAndNotAsSlowDown() throws Exception {
        try (S3iteServer server = new S3iteServer().withAnonymousAccess().withBucket("edge")
                .withMemoryBudget(1024 * 1024, Duration.ofSeconds(10)).start();
             RawHttp connection = new RawHttp(server.getEndpoint())) {
            long started = System.nanoTime();
            RawHttp.Response refused = connection.send(putHead("edge", "big", 600 * 1024)).read();
            assertEquals(400, refused.status());
            assertTrue(refused.body().contains("<Code>EntityTooLarge</Code>"), refused.body());
            assertTrue(System.nanoTime() - started < 5_000_000_000L, "refused without waiting for budget");
        }
    }

    @Test
    void aBodyShorterThanItsContentLengthStoresNothingAndIsNotASuccess() throws Exception {
        try (S3iteServer server = new S3iteServer().withAnonymousAccess().withBucket("edge").start()) {
            S3Client s3 = server.createClient();
            try (RawHttp connection = new RawHttp(server.getEndpoint())) {
                connection.send(putHead("edge", "short", 100) + "y".repeat(50));
                connection.shutdownOutput();
                RawHttp.Response answer = connection.read();
                assertNotEquals(200, answer.status());
                if (answer.status() != -1) {
                    assertEquals(400, answer.status());
                    assertTrue(answer.body().contains("<Code>IncompleteBody</Code>"), answer.body());
                }
            }
            assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket("edge").key("short")));
        }
    }

    @Test
    void aRefusedSmallBodyIsReadSoTheClientSeesTheAnswer() throws Exception {
        try (S3iteServer server = new S3iteServer().withBucket("edge").start();
             RawHttp connection = new RawHttp(server.getEndpoint())) {
            RawHttp.Response refused = connection.send(putHead("edge", "unsigned", 200_000) + "z".repeat(200_000)).read();
            assertEquals(403, refused.status());
            assertTrue(refused.body().contains("<Code>AccessDenied</Code>"), refused.body());
            assertTrue(connection.closedByServer());
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theBudgetIsEmptyAgainAfterEveryKindOfAnswer() {
        try (S3iteServer server = new S3iteServer().withAnonymousAccess().withBucket("edge").start()) {
            S3Client s3 = server.createClient();
            s3.putObject(b -> b.bucket("edge").key("a"), RequestBody.fromBytes(new byte[3 * 1024 * 1024]));
            s3.getObjectAsBytes(b -> b.bucket("edge").key("a"));
            s3.copyObject(b -> b.sourceBucket("edge").sourceKey("a").destinationBucket("edge").destinationKey("b"));
            assertThrows(NoSuchKeyException.class, () -> s3.getObject(b -> b.bucket("edge").key("missing")));
            assertTimeoutPreemptively(PROMPTLY, () -> {
                while (server.getBufferedBytes() != 0) {
                    sleep(20);
                }
            });
            assertFalse(server.getBufferedBytes() > 0);
        }
    }
}
