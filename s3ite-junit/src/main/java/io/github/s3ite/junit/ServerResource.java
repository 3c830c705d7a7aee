package io.github.s3ite.junit;

import io.github.s3ite.server.S3iteServer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/**
 * A running server as the extension keeps it in JUnit's store: stopped when the class or method
 * that started it is done. Stored under two keys, so {@link #close()} may be called twice.
 */
// CloseableResource for JUnit before 5.13, AutoCloseable for 5.13 onwards (which warns about the
// former alone); each version closes a value once.
@SuppressWarnings("deprecation")
final class ServerResource implements Fixture {
    private final S3iteExtension owner;
    private final S3iteServer server;
    /** The buckets declared on the server at start: {@link S3iteServer#reset()} restores them. */
    private final Set<String> declared;
    private final Map<String, Object> clients = new ConcurrentHashMap<>();
    private volatile boolean keepDataDirectory;
    private volatile boolean closed;

    ServerResource(S3iteExtension owner, S3iteServer server) {
        this(owner, server, Set.of());
    }

    ServerResource(S3iteExtension owner, S3iteServer server, Set<String> declared) {
        this.owner = owner;
        this.server = server;
        this.declared = Set.copyOf(declared);
    }

    @Override
    public S3iteExtension owner() {
        return owner;
    }

    S3iteServer server() {
        return server;
    }

    @Override
    public Optional<S3iteServer> localServer() {
        return Optional.of(server);
    }

    /**
     * The server's declared buckets back to their seeds and every other bucket gone (reset), then the
     * buckets the server does not declare (a {@code @Nested} class's, a test method's) made anew.
     */
    @Override
    public void prepareBuckets(Map<String, Path> buckets, boolean reset) {
        try {
            if (reset) {
                server.reset();
            }
            Set<String> existing = server.getBucketNames();
            for (Map.Entry<String, Path> bucket : buckets.entrySet()) {
                String name = bucket.getKey();
                if (reset && !declared.contains(name) || !existing.contains(name)) {
                    if (bucket.getValue() == null) {
                        server.createBucket(name);
                    } else {
                        server.createBucket(name, bucket.getValue());
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("s3ite: " + e.getMessage(), e);
        }
    }

    /**
     * One client of each kind per server, made on first use, closed with the server.
     *
     * @throws ParameterResolutionException naming the dependency to add when the AWS SDK is missing
     */
    @Override
    public Object client(String typeName) {
        try {
            return clients.computeIfAbsent(typeName, name -> AwsClientFactory.create(server, name));
        } catch (IllegalStateException | LinkageError e) {
            throw new ParameterResolutionException("s3ite: injecting " + typeName + " needs the AWS SDK for Java v2:"
                    + " add the dependency software.amazon.awssdk:s3", e);
        }
    }

    @Override
    public Map<String, String> sdkSystemProperties() {
        // An anonymous server takes any signature, but the SDK's default chain still wants credentials.
        boolean anonymous = server.getAccessKey() == null;
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(SystemPropertiesResource.ENDPOINT, server.getEndpoint().toString());
        properties.put(SystemPropertiesResource.REGION, server.getRegion());
        properties.put(SystemPropertiesResource.ACCESS_KEY, anonymous ? S3iteServer.DEFAULT_ACCESS_KEY : server.getAccessKey());
        properties.put(SystemPropertiesResource.SECRET_KEY, anonymous ? S3iteServer.DEFAULT_SECRET_KEY : server.getSecretKey());
        return properties;
    }

    @Override
    public String describe() {
        return "the local s3ite server at " + server.getEndpoint();
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
        if (keepDataDirectory) {
            // only ever turned on here: a configuration that retains the directory keeps it anyway
            server.withRetainDataDirectory(true);
        }
        server.stop();
        if (keepDataDirectory && directory != null) {
            System.err.println("s3ite: the test class failed; its bucket files are kept in " + directory.toAbsolutePath());
        }
    }
}
