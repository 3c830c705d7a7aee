package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3ite.server.http.S3HttpHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** A failure of storage is the server's fault: logged with the request id, answered without its text. */
class InternalErrorsEndToEndTest {

    @Test
    void aStorageFailureIsLoggedWithTheRequestIdAndAnsweredWithoutTheLibrarysMessage() throws Exception {
        Logger log = Logger.getLogger(S3HttpHandler.class.getName());
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        try (S3iteServer server = new S3iteServer().withAnonymousAccess().withBucket("broken").start()) {
            Path file = server.getDataDirectory().resolve("broken.sqlite3");
            try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + file);
                 Statement statement = sqlite.createStatement()) {
                statement.execute("DROP TABLE object_attributes");
            }
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(server.getEndpoint() + "/broken/key"))
                    .PUT(HttpRequest.BodyPublishers.ofString("content")).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(500, answer.statusCode());
            assertTrue(answer.body().contains("<Code>InternalError</Code>"), answer.body());
            assertFalse(answer.body().contains("SQL"), answer.body());
            assertFalse(answer.body().contains("object_attributes"), answer.body());
            String requestId = answer.headers().firstValue("x-amz-request-id").orElseThrow();
            LogRecord logged = records.stream().filter(r -> r.getMessage().contains(requestId)).findFirst().orElse(null);
            assertNotNull(logged, "no log record names request " + requestId);
            assertTrue(causeChain(logged.getThrown()).contains("object_attributes"), causeChain(logged.getThrown()));
        } finally {
            log.removeHandler(capture);
        }
    }

    private static String causeChain(Throwable thrown) {
        StringBuilder chain = new StringBuilder();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            chain.append(t).append('\n');
        }
        return chain.toString();
    }
}
