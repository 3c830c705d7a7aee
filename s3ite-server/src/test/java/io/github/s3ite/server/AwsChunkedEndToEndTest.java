package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The aws-chunked framing as a socket sends it: what a well-formed body stores, and the malformed
 * ones (chunk sizes, decoded length, an unbounded trailer, bytes after the end) that store nothing.
 * The server is anonymous so that the bodies need no chunk signatures; the framing rules are the same.
 */
class AwsChunkedEndToEndTest {
    private static final String BUCKET = "chunked";
    private static final AtomicInteger KEYS = new AtomicInteger();
    private static final String CRC32_OF_HELLO_WORLD = "DUoRhQ==";
    private static S3iteServer server;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        server = new S3iteServer().withAnonymousAccess().withBucket(BUCKET).start();
        s3 = server.createClient();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static String newKey() {
        return "object-" + KEYS.incrementAndGet();
    }

    private static HttpResponse<String> put(String key, String decodedLength, String body) throws Exception {
        return HandSigner.send("PUT", URI.create(server.getEndpoint() + "/" + BUCKET + "/" + key), Map.of(
                        "x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
                        "content-encoding", "aws-chunked",
                        "x-amz-decoded-content-length", decodedLength),
                body.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(BUCKET).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    private static void assertError(HttpResponse<String> response, String code) {
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.body().contains("<Code>" + code + "</Code>"), response.body());
    }

    @Test
    void aWellFormedBodyWithAChecksumTrailerIsStored() throws Exception {
        String key = newKey();
        HttpResponse<String> response = put(key, "11",
                "b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:" + CRC32_OF_HELLO_WORLD + "\r\n\r\n");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("hello world", s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "-0", "+b", "", "zz", " b", "0000000000000000b"})
    void aChunkSizeThatIsNotOneToSixteenHexDigitsIsRefused(String size) throws Exception {
        String key = newKey();
        HttpResponse<String> response = put(key, "11", size + "\r\nhello world\r\n0\r\n\r\n");
        assertError(response, "InvalidRequest");
        assertFalse(exists(key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "-11", "eleven", "0x0b", ""})
    void aDecodedContentLengthThatIsNotANonNegativeNumberIsRefused(String decodedLength) throws Exception {
        String key = newKey();
        HttpResponse<String> response = put(key, decodedLength, "b\r\nhello world\r\n0\r\n\r\n");
        assertError(response, "InvalidArgument");
        assertFalse(exists(key));
    }

    @Test
    void bytesAfterTheFinalChunkAreRefused() throws Exception {
        String key = newKey();
        HttpResponse<String> response = put(key, "11", "b\r\nhello world\r\n0\r\n\r\nb\r\nhello again\r\n0\r\n\r\n");
        assertError(response, "InvalidRequest");
        assertFalse(exists(key));
    }

    @Test
    void bytesAfterTheTrailerSectionAreRefused() throws Exception {
        String key = newKey();
        HttpResponse<String> response = put(key, "11",
                "b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:" + CRC32_OF_HELLO_WORLD + "\r\n\r\nextra");
        assertError(response, "InvalidRequest");
        assertFalse(exists(key));
    }

    @Test
    void aTrailerSectionOverEightKibibytesIsMalformedTrailerError() throws Exception {
        String key = newKey();
        String longValue = "v".repeat(3000);
        StringBuilder body = new StringBuilder("b\r\nhello world\r\n0\r\n");
        for (int i = 0; i < 4; i++) {
            body.append("x-amz-meta-t").append(i).append(':').append(longValue).append("\r\n");
        }
        HttpResponse<String> response = put(key, "11", body.append("\r\n").toString());
        assertError(response, "MalformedTrailerError");
        assertFalse(exists(key));
    }

    @Test
    void aTrailerSectionOfMoreThanSixteenLinesIsMalformedTrailerError() throws Exception {
        String key = newKey();
        StringBuilder body = new StringBuilder("b\r\nhello world\r\n0\r\n");
        for (int i = 0; i < 17; i++) {
            body.append("x-amz-meta-t").append(i).append(":v\r\n");
        }
        HttpResponse<String> response = put(key, "11", body.append("\r\n").toString());
        assertError(response, "MalformedTrailerError");
        assertFalse(exists(key));
    }

    @Test
    void aTrailerLineWithoutAColonIsMalformedTrailerError() throws Exception {
        String key = newKey();
        HttpResponse<String> response = put(key, "11", "b\r\nhello world\r\n0\r\nno colon here\r\n\r\n");
        assertError(response, "MalformedTrailerError");
        assertFalse(exists(key));
    }

    @Test
    void sixteenSmallTrailerLinesAreAccepted() throws Exception {
        String key = newKey();
        StringBuilder body = new StringBuilder("b\r\nhello world\r\n0\r\n");
        for (int i = 0; i < 16; i++) {
            body.append("x-amz-meta-t").append(i).append(":v\r\n");
        }
        HttpResponse<String> response = put(key, "11", body.append("\r\n").toString());
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(exists(key));
    }
}
