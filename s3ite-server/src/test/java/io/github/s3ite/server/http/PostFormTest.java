package io.github.s3ite.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The multipart/form-data reading of POST Object: fields, the file as it streams, and S3's refusals. */
class PostFormTest {
    private static final String BOUNDARY = "----WebKitFormBoundaryePkpFF7tjBAqx29L";
    private static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

    private static byte[] form(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String part : parts) {
            out.writeBytes(("--" + BOUNDARY + "\r\n" + part + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static String field(String name, String value) {
        return "Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value;
    }

    private static byte[] fileForm(byte[] content, String... fieldsBefore) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String part : fieldsBefore) {
            out.writeBytes(("--" + BOUNDARY + "\r\n" + part + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"data.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + BOUNDARY + "\r\n" + field("after", "ignored") + "\r\n--" + BOUNDARY + "--\r\n")
                .getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static PostForm read(byte[] body) {
        return PostForm.read(new ByteArrayInputStream(body), CONTENT_TYPE, "http://localhost/b");
    }

    /** Hands the body on in pieces of {@code size} bytes, as a slow connection would. */
    private static InputStream inPieces(byte[] body, int size) {
        return new InputStream() {
            private int position;

            @Override
            public int read() {
                return position < body.length ? body[position++] & 0xff : -1;
            }

            @Override
            public int read(byte[] target, int offset, int length) {
                if (position == body.length) {
                    return -1;
                }
                int n = Math.min(Math.min(length, size), body.length - position);
                System.arraycopy(body, position, target, offset, n);
                position += n;
                return n;
            }
        };
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void fieldsAreReadUpToTheFileWithLowerCaseNamesAndTheFileNameReplacesTheVariable() {
        PostForm form = read(fileForm("content".getBytes(StandardCharsets.UTF_8),
                field("Key", "uploads/${filename}"), field("Content-Type", "text/plain"),
                field("X-Amz-Meta-Note", "Mixed Case\r\nsecond line"), field("acl", "public-read")));
        assertEquals(Map.of("key", "uploads/${filename}", "content-type", "text/plain",
                "x-amz-meta-note", "Mixed Case\r\nsecond line", "acl", "public-read"), form.fields());
        assertEquals("uploads/data.bin", form.key());
        assertEquals("data.bin", form.filename());
        assertEquals("http://localhost/b/uploads%2Fdata.bin", form.location());
        assertEquals("content", new String(readAll(form.file()), StandardCharsets.UTF_8));
        assertEquals(Map.of("content-type", List.of("text/plain"), "x-amz-meta-note", List.of("Mixed Case\r\nsecond line"),
                "x-amz-acl", List.of("public-read")), form.objectHeaders());
    }

    @Test
    void theFileStreamsWholeWhateverPiecesTheBodyArrivesIn() {
        byte[] content = new byte[300_000];
        new Random(3).nextBytes(content);
        // bytes that look like the start of a boundary, inside the content and across piece edges
        byte[] lookalike = ("\r\n--" + BOUNDARY.substring(0, 20)).getBytes(StandardCharsets.ISO_8859_1);
        for (int at = 0; at + lookalike.length < content.length; at += 65_531) {
            System.arraycopy(lookalike, 0, content, at, lookalike.length);
        }
        byte[] body = fileForm(content, field("key", "k"));
        for (int size : new int[] {1, 7, 4096, 65_536, body.length}) {
            PostForm form = PostForm.read(inPieces(body, size), CONTENT_TYPE, "http://localhost/b");
            assertArrayEquals(content, readAll(form.file()), "pieces of " + size);
        }
    }

    @Test
    void quotedParametersTransportPaddingAndAPreambleAreRead() {
        String body = "a preamble, ignored\r\n"
                + "--" + BOUNDARY + "\r\n" + field("key", "${filename}") + "\r\n"
                + "--" + BOUNDARY + "  \r\n"
                + "content-disposition: form-data; filename=\"a \\\"quoted\\\"; name.txt\"; name=\"file\"\r\n\r\nx\r\n"
                + "--" + BOUNDARY + "--\r\nan epilogue";
        PostForm form = PostForm.read(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
                "Multipart/Form-Data; boundary=\"" + BOUNDARY + "\"", "http://h/b");
        assertEquals("a \"quoted\"; name.txt", form.key());
        assertEquals("x", new String(readAll(form.file()), StandardCharsets.UTF_8));
    }

    @Test
    void aFormWithoutFileOrKeyBeforeItIsInvalidArgument() {
        S3Exception noFile = assertThrows(S3Exception.class, () -> read(form(field("key", "k"))));
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, noFile.error());
        assertEquals("POST requires exactly one file upload per request.", noFile.getMessage());
        S3Exception noKey = assertThrows(S3Exception.class, () -> read(fileForm(new byte[1])));
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, noKey.error());
        assertEquals(Map.of("ArgumentName", "key", "ArgumentValue", ""), noKey.details());
    }

    @Test
    void fieldsBeyond20KiBBeforeTheFileAreRefused() {
        S3Exception refused = assertThrows(S3Exception.class,
                () -> read(fileForm(new byte[1], field("key", "k"), field("x-ignore-big", "x".repeat(20 * 1024)))));
        assertEquals(S3ErrorCode.MAX_POST_PRE_DATA_LENGTH_EXCEEDED, refused.error());
        read(fileForm(new byte[1], field("key", "k"), field("x-ignore-big", "x".repeat(19 * 1024))));
    }

    @Test
    void aPartHeadOfEndlessShortLinesIsRefusedOnce20KiBAreRead() {
        // a million distinct header lines: each one was kept in a map before the limit was checked,
        // so such a head filled the heap
        InputStream endless = new InputStream() {
            private byte[] line = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"key\"\r\n")
                    .getBytes(StandardCharsets.UTF_8);
            private int position;
            private int lines;

            @Override
            public int read() {
                if (position == line.length) {
                    if (++lines > 1_000_000) {
                        return -1;
                    }
                    line = ("h" + lines + ":\r\n").getBytes(StandardCharsets.UTF_8);
                    position = 0;
                }
                return line[position++];
            }
        };
        S3Exception refused = assertThrows(S3Exception.class, () -> PostForm.read(endless, CONTENT_TYPE, "http://h/b"));
        assertEquals(S3ErrorCode.MAX_POST_PRE_DATA_LENGTH_EXCEEDED, refused.error());
    }

    @Test
    void malformedBodiesAreMalformedPostRequest() {
        for (String body : List.of("", "--" + BOUNDARY + "\r\n" + field("key", "unended"),
                "--" + BOUNDARY + "\r\nContent-Type: text/plain\r\n\r\nno disposition\r\n--" + BOUNDARY + "--",
                "--" + BOUNDARY + "junk\r\n" + field("key", "k") + "\r\n--" + BOUNDARY + "--")) {
            S3Exception error = assertThrows(S3Exception.class, () -> read(body.getBytes(StandardCharsets.UTF_8)), body);
            assertEquals(S3ErrorCode.MALFORMED_POST_REQUEST, error.error(), body);
        }
        assertEquals(S3ErrorCode.MALFORMED_POST_REQUEST, assertThrows(S3Exception.class,
                () -> PostForm.read(new ByteArrayInputStream(new byte[0]), "multipart/form-data", "http://h/b")).error());
        PostForm cut = read(java.util.Arrays.copyOf(fileForm(new byte[100], field("key", "k")), 300));
        assertEquals(S3ErrorCode.MALFORMED_POST_REQUEST, assertThrows(S3Exception.class, () -> readAll(cut.file())).error());
    }
}
