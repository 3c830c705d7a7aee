package io.github.s3ite.junit;

import io.github.s3ite.server.S3iteServer;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Modifier;
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
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

/**
 * Runs an s3ite server for JUnit Jupiter tests (5.x and 6.x), in the test JVM, on 127.0.0.1 and an
 * ephemeral port, over a temporary data directory.
 *
 * <ul>
 *   <li>{@code @ExtendWith(S3iteExtension.class)}: one server per test class, started before its
 *       first test and stopped after its last. Subclasses get a server of their own; {@code @Nested}
 *       classes share the server of their enclosing class and may add buckets to it with
 *       {@link S3iteBucket @S3iteBucket}.</li>
 *   <li>{@code @RegisterExtension static S3iteExtension s3 = new S3iteExtension().withX(...)}: the
 *       same, configured in code; {@link #getServer()} gives the server. An instance (non-static)
 *       field means one server per test method. A {@code @Nested} class that registers an extension
 *       of its own this way gets a server of its own, which serves its tests instead of the
 *       enclosing class's.</li>
 *   <li>{@link S3iteBucket @S3iteBucket} on the class or a method declares buckets, empty or seeded.
 *       Before each test every declared bucket is back to its seed (or empty) and every other bucket
 *       is gone, so the order of tests never matters ({@link #withResetBeforeEach(boolean)} turns
 *       this off).</li>
 *   <li>Parameters of test methods, lifecycle methods and constructors of type {@code S3Client},
 *       {@code S3AsyncClient}, {@code S3Presigner} (AWS SDK v2, an optional dependency: add
 *       {@code software.amazon.awssdk:s3} to inject them) and {@link S3iteServer} are injected,
 *       configured for the server. One client of each kind per server; the server closes them.</li>
 *   <li>When a test fails, its buckets as the test left them are copied into a new directory, whose
 *       path is printed to {@code System.err} and published as the report entry
 *       {@code s3ite.failedTestBuckets}. When a class-level callback fails ({@code @BeforeAll},
 *       {@code @AfterAll}), the server's whole data directory is kept instead. Otherwise nothing is
 *       left behind.</li>
 *   <li>{@link S3iteSystemProperties @S3iteSystemProperties} or {@link #withSystemProperties(boolean)}
 *       points the AWS SDK's system properties at the server while the class runs.</li>
 * </ul>
 *
 * <p>All test state lives in JUnit's {@link ExtensionContext.Store}; this object holds its
 * configuration, which must not change once tests run, and the server that {@link #getServer()}
 * returns.
 */
