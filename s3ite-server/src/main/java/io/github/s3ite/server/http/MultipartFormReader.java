package io.github.s3ite.server.http;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@code multipart/form-data} body (RFC 7578) part by part, front to back, through one
 * fixed buffer: a part's content is handed on as it is read and never held whole, so a file part
 * of any size costs this reader no more than its buffer. The preamble before the first boundary
 * and the epilogue after the last are ignored, as RFC 2046 says.
 */
final class MultipartFormReader {
    /** RFC 2046 allows boundaries of 70 characters; a longer one is no form a browser made. */
    private static final int MAX_BOUNDARY = 200;
    private static final int BUFFER = 64 * 1024;
    private static final int MAX_HEADER_LINE = 8 * 1024;

    /** One part's head: its field name, the file name it was sent with (null if none) and its Content-Type. */
    record Part(String name, String filename, String contentType) {
    }

    private final InputStream in;
    /** CRLF, "--" and the boundary: what ends each part's content. */
    private final byte[] delimiter;
    private final byte[] buffer = new byte[BUFFER];
    private int start;
    private int end;
    /** Positions before this one were searched: none of them starts a delimiter. */
    private int searched;
    private boolean eof;
    private long position;
    /** Whether the content of the current part (at first: the preamble) has been read to its delimiter. */
    private boolean contentDone;
    private boolean closed;

    private MultipartFormReader(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        // as if a CRLF came first, so that the first boundary is found as every other one is
        buffer[0] = '\r';
        buffer[1] = '\n';
        end = 2;
        position = -2;
    }

    /**
     * A reader of {@code body}, whose boundary the request's Content-Type names.
     *
     * @throws S3Exception MalformedPOSTRequest when the Content-Type names no usable boundary
     */
    static MultipartFormReader of(InputStream body, String contentType) {
        String boundary = parameters(contentType).get("boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
            throw malformed();
        }
        return new MultipartFormReader(body, boundary);
    }

    /** How many bytes of the body have been consumed: everything before the current read position. */
    long position() {
        return position + start;
    }

