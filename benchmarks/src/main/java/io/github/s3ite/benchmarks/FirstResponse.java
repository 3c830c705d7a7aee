package io.github.s3ite.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The smallest possible client: one HTTP GET over a raw socket, so that measuring a server's first
 * answer does not also measure the start-up of an HTTP client library.
 */
final class FirstResponse {
    private FirstResponse() {
    }

    /** Sends {@code GET path} and returns the status code of the answer. */
    static int get(int port, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder statusLine = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                statusLine.append((char) c);
            }
            in.readAllBytes();
            String[] parts = statusLine.toString().split(" ");
            return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
        }
    }

    static void expect200(int status) {
        if (status != 200) {
            throw new IllegalStateException("first request answered " + status);
        }
    }
}