public final class S3iteExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, TestExecutionExceptionHandler, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(S3iteExtension.class);
    /** The store key of the server that serves a context: the nearest one started for it or an enclosing one. */
    private static final Class<ServerResource> SERVING = ServerResource.class;
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
     * to the working directory. The file is never written.
     */
    public S3iteExtension withBucket(String name, String seed) {
        buckets.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(seed, "seed"));
        return this;
    }

    /** Declares a bucket seeded from a copy of a bucket file, which is never written. */
    public S3iteExtension withBucket(String name, Path seed) {
        buckets.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(seed, "seed"));
        return this;
    }

    /** The one access key and secret key requests must be signed with; default {@link S3iteServer#DEFAULT_ACCESS_KEY}. */
    public S3iteExtension withCredentials(String accessKey, String secretKey) {
        this.accessKey = Objects.requireNonNull(accessKey, "accessKey");
        this.secretKey = Objects.requireNonNull(secretKey, "secretKey");
        this.anonymous = false;
        return this;
    }

    /** No credentials: the server serves unsigned requests. */
    public S3iteExtension withAnonymousAccess() {
        this.anonymous = true;
        return this;
    }

    /** The region the server reports and the injected clients use; default {@link S3iteServer#DEFAULT_REGION}. */
    public S3iteExtension withRegion(String region) {
        this.region = Objects.requireNonNull(region, "region");
        return this;
    }

    /** Serves virtual-hosted style requests ({@code bucket.domain}) beside path-style ones. */
    public S3iteExtension withDomainName(String domainName) {
        this.domainName = domainName;
        return this;
    }

    /**
     * A read-only server: seeded buckets can be read, every write is refused with AccessDenied.
     * Nothing can change, so nothing is reset, and method-level buckets cannot be added.
     */
    public S3iteExtension withReadOnly(boolean readOnly) {
        this.readOnly = readOnly;
        return this;
    }

    /**
     * Whether buckets go back to their seeds before each test; default true. When false, buckets
     * declared for a test are created when missing, and nothing else is touched.
     */
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
     * {@code @RegisterExtension}: during a test, the one serving it. Where one extension serves
     * several classes at once (a static field inherited by subclasses that run concurrently),
     * take an {@link S3iteServer} parameter instead.
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
        ServerResource resource = own(context);
        if (resource == null) {
            resource = start(context);
        }
        if (serving(context) == resource) {
            pointSystemPropertiesAt(context, resource.server());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        ServerResource resource = own(context);
        if (resource == null) {
            resource = start(context);
            pointSystemPropertiesAt(context, resource.server());
        }
        if (serving(context) == resource) {
            prepareBuckets(context, resource.server());
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        keepBucketsOfFailedTest(context, throwable);
        throw throwable;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        context.getExecutionException().ifPresent(failure -> keepBucketsOfFailedTest(context, failure));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ServerResource resource = serving(context);
        if (resource != null && resource.owner() == this && context.getExecutionException().isPresent()) {
            resource.keepDataDirectory();
        }
    }

    /**
     * Copies the buckets of the failed test, once, as soon as the failure is known: from the test
     * method's exception before any {@code @AfterEach} method runs, or else (a failed lifecycle
     * method) after them.
     */
    private void keepBucketsOfFailedTest(ExtensionContext context, Throwable failure) {
        ServerResource resource = serving(context);
        if (failure instanceof TestAbortedException || resource == null || resource.owner() != this) {
            return;
        }
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (store.get(FailedTestBuckets.class) != null) {
            return;
        }
        Path directory = FailedTestBuckets.copy(resource.server(), context);
        if (directory != null) {
            store.put(FailedTestBuckets.class, directory);
            System.err.println("s3ite: " + context.getDisplayName() + " failed; its buckets are kept in " + directory);
            context.publishReportEntry(FailedTestBuckets.REPORT_ENTRY, directory.toString());
        }
    }

    /** The server this extension started for this context or an enclosing one. */
    private ServerResource own(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(this, ServerResource.class);
    }

    /** The server that serves this context, whichever extension started it. */
    private static ServerResource serving(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(SERVING, ServerResource.class);
    }

    /** Starts a server scoped to {@code context}: a class, or a method for an instance-field registration. */
    private ServerResource start(ExtensionContext context) {
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
        ServerResource resource = new ServerResource(this, server);
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        store.put(this, resource);
        // The same resource under a second key, for "who serves this context" (close() is idempotent).
        store.put(SERVING, resource);
        lastServer = server;
        return resource;
    }

    /**
     * Sets the AWS SDK's system properties for this context when asked to (by this registration or by
     * the class's annotation) and they do not point at this server already; closing the context
     * restores what was there before.
     */
    private void pointSystemPropertiesAt(ExtensionContext context, S3iteServer server) {
        boolean wanted = systemProperties || context.getTestClass()
                .map(type -> AnnotationSupport.isAnnotated(type, S3iteSystemProperties.class)).orElse(false);
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        SystemPropertiesResource current = store.get(SystemPropertiesResource.class, SystemPropertiesResource.class);
        if (!wanted || current != null && current.server() == server) {
            return;
        }
        refuseConcurrentClasses(context);
        store.put(SystemPropertiesResource.class, new SystemPropertiesResource(server));
    }

    private static void refuseConcurrentClasses(ExtensionContext context) {
        boolean parallel = context.getConfigurationParameter("junit.jupiter.execution.parallel.enabled")
                .map(value -> Boolean.parseBoolean(value.trim())).orElse(false);
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

    /** Buckets for every test the server serves: programmatic ones, then those of the class and the classes it is nested in. */
    private Map<String, Path> classBuckets(ExtensionContext context) {
        Map<String, Path> declared = new LinkedHashMap<>();
        buckets.forEach((name, seed) -> declared.put(name, resolve(seed)));
        context.getTestClass().ifPresent(type -> nestingOf(type).forEach(nesting -> annotations(nesting, declared)));
        return declared;
    }

    /**
     * Before each test: the server's own declared buckets back to their seeds and the others gone
     * (reset), then the buckets that this test's method adds.
     */
    private void prepareBuckets(ExtensionContext context, S3iteServer server) {
        if (readOnly) {
            return;
        }
        Map<String, Path> wanted = classBuckets(context);
        context.getTestMethod().ifPresent(method -> annotations(method, wanted));
        try {
            if (resetBeforeEach) {
                server.reset();
            }
            Set<String> existing = server.getBucketNames();
            for (Map.Entry<String, Path> bucket : wanted.entrySet()) {
                // After a reset this is cheap for the server's declared buckets: an unchanged copy is kept.
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

    /** The class and, outermost first, the classes it is an inner ({@code @Nested}) class of. */
    private static List<Class<?>> nestingOf(Class<?> type) {
        List<Class<?>> nesting = new ArrayList<>();
        for (Class<?> current = type; current != null; current = innerClassOf(current)) {
            nesting.add(0, current);
        }
        return nesting;
    }

    private static Class<?> innerClassOf(Class<?> type) {
        return Modifier.isStatic(type.getModifiers()) ? null : type.getEnclosingClass();
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
        if (!SERVER_TYPE.equals(type) && !AwsClientFactory.isClientType(type)) {
            return false;
        }
        // Where two registrations meet (a @Nested class with its own), only the serving one answers.
        ServerResource serving = serving(extensionContext);
        return serving == null || serving.owner() == this;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        ServerResource resource = serving(extensionContext);
        if (resource == null) {
            // A constructor under @TestInstance(PER_CLASS) runs before any BeforeAllCallback.
            resource = start(extensionContext);
        }
        String type = parameterContext.getParameter().getType().getName();
        if (SERVER_TYPE.equals(type)) {
            return resource.server();
        }
        return resource.client(type);
    }
}
