package io.github.s3ite.junit;

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
 * A second s3ite, started as the standalone command in its own JVM, on 127.0.0.1 and an ephemeral
 * port: the "real S3" the extension's external switch is tested against.
 */
final class StandaloneServer implements AutoCloseable {
    private static final Pattern ENDPOINT = Pattern.compile("listening on (http://\\S+)");

    private final Process process;
    private final URI endpoint;
    private final StringBuilder output = new StringBuilder();

    StandaloneServer(Path dataDirectory, String... options) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.github.s3ite.server.cli.S3iteCommand");
        command.add(dataDirectory.toString());
        command.add("--host");
        command.add("127.0.0.1");
        command.add("--port");
        command.add("0");
        command.add("--no-fsync");
        command.addAll(List.of(options));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        URI found = null;
        String line;
        while ((line = reader.readLine()) != null) {
            append(line);
            Matcher matcher = ENDPOINT.matcher(line);
            if (matcher.find()) {
                found = URI.create(matcher.group(1));
                break;
            }
        }
        if (found == null) {
            process.destroyForcibly();
            throw new IOException("The standalone s3ite did not start:\n" + output());
        }
        endpoint = found;
        Thread drain = new Thread(() -> {
            try {
                String more;
                while ((more = reader.readLine()) != null) {
                    append(more);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "s3ite-standalone-output");
        drain.setDaemon(true);
        drain.start();
    }

    URI endpoint() {
        return endpoint;
    }

    private void append(String line) {
        synchronized (output) {
            output.append(line).append('\n');
        }
    }

    String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    /** SIGTERM, as a service manager would send; then SIGKILL if it does not stop. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
