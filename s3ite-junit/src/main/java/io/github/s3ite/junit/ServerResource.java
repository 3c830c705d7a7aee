package io.github.s3ite.junit;

import io.github.s3ite.server.S3iteServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/**
 * A running server as the extension keeps it in JUnit's store: stopped when the class or method
 * that started it is done. Stored under two keys, so {@link #close()} may be called twice.
 */
// CloseableResource for JUnit before 5.13, AutoCloseable for 5.13 onwards (which warns about the
// former alone); each version closes a value once.
@SuppressWarnings("deprecation")
final class ServerResource implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    private final S3iteExtension owner;
    private final S3iteServer server;
    private final Map<String, Object> clients = new ConcurrentHashMap<>();
    private volatile boolean keepDataDirectory;
    private volatile boolean closed;

    ServerResource(S3iteExtension owner, S3iteServer server) {
        this.owner = owner;
        this.server = server;
    }

    /** The registration that started this server and alone serves the tests it covers. */
    S3iteExtension owner() {
        return owner;
    }

    S3iteServer server() {
        return server;
    }

    /**
     * One client of each kind per server, made on first use, closed with the server.
     *
     * @throws ParameterResolutionException naming the dependency to add when the AWS SDK is missing
     */
    Object client(String typeName) {
        try {
            return clients.computeIfAbsent(typeName, name -> AwsClientFactory.create(server, name));
        } catch (IllegalStateException | LinkageError e) {
            throw new ParameterResolutionException("s3ite: injecting " + typeName + " needs the AWS SDK for Java v2:"
                    + " add the dependency software.amazon.awssdk:s3", e);
        }
    }

    /** Keeps the whole data directory at close: a class-level failure, not one test's. */
    void keepDataDirectory() {
        keepDataDirectory = true;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Path directory = server.getDataDirectory();
        server.withRetainDataDirectory(keepDataDirectory);
        server.stop();
        if (keepDataDirectory && directory != null) {
            System.err.println("s3ite: the test class failed; its bucket files are kept in " + directory.toAbsolutePath());
        }
    }
}
