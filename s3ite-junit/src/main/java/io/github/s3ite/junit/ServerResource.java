package io.github.s3ite.junit;

import io.github.s3ite.server.S3iteServer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A running server as the extension keeps it in JUnit's store: closed (the server stopped) when
 * the class or method that started it is done. A failure anywhere in its scope keeps its temporary
 * data directory for a look at the bucket files.
 */
@SuppressWarnings("deprecation") // CloseableResource: the one store cleanup hook that JUnit 5.0 through 6.x all call
final class ServerResource implements ExtensionContext.Store.CloseableResource {
    private final S3iteServer server;
    private final Map<String, Object> clients = new ConcurrentHashMap<>();
    private volatile boolean failed;
    private volatile boolean closed;

    ServerResource(S3iteServer server) {
        this.server = server;
    }

    S3iteServer server() {
        return server;
    }

    /** One client of each kind per server, made on first use, closed with the server. */
    Object client(String typeName) {
        return clients.computeIfAbsent(typeName, name -> AwsClientFactory.create(server, name));
    }

    void markFailed() {
        failed = true;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (failed) {
            server.withRetainDataDirectory(true);
        }
        var directory = server.getDataDirectory();
        server.stop();
        if (failed && directory != null) {
            System.err.println("s3ite: a test failed; its bucket files are kept in " + directory.toAbsolutePath());
        }
    }
}
