package io.github.s3ite.server.cli;

import io.github.s3ite.server.S3iteServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The training run for the standalone server's class data archive (see the launcher {@code ./s3ite}
 * and {@code src/Dockerfile}): run as
 * {@code java -XX:ArchiveClassesAtExit=s3ite.jsa -cp s3ite-standalone.jar io.github.s3ite.server.cli.ClassDataTraining}
 * (or {@code -XX:AOTCacheOutput=s3ite.aot} on Java 25), it starts the standalone command as
 * {@code s3ite DIR --port 0} would, over a new temporary directory with a bucket in it, sends it the
 * requests of a typical session (create a bucket, put, head, get, list and delete objects, list
 * buckets) over a plain socket, then exits, and the JVM writes down every class it loaded. A later
 * start with the archive maps those classes instead of finding, reading and verifying each in the
 * jar. Nothing is left behind. Not part of the command line: it only ever runs to make the archive.
 */
public final class ClassDataTraining {
    private static final Pattern PORT = Pattern.compile("listening on http://[^ ]+:(\\d+)");

    private ClassDataTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Files.createTempDirectory("s3ite-training-");
        // a bucket file in the directory the command serves: opening it at start is part of the training
        new S3iteServer(directory).withBucket("seeded").start().stop();
        PrintStream console = System.out;
        Announcement announcement = new Announcement();
        System.setOut(new PrintStream(announcement, true, StandardCharsets.UTF_8));
        S3iteCommand.quietLibraryLogging();
        Thread command = new Thread(() -> S3iteCommand.execute(directory.toString(), "--port", "0"), "s3ite-training");
        command.setDaemon(true);
        // the command stops its server in a shutdown hook of its own; the directory goes once it has
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                command.join(10_000);
                try (Stream<Path> files = Files.walk(directory)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            } catch (InterruptedException | IOException e) {
                // a temporary directory left behind
            }
        }, "s3ite-training-cleanup"));
        command.start();
        boolean listening = false;
        for (int waited = 0; !listening && command.isAlive() && waited < 600; waited++) {
            listening = announcement.listening.await(100, TimeUnit.MILLISECONDS);
        }
        System.setOut(console);
        if (!listening) {
            console.println("s3ite training: the server did not start");
            System.exit(1);
        }
        train(announcement.port);
        System.exit(0);
    }

    private static void train(int port) throws IOException {
        byte[] body = "a small object for the class data training run\n".getBytes(StandardCharsets.US_ASCII);
        String[][] requests = {
            {"GET", "/"},
            {"PUT", "/training"},
            {"PUT", "/training/some/key.txt"},
            {"HEAD", "/training/some/key.txt"},
            {"GET", "/training/some/key.txt"},
            {"GET", "/training?list-type=2&prefix=some/"},
            {"GET", "/training?location"},
            {"GET", "/seeded?list-type=2"},
            {"DELETE", "/training/some/key.txt"},
            {"GET", "/training/missing"},
            {"DELETE", "/training"},
        };
        for (String[] request : requests) {
            boolean object = "PUT".equals(request[0]) && request[1].indexOf('/', 1) > 0;
            exchange(port, request[0], request[1], object ? body : null);
        }
    }

    /** One request on its own connection; the answer is read to its end and dropped. */
    private static void exchange(int port, String method, String path, byte[] body) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\nContent-Type: text/plain\r\n");
            }
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            InputStream in = socket.getInputStream();
            in.readAllBytes();
        }
    }

    /** Standard output until the command says where it listens. */
    private static final class Announcement extends OutputStream {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private final CountDownLatch listening = new CountDownLatch(1);
        private volatile int port;

        @Override
        public synchronized void write(int b) {
            if (b != '\n') {
                line.write(b);
                return;
            }
            Matcher matcher = PORT.matcher(line.toString(StandardCharsets.UTF_8));
            if (matcher.find()) {
                port = Integer.parseInt(matcher.group(1));
                listening.countDown();
            }
            line.reset();
        }
    }
}
