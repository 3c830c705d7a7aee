package io.github.s3ite.server.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standalone s3ite started as its own JVM process, as a user starts it, on an ephemeral port;
 * optionally under a wrapper command (such as strace) whose child the server's JVM then is.
 */
final class StandaloneProcess implements AutoCloseable {
    private static final Pattern ENDPOINT = Pattern.compile("listening on (https?://\\S+)(?: and (https://\\S+))?");

    private final Process process;
    private final boolean wrapped;
    private final URI endpoint;
    private final URI httpsEndpoint;
    private final StringBuilder output = new StringBuilder();

    StandaloneProcess(Path dataDirectory, String... options) throws IOException {
        this(List.of(), dataDirectory, options);
    }

    /** @param wrapper a command that runs the one it is followed by as its child, such as {@code strace -o FILE} */
    StandaloneProcess(List<String> wrapper, Path dataDirectory, String... options) throws IOException {
        wrapped = !wrapper.isEmpty();
        List<String> command = new ArrayList<>(wrapper);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(S3iteCommand.class.getName());
        command.add(dataDirectory.toString());
        command.add("--port");
        command.add("0");
        command.addAll(List.of(options));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        URI found = null;
        URI foundHttps = null;
        while ((line = reader.readLine()) != null) {
            output.append(line).append('\n');
            Matcher matcher = ENDPOINT.matcher(line);
            if (matcher.find()) {
                found = URI.create(matcher.group(1));
                foundHttps = matcher.group(2) != null ? URI.create(matcher.group(2))
                        : "https".equals(found.getScheme()) ? found : null;
                break;
            }
        }
        if (found == null) {
            forceStop();
            throw new IOException("The standalone server did not start:\n" + output);
        }
        endpoint = found;
        httpsEndpoint = foundHttps;
        Thread drain = new Thread(() -> {
            try {
                String more;
                while ((more = reader.readLine()) != null) {
                    synchronized (output) {
                        output.append(more).append('\n');
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "s3ite-standalone-output");
        drain.setDaemon(true);
        drain.start();
    }

    /** The endpoint printed first: plain HTTP, or HTTPS where it replaces plain HTTP. */
    URI endpoint() {
        return endpoint;
    }

    /** The HTTPS endpoint, or null without HTTPS. */
    URI httpsEndpoint() {
        return httpsEndpoint;
    }

    /** The server's JVM: the process started, or the wrapper's child. */
    private ProcessHandle server() {
        return wrapped ? process.toHandle().children().findFirst().orElse(process.toHandle()) : process.toHandle();
    }

    String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    /** Sends SIGTERM, as a service manager or Ctrl-C would, and waits for a clean exit. */
    int terminate() throws InterruptedException {
        server().destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            forceStop();
            throw new IllegalStateException("The standalone server did not stop on SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    /** Sends SIGKILL, as a crash would: no shutdown hook runs, nothing is flushed or checkpointed. */
    void kill() throws InterruptedException {
        server().destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The standalone server did not die on SIGKILL");
        }
    }

    /** A wrapper killed first would leave the server running, detached: the server goes first. */
    private void forceStop() {
        server().destroyForcibly();
        process.destroyForcibly();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            terminate();
        }
    }
}
