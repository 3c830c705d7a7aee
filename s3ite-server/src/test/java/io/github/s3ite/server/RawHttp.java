package io.github.s3ite.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A raw HTTP/1.1 connection to a test server, for what real clients never send: partial heads,
 * bodies shorter than announced, silence. Reads answers byte by byte, so nothing is hidden. Over
 * TLS for an {@code https} endpoint.
 */
final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RawHttp(URI endpoint) throws IOException {
        this(endpoint, null);
    }

    /** @param tls what an {@code https} endpoint is reached with: its handshake is done here, host name checked */
    RawHttp(URI endpoint, SSLContext tls) throws IOException {
        Socket plain = new Socket(endpoint.getHost(), endpoint.getPort());
        if ("https".equals(endpoint.getScheme())) {
            SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(plain, endpoint.getHost(), endpoint.getPort(), true);
            SSLParameters parameters = secure.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            secure.setSSLParameters(parameters);
            secure.setSoTimeout(10_000);
            secure.startHandshake();
            socket = secure;
        } else {
            socket = plain;
        }
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    RawHttp timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
        return this;
    }

    RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** An answer: status, headers (lower-case names) and body; status -1 when the connection closed first. */
    record Response(int status, Map<String, String> headers, String body) {
        static final Response CLOSED = new Response(-1, Map.of(), "");

        String header(String name) {
            return headers.get(name);
        }
    }

    /** Reads one answer; CLOSED when the server closed the connection (or reset it) before answering. */
    Response read() throws IOException {
        String statusLine;
        try {
            statusLine = line();
        } catch (java.net.SocketException | javax.net.ssl.SSLException e) {
            return Response.CLOSED;
        }
        if (statusLine == null) {
            return Response.CLOSED;
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        String header;
        while ((header = line()) != null && !header.isEmpty()) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** Whether the server has closed the connection: end of stream (or a reset) within the socket's timeout. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException | javax.net.ssl.SSLException e) {
            return true;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(c);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
