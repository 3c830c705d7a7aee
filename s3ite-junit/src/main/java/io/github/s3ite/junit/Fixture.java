package io.github.s3ite.junit;

import io.github.s3ite.server.S3iteServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What serves a context's tests, as the extension keeps it in JUnit's store: the in-JVM server
 * ({@link ServerResource}) or an external S3 endpoint ({@link ExternalResource}). Closing it stops
 * the server, or removes from the endpoint what the extension put there.
 */
@SuppressWarnings("deprecation") // CloseableResource and AutoCloseable: see ServerResource
sealed interface Fixture extends ExtensionContext.Store.CloseableResource, AutoCloseable
        permits ServerResource, ExternalResource {

    /** The registration that started this fixture and alone serves the tests it covers. */
    S3iteExtension owner();

    /**
     * Before a test: every bucket in {@code buckets} exists, holding its seed (a null seed: empty).
     * With {@code reset}, declared buckets go back to their seeds and those of earlier tests are gone;
     * without it, only missing buckets are created.
     */
    void prepareBuckets(Map<String, Path> buckets, boolean reset);

    /** One AWS SDK client of the named kind per fixture, made on first use, closed with it. */
    Object client(String typeName);

    /**
     * The in-JVM server, or empty against an external endpoint: the one way to what only the local
     * server has (the data directory, bucket snapshots, and whatever else S3iteServer alone offers).
     */
    Optional<S3iteServer> localServer();

    /** The AWS SDK's system properties ({@code aws.endpointUrl}, ...) that point code at this fixture. */
    Map<String, String> sdkSystemProperties();

    /** What the tests run against, for messages: "the local s3ite server at ...", "the external endpoint ...". */
    String describe();

    @Override
    void close();
}