    /**
     * The head of the next part, skipping what is left of the current one's content; null after
     * the last part.
     *
     * @param maxPosition how far into the body the head may reach: its lines are kept while read,
     *                    so a head of endless short lines would otherwise fill the heap
     * @param tooLong     what is thrown when the head reaches past {@code maxPosition}
     * @throws S3Exception MalformedPOSTRequest, or {@code tooLong}
     */
    Part nextPart(long maxPosition, S3Exception tooLong) {
        try {
            if (closed) {
                return null;
            }
            skipContent();
            fill(2);
            if (available() >= 2 && buffer[start] == '-' && buffer[start + 1] == '-') {
                closed = true;
                return null;
            }
            String rest = line();
            if (!rest.isBlank()) {
                throw malformed(); // only transport padding may follow a boundary
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = line(); !line.isEmpty(); line = line()) {
                if (position() > maxPosition) {
                    throw tooLong;
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw malformed();
                }
                headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            String disposition = headers.get("content-disposition");
            if (disposition == null) {
                throw malformed();
            }
            Map<String, String> parameters = parameters(disposition);
            String name = parameters.get("name");
            if (name == null) {
                throw malformed();
            }
            contentDone = false;
            searched = start;
            return new Part(name, parameters.get("filename"), headers.get("content-type"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The current part's content as text (UTF-8), read whole.
     *
     * @throws S3Exception {@code tooLong} when it is longer than {@code limit} bytes
     */
    String text(long limit, S3Exception tooLong) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        int n;
        while ((n = read(chunk, 0, chunk.length)) >= 0) {
            out.write(chunk, 0, n);
            if (out.size() > limit) {
                throw tooLong;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The current part's content, read as it streams; it ends where the part does. */
    InputStream content() {
        return new InputStream() {
            @Override
            public int read() {
                byte[] one = new byte[1];
                int n;
                while ((n = MultipartFormReader.this.read(one, 0, 1)) == 0) {
                    // a byte that may begin a delimiter waits for the next ones
                }
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] target, int offset, int length) {
                if (length == 0) {
                    return 0;
                }
                int n;
                while ((n = MultipartFormReader.this.read(target, offset, length)) == 0) {
                    // as above
                }
                return n;
            }
        };
    }

    /**
     * Up to {@code length} bytes of the current part's content; -1 at its end; 0 when the bytes in
     * the buffer might all begin the delimiter and more must be read to tell.
     */
    private int read(byte[] target, int offset, int length) {
        if (contentDone) {
            return -1;
        }
        try {
            int found = findDelimiter();
            if (found == start) {
                start += delimiter.length;
                searched = start;
                contentDone = true;
                return -1;
            }
            int safe = (found >= 0 ? found : searched) - start;
            if (safe == 0) {
                if (eof) {
                    throw malformed(); // the body ends inside a part
                }
                fill(available() + 1);
                return 0;
            }
            int n = Math.min(length, safe);
            System.arraycopy(buffer, start, target, offset, n);
            start += n;
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The position of the first delimiter in the buffer, or -1; {@link #searched} then marks the
     * first position that might still begin one once more bytes arrive.
     */
    private int findDelimiter() {
        int last = end - delimiter.length;
        for (int i = Math.max(start, searched); i <= last; i++) {
            if (buffer[i] == '\r' && matches(i)) {
                searched = i;
                return i;
            }
        }
        // a delimiter may begin in the last delimiter.length - 1 bytes, only partly arrived
        searched = Math.max(Math.max(start, searched), last + 1);
        for (int i = searched; i < end; i++) {
            if (buffer[i] == '\r') {
                searched = i;
                break;
            }
            searched = i + 1;
        }
        if (eof) {
            searched = end;
        }
        return -1;
    }

    private boolean matches(int at) {
        for (int j = 1; j < delimiter.length; j++) {
            if (buffer[at + j] != delimiter[j]) {
                return false;
            }
        }
        return true;
    }

    private void skipContent() throws IOException {
        byte[] skipped = new byte[BUFFER];
        while (read(skipped, 0, skipped.length) >= 0) {
            // discarded: the rest of a part nobody asked for
        }
    }

    private int available() {
        return end - start;
    }

    /** Reads until at least {@code wanted} bytes are buffered, or the body ends. */
    private void fill(int wanted) throws IOException {
        while (available() < wanted && !eof) {
            if (end == buffer.length) {
                if (start == 0) {
                    throw malformed(); // a header line, or the wait for a delimiter, longer than the buffer
                }
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                searched = Math.max(0, searched - start);
                position += start;
                start = 0;
            }
            int n = in.read(buffer, end, buffer.length - end);
            if (n < 0) {
                eof = true;
            } else {
                end += n;
            }
        }
    }

    /** One header line, without its CRLF (a bare LF is taken too). */
    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            if (available() == 0) {
                fill(1);
                if (available() == 0) {
                    throw malformed();
                }
            }
            byte b = buffer[start++];
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            line.write(b);
            if (line.size() > MAX_HEADER_LINE) {
                throw malformed();
            }
        }
    }

    /**
     * The parameters of a header value such as {@code form-data; name="key"; filename="a b.txt"}:
     * names lower-case, quoted values unquoted (a backslash escapes the next character).
     */
    static Map<String, String> parameters(String value) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (value == null) {
            return parameters;
        }
        int i = value.indexOf(';');
        while (i >= 0 && i < value.length()) {
            i++;
            int equals = value.indexOf('=', i);
            int semicolon = value.indexOf(';', i);
            if (equals < 0 || (semicolon >= 0 && semicolon < equals)) {
                i = semicolon;
                continue;
            }
            String name = value.substring(i, equals).trim().toLowerCase(Locale.ROOT);
            int j = equals + 1;
            while (j < value.length() && value.charAt(j) == ' ') {
                j++;
            }
            String parsed;
            if (j < value.length() && value.charAt(j) == '"') {
                StringBuilder quoted = new StringBuilder();
                j++;
                while (j < value.length() && value.charAt(j) != '"') {
                    char c = value.charAt(j);
                    if (c == '\\' && j + 1 < value.length()) {
                        c = value.charAt(++j);
                    }
                    quoted.append(c);
                    j++;
                }
                parsed = quoted.toString();
                i = value.indexOf(';', j);
            } else {
                int stop = value.indexOf(';', j);
                parsed = value.substring(j, stop < 0 ? value.length() : stop).trim();
                i = stop;
            }
            parameters.putIfAbsent(name, parsed);
        }
        return parameters;
    }

    static S3Exception malformed() {
        return new S3Exception(S3ErrorCode.MALFORMED_POST_REQUEST);
    }
}
