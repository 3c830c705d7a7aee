package io.github.s3ite.server.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
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
 * strace as the parent of a process it starts, recording each fsync and fdatasync the process
 * makes: when it was entered and the path of the file it synced. A tracer that is the parent of its
 * tracee needs no more permission than a parent has (Yama's default {@code ptrace_scope=1} allows
 * it), so this works where attaching to a running process is refused; where even that is not
 * permitted (some containers forbid ptrace outright), or strace is not installed, the calling test
 * is skipped, saying why.
 */
final class Strace {
    /** One fsync or fdatasync call: when strace saw it entered (wall clock), and the file it synced. */
    record Sync(Instant at, String call, String path) {
        boolean within(Instant from, Instant to) {
            return !at.isBefore(from) && !at.isAfter(to);
        }
    }

    /**
     * A line of {@code strace -f -y -ttt}: the thread id, the seconds and microseconds since the epoch,
     * then the call with its file descriptor and that descriptor's path. A call that another thread
     * interrupts in the output ends in {@code <unfinished ...>}; its resumed half is not matched.
     */
    private static final Pattern SYNC = Pattern.compile("^\\d+\\s+(\\d+)\\.(\\d{6}) (fsync|fdatasync)\\(\\d+<([^>]*)>");

    private Strace() {
    }

    /**
     * The command to put before another to run it under strace, writing to {@code output}; skips
     * the calling test where strace is missing or may not trace here.
     */
    static List<String> wrapper(Path output) throws IOException, InterruptedException {
        List<String> wrapper = List.of("strace", "-f", "-y", "-ttt", "-e", "trace=fsync,fdatasync", "-o", output.toString());
        List<String> probe = new ArrayList<>(wrapper);
        probe.add("true");
        Process process;
        try {
            process = new ProcessBuilder(probe).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "strace is not installed: the server's fsync calls cannot be counted");
            throw e;
        }
        String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("strace true did not end");
        }
        assumeTrue(process.exitValue() == 0 || !(said.contains("Operation not permitted") || said.contains("ptrace")),
                "strace may not trace here (ptrace is not permitted): " + said);
        if (process.exitValue() != 0) {
            throw new IllegalStateException("strace true failed: " + said);
        }
        Files.deleteIfExists(output);
        return wrapper;
    }

    /** The calls recorded in {@code output}, once the strace that wrote it has ended. */
    static List<Sync> syncs(Path output) throws IOException {
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
}
