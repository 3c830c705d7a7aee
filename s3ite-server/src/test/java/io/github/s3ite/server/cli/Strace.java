package io.github.s3ite.server.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * strace attached to a running process, recording each fsync and fdatasync it makes: when it was
 * entered and the path of the file it synced. Skips the calling test, saying why, where strace is
 * not installed or may not attach (many containers do not permit ptrace).
 */
final class Strace {
    /** One fsync or fdatasync call: when strace saw it entered (wall clock), and the file it synced. */
    record Sync(Instant at, String call, String path) {
    }

    /**
     * A line of {@code strace -f -y -ttt}: the thread id, the seconds and microseconds since the epoch,
     * then the call with its file descriptor and that descriptor's path. A call that another thread
     * interrupts in the output ends in {@code <unfinished ...>}; its resumed half is not matched.
     */
    private static final Pattern SYNC = Pattern.compile("^\\d+\\s+(\\d+)\\.(\\d{6}) (fsync|fdatasync)\\(\\d+<([^>]*)>");

    private final Process process;
    private final Path output;

    private Strace(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Attaches to every thread of process {@code pid}, present and future; returns once they are traced. */
    static Strace attach(long pid, Path output) throws IOException, InterruptedException {
        assumeTrue(installed(), "strace is not installed: the server's fsync calls cannot be counted");
        Process process = new ProcessBuilder("strace", "-f", "-y", "-ttt", "-e", "trace=fsync,fdatasync",
                "-o", output.toString(), "-p", Long.toString(pid))
                .redirectErrorStream(true).start();
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder said = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null) {
            said.append(line).append('\n');
            if (line.contains(" attached")) {
                Thread drain = new Thread(() -> {
                    try {
                        reader.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException e) {
                        // strace ended
                    }
                }, "strace-output");
                drain.setDaemon(true);
                drain.start();
                return new Strace(process, output);
            }
        }
        process.waitFor(10, TimeUnit.SECONDS);
        String message = said.toString().strip();
        assumeTrue(!message.contains("Operation not permitted") && !message.contains("ptrace"),
                "strace cannot attach here (ptrace is not permitted): " + message);
        throw new IllegalStateException("strace did not attach to process " + pid + ": " + message);
    }

    /** Detaches (SIGTERM makes strace let go of its tracees, which run on) and returns the calls it saw. */
    List<Sync> detach() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("strace did not detach on SIGTERM");
        }
        List<Sync> syncs = new ArrayList<>();
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            Matcher matcher = SYNC.matcher(line);
            if (matcher.find()) {
                Instant at = Instant.ofEpochSecond(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)) * 1000);
                syncs.add(new Sync(at, matcher.group(3), matcher.group(4)));
            }
        }
        return syncs;
    }

    private static boolean installed() throws InterruptedException {
        try {
            Process probe = new ProcessBuilder("strace", "-V").redirectErrorStream(true).start();
            probe.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
