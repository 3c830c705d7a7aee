package io.github.s3ite.junit;

import io.github.s3ite.server.S3iteServer;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs an s3ite server for JUnit 5 tests, in the test JVM, on 127.0.0.1 and an ephemeral port,
 * over a temporary data directory.
 *
 * <ul>
 *   <li>{@code @ExtendWith(S3iteExtension.class)}: one server per test class (shared by its
 *       {@code @Nested} classes), started before the first test and stopped after the last.</li>
 *   <li>{@code @RegisterExtension static S3iteExtension s3 = new S3iteExtension().withX(...)}: the
 *       same, configured in code; {@link #getServer()} gives the server. An instance (non-static)
 *       field means one server per test method.</li>
 *   <li>{@link S3iteBucket @S3iteBucket} on the class or a method declares buckets, empty or seeded.
 *       Before each test every declared bucket is back to its seed (or empty) and every other bucket
 *       is gone, so the order of tests never matters ({@link #withResetBeforeEach(boolean)} turns
 *       this off).</li>
 *   <li>Parameters of test methods, lifecycle methods and constructors of type {@code S3Client},
 *       {@code S3AsyncClient}, {@code S3Presigner} (AWS SDK v2, an optional dependency) and
 *       {@link S3iteServer} are injected, configured for the server.</li>
 *   <li>When a test fails, the temporary data directory is kept and its path printed: its
 *       {@code .sqlite3} files are the state the test left. Otherwise it is removed.</li>
 * </ul>
 *
 * <p>All state lives in JUnit's {@link ExtensionContext.Store}; this object holds only its
 * configuration, which must not change once tests run.
 */
public final class S3iteExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(S3iteExtension.class);
    private static final String SERVER_TYPE = S3iteServer.class.getName();

    private final Map<String, Object> buckets = new LinkedHashMap<>();
    private String accessKey;
    private String secretKey;
    private boolean anonymous;
    private String region;
    private String domainName;
    private boolean readOnly;
    private boolean resetBeforeEach = true;
    private boolean systemProperties;
    private volatile S3iteServer lastServer;

    /** An extension with the defaults: what {@code @ExtendWith(S3iteExtension.class)} uses. */
    public S3iteExtension() {
    }

    /** Declares an empty bucket for every test. */
    public S3iteExtension withBucket(String name) {
        buckets.put(Objects.requireNonNull(name, "name"), "");
        return this;
    }

    /**
     * Declares a bucket seeded from a bucket file: a test classpath resource, or else a path relative
     * to the working directory.
     */
    public S3iteExtension withBucket(String name, String seed) {
        buckets.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(seed, "seed"));
        return this;
    }

    /** Declares a bucket seeded from a copy of a bucket file. */
    public S3iteExtension withBucket(String name, Path seed) {
        buckets.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(seed, "seed"));
        return this;
    }

    public S3iteExtension withCredentials(String accessKey, String secretKey) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.anonymous = false;
        return this;
    }

    /** No credentials: the server serves unsigned requests. */
    public S3iteExtension withAnonymousAccess() {
        this.anonymous = true;
        return this;
    }

    public S3iteExtension withRegion(String region) {
        this.region = region;
        return this;
    }

    public S3iteExtension withDomainName(String domainName) {
        this.domainName = domainName;
        return this;
    }

    /** A read-only server: seeded buckets can be read, every write is refused with AccessDenied. */
    public S3iteExtension withReadOnly(boolean readOnly) {
        this.readOnly = readOnly;
        return this;
    }

    /** Whether buckets go back to their seeds before each test; default true. */
    public S3iteExtension withResetBeforeEach(boolean resetBeforeEach) {
        this.resetBeforeEach = resetBeforeEach;
        return this;
    }

    /**
     * Points the AWS SDK's system properties ({@code aws.endpointUrl}, {@code aws.accessKeyId},
     * {@code aws.secretAccessKey}, {@code aws.region}) at the server while the class runs, restoring
     * them after. JVM-wide: refused when JUnit runs classes concurrently. See {@link S3iteSystemProperties}.
     */
    public S3iteExtension withSystemProperties(boolean systemProperties) {
        this.systemProperties = systemProperties;
        return this;
    }

    /**
     * The server this extension started most recently, for suites registered with
     * {@code @RegisterExtension}. Tests can also take an {@link S3iteServer} parameter.
     *
     * @throws IllegalStateException before the server was started
     */
    public S3iteServer getServer() {
        S3iteServer server = lastServer;
        if (server == null) {
            throw new IllegalStateException("The s3ite server starts before the first test of the class"
                    + " (or before each test for an instance field); it is not running yet");
        }
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (find(context) == null) {
            start(context);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        ServerResource resource = find(context);
        if (resource == null) {
            resource = start(context);
        }
        prepareBuckets(context, resource.server());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            ServerResource resource = find(context);
            if (resource != null) {
                resource.markFailed();
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            ServerResource resource = find(context);
            if (resource != null) {
                resource.markFailed();
            }
        }
    }

    private ServerResource find(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(this, ServerResource.class);
    }

    /** Starts a server scoped to {@code context}: a class, or a method for an instance-field registration. */
    private ServerResource start(ExtensionContext context) {
        boolean wantsProperties = systemProperties || context.getTestClass()
                .map(type -> AnnotationSupport.isAnnotated(type, S3iteSystemProperties.class)).orElse(false);
        if (wantsProperties) {
            refuseConcurrentClasses(context);
        }
        S3iteServer server = new S3iteServer();
        if (anonymous) {
            server.withAnonymousAccess();
        } else if (accessKey != null) {
            server.withCredentials(accessKey, secretKey);
        }
        if (region != null) {
            server.withRegion(region);
        }
        if (domainName != null) {
            server.withDomainName(domainName);
        }
        server.withReadOnly(readOnly);
        try {
            for (Map.Entry<String, Path> bucket : classBuckets(context).entrySet()) {
                if (bucket.getValue() == null) {
                    server.withBucket(bucket.getKey());
                } else {
                    server.withBucket(bucket.getKey(), bucket.getValue());
                }
            }
            server.start();
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("s3ite: " + e.getMessage(), e);
        }
        ServerResource resource = new ServerResource(server);
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        store.put(this, resource);
        if (wantsProperties) {
            store.put(SystemPropertiesResource.class, new SystemPropertiesResource(server));
        }
        lastServer = server;
        return resource;
    }

    private static void refuseConcurrentClasses(ExtensionContext context) {
        boolean parallel = context.getConfigurationParameter("junit.jupiter.execution.parallel.enabled")
                .map(Boolean::parseBoolean).orElse(false);
        String classesMode = context.getConfigurationParameter("junit.jupiter.execution.parallel.mode.classes.default")
                .or(() -> context.getConfigurationParameter("junit.jupiter.execution.parallel.mode.default"))
                .orElse("same_thread");
        if (parallel && "concurrent".equalsIgnoreCase(classesMode.trim())) {
            throw new ExtensionConfigurationException("s3ite: the AWS SDK system properties are JVM-wide and cannot"
                    + " point at one server per class while JUnit runs classes concurrently"
                    + " (junit.jupiter.execution.parallel.mode.classes.default=concurrent). Inject the clients,"
                    + " or pass server.getEndpoint() to the code under test, instead of @S3iteSystemProperties /"
                    + " withSystemProperties(true).");
        }
    }

    /** Buckets for every test of the class: programmatic ones, then those on the class, its enclosing and super classes. */
    private Map<String, Path> classBuckets(ExtensionContext context) {
        Map<String, Path> declared = new LinkedHashMap<>();
        buckets.forEach((name, seed) -> declared.put(name, resolve(seed)));
        context.getTestClass().ifPresent(type -> annotations(type, declared));
        return declared;
    }

    /**
     * Before each test: the server's own declared buckets back to their seeds and the others gone
     * (reset), then the buckets that this test's nested class or method adds.
     */
    private void prepareBuckets(ExtensionContext context, S3iteServer server) {
        Map<String, Path> wanted = new LinkedHashMap<>();
        buckets.forEach((name, seed) -> wanted.put(name, resolve(seed)));
        List<Class<?>> classes = new ArrayList<>();
        for (Class<?> type = context.getRequiredTestClass(); type != null; type = type.getEnclosingClass()) {
            classes.add(0, type);
        }
        classes.forEach(type -> annotations(type, wanted));
        context.getTestMethod().ifPresent(method -> annotations(method, wanted));
        if (server.isRunning() && !readOnly) {
            try {
                if (resetBeforeEach) {
                    server.reset();
                }
                Set<String> existing = server.getBucketNames();
                for (Map.Entry<String, Path> bucket : wanted.entrySet()) {
                    if (resetBeforeEach || !existing.contains(bucket.getKey())) {
                        if (bucket.getValue() == null) {
                            server.createBucket(bucket.getKey());
                        } else {
                            server.createBucket(bucket.getKey(), bucket.getValue());
                        }
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new ExtensionConfigurationException("s3ite: " + e.getMessage(), e);
            }
        }
    }

    private static void annotations(AnnotatedElement element, Map<String, Path> into) {
        for (S3iteBucket bucket : AnnotationSupport.findRepeatableAnnotations(element, S3iteBucket.class)) {
            into.put(bucket.name(), resolve(bucket.seed()));
        }
    }

    private static Path resolve(Object seed) {
        if (seed instanceof Path path) {
            return path;
        }
        String text = (String) seed;
        return text.isEmpty() ? null : SeedFiles.locate(text);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        String type = parameterContext.getParameter().getType().getName();
        return SERVER_TYPE.equals(type) || AwsClientFactory.isClientType(type);
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        ServerResource resource = find(extensionContext);
        if (resource == null) {
            throw new ParameterResolutionException("s3ite: no server is running for "
                    + parameterContext.getDeclaringExecutable() + ": a server registered with an instance field"
                    + " starts before each test, after constructors and @BeforeAll methods run");
        }
        String type = parameterContext.getParameter().getType().getName();
        if (SERVER_TYPE.equals(type)) {
            return resource.server();
        }
        try {
            return resource.client(type);
        } catch (IllegalStateException | LinkageError e) {
            throw new ParameterResolutionException("s3ite: injecting " + type + " needs the AWS SDK for Java v2:"
                    + " add the dependency software.amazon.awssdk:s3", e);
        }
    }
}
