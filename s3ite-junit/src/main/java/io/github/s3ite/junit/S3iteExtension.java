package io.github.s3ite.junit;

import io.github.s3ite.server.RecordedRequest;
import io.github.s3ite.server.S3iteServer;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Executable;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
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
 *   <li>{@code @RegisterExtension static S3iteExtension s3 = new S3iteExtension(server -> server.withX(...))}:
 *       the same, with the server configured in code by any of {@link S3iteServer}'s {@code withX}
 *       methods; {@link #getServer()} gives the server. An instance (non-static) field means one
 *       server per test method. A {@code @Nested} class that registers an extension
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
 *   <li>Given an external endpoint ({@code s3ite.endpoint}, {@code s3ite.region},
 *       {@code s3ite.accessKey}, {@code s3ite.secretKey} as system properties or JUnit configuration
 *       parameters, or {@code S3ITE_ENDPOINT}, {@code S3ITE_REGION}, {@code S3ITE_ACCESS_KEY},
 *       {@code S3ITE_SECRET_KEY} in the environment), the same tests run against it instead: no
 *       server starts, the declared buckets are created there (one that exists already must be
 *       empty), seeded with their seeds' objects, brought back to them before each test (objects
 *       the seed lacks deleted, missing or changed ones put again, unfinished multipart uploads
 *       aborted), and at the end emptied, and deleted when the extension created them. The injected
 *       clients are configured for the endpoint (path-style). What only the local server has is
 *       skipped, not failed: a test that takes an {@link S3iteServer} parameter (or whose class's
 *       constructor or lifecycle methods do) is disabled with the reason, {@link #getServer()}
 *       aborts the test that calls it, and a failed test's buckets are not copied. The server
 *       configuration is not used.</li>
 * </ul>
 *
 * <p>All test state lives in JUnit's {@link ExtensionContext.Store}; this object holds its
 * configuration, which must not change once tests run, and the server that {@link #getServer()}
 * returns.
 */
public final class S3iteExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, TestExecutionExceptionHandler, ParameterResolver, ExecutionCondition {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(S3iteExtension.class);
    /** The store key of the fixture that serves a context: the nearest one started for it or an enclosing one. */
    private static final Class<Fixture> SERVING = Fixture.class;
    private static final String SERVER_TYPE = S3iteServer.class.getName();
    /** The report entry that carries a failed test's requests, one line each. */
    static final String FAILED_TEST_REQUESTS = "s3ite.failedTestRequests";
    private static final int PRINTED_REQUESTS = 50;

    private final Consumer<S3iteServer> configuration;
    private final Map<String, Object> buckets = new LinkedHashMap<>();
    private boolean resetBeforeEach = true;
    private boolean systemProperties;
    private volatile Fixture lastFixture;

    /** An extension with the defaults: what {@code @ExtendWith(S3iteExtension.class)} uses. */
    public S3iteExtension() {
        this(server -> {
        });
    }

    /**
     * An extension whose servers are configured by {@code configuration}: it is given each server the
     * extension creates, before the extension declares its buckets and starts it, and may call any of
     * its {@code withX} methods (it must not start it). For example
     * {@code new S3iteExtension(server -> server.withCredentials("AKIA...", "secret").withRegion("eu-west-1"))}.
     * Against an external endpoint no server is created and the configuration is not used; declare
     * buckets with {@link #withBucket(String)} or {@link S3iteBucket @S3iteBucket} rather than
     * {@code server.withBucket}, so that they exist there too.
     */
    public S3iteExtension(Consumer<S3iteServer> configuration) {
        this.configuration = Objects.requireNonNull(configuration, "configuration");
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
     * {@code aws.secretAccessKey}, {@code aws.region}) at the server (or the external endpoint) while
     * the class runs, restoring them after. JVM-wide: refused when JUnit runs classes concurrently.
     * See {@link S3iteSystemProperties}.
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
     * @throws TestAbortedException against an external endpoint, where there is no server: the test
     *         that asks is skipped
     */
    public S3iteServer getServer() {
        Fixture fixture = lastFixture;
        if (fixture == null) {
            throw new IllegalStateException("The s3ite server starts before the first test of the class"
                    + " (or before each test for an instance field); it is not running yet");
        }
        return fixture.localServer().orElseThrow(() -> new TestAbortedException(localOnly(fixture, "getServer()")));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Fixture fixture = own(context);
        if (fixture == null) {
            fixture = start(context);
        }
        if (serving(context) == fixture) {
            pointSystemPropertiesAt(context, fixture);
        }
    }

    /**
     * Before each test, in this order: the fixture this registration serves the test with (started
     * now for an instance-field registration), then its buckets prepared. Per-test work for the local
     * server alone belongs after that, through {@link #localServer(ExtensionContext)}.
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        Fixture fixture = own(context);
        if (fixture == null) {
            fixture = start(context);
            pointSystemPropertiesAt(context, fixture);
        }
        if (serving(context) != fixture) {
            return;
        }
        prepareBuckets(context, fixture);
        fixture.localServer().ifPresent(server -> {
            server.clearRequests();
            server.clearFaults();
        });
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        onTestFailure(context, throwable);
        throw throwable;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        context.getExecutionException().ifPresent(failure -> onTestFailure(context, failure));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Fixture fixture = serving(context);
        if (fixture instanceof ServerResource local && local.owner() == this && context.getExecutionException().isPresent()) {
            local.keepDataDirectory();
        }
    }

    /**
     * Against an external endpoint, disables what needs the local server: a test that takes an
     * {@link S3iteServer}, or a class whose constructor or class-level lifecycle methods do.
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<Class<?>> testClass = context.getTestClass();
        if (testClass.isEmpty() || ExternalEndpoint.configured(context).isEmpty()) {
            return ConditionEvaluationResult.enabled("s3ite: the tests run against the local server");
        }
        Class<?> type = testClass.get();
        Stream<Executable> asking = context.getTestMethod().isPresent()
                ? Stream.concat(Stream.of(context.getTestMethod().get()), Stream.concat(
                        AnnotationSupport.findAnnotatedMethods(type, BeforeEach.class, HierarchyTraversalMode.TOP_DOWN).stream(),
                        AnnotationSupport.findAnnotatedMethods(type, AfterEach.class, HierarchyTraversalMode.TOP_DOWN).stream()))
                : Stream.concat(Arrays.stream(type.getDeclaredConstructors()), Stream.concat(
                        AnnotationSupport.findAnnotatedMethods(type, BeforeAll.class, HierarchyTraversalMode.TOP_DOWN).stream(),
                        AnnotationSupport.findAnnotatedMethods(type, AfterAll.class, HierarchyTraversalMode.TOP_DOWN).stream()));
        Optional<Executable> needsServer = asking.filter(S3iteExtension::takesServer).findFirst();
        if (needsServer.isPresent()) {
            return ConditionEvaluationResult.disabled("s3ite: " + describe(needsServer.get())
                    + " takes the local S3iteServer, and this run is against "
                    + ExternalEndpoint.configured(context).get().describe() + ": skipped");
        }
        return ConditionEvaluationResult.enabled("s3ite: nothing here needs the local server");
    }

    private static boolean takesServer(Executable executable) {
        return Arrays.stream(executable.getParameterTypes()).anyMatch(type -> SERVER_TYPE.equals(type.getName()));
    }

    private static String describe(Executable executable) {
        return executable instanceof java.lang.reflect.Constructor<?>
                ? "the constructor of " + executable.getDeclaringClass().getSimpleName()
                : executable.getDeclaringClass().getSimpleName() + "." + executable.getName() + "()";
    }

    /**
     * The local server serving {@code context}; empty when none serves it yet, or when the tests run
     * against an external endpoint. Features only the local server has (its request journal, fault
     * injection, bucket snapshots) reach it through here, and do nothing against an external
     * endpoint; a test that asks for one there is skipped through {@link #assumeLocalServer}.
     */
    static Optional<S3iteServer> localServer(ExtensionContext context) {
        Fixture fixture = serving(context);
        return fixture == null ? Optional.empty() : fixture.localServer();
    }

    /**
     * The local server serving {@code context}.
     *
     * @throws TestAbortedException against an external endpoint, naming {@code feature}: the test is
     *         skipped, not failed
     */
    static S3iteServer assumeLocalServer(ExtensionContext context, String feature) {
        Fixture fixture = serving(context);
        if (fixture == null) {
            throw new IllegalStateException("s3ite: no server serves " + context.getDisplayName());
        }
        return fixture.localServer().orElseThrow(() -> new TestAbortedException(localOnly(fixture, feature)));
    }

    private static String localOnly(Fixture fixture, String feature) {
        return "s3ite: " + feature + " needs the local s3ite server, and this run is against " + fixture.describe()
                + ": skipped";
    }

    /**
     * When a test fails, once, as soon as the failure is known (from the test method's exception
     * before any {@code @AfterEach} method runs, or else, a failed lifecycle method, after them):
     * its buckets are copied aside.
     */
    private void onTestFailure(ExtensionContext context, Throwable failure) {
        Fixture fixture = serving(context);
        if (failure instanceof TestAbortedException || fixture == null || fixture.owner() != this) {
            return;
        }
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (store.get(FailedTestBuckets.class) != null) {
            return;
        }
        store.put(FailedTestBuckets.class, Boolean.TRUE);
        keepBucketsOfFailedTest(context, fixture);
        fixture.localServer().ifPresent(server -> printRequestsOfFailedTest(context, server));
    }

    /** The failed test's last requests, one line each, beside its bucket copies; and as a report entry. */
    private static void printRequestsOfFailedTest(ExtensionContext context, S3iteServer server) {
        List<RecordedRequest> requests = server.getRequests();
        if (requests.isEmpty()) {
            return;
        }
        List<RecordedRequest> last = requests.subList(Math.max(0, requests.size() - PRINTED_REQUESTS), requests.size());
        StringBuilder lines = new StringBuilder();
        for (RecordedRequest request : last) {
            lines.append("  ").append(request).append('\n');
        }
        String shown = requests.size() > last.size()
                ? "its last " + last.size() + " of " + requests.size() + " requests" : "its requests";
        System.err.print("s3ite: " + context.getDisplayName() + " failed; " + shown + ":\n" + lines);
        context.publishReportEntry(FAILED_TEST_REQUESTS, lines.toString());
    }

    /** Copies the failed test's buckets into a new directory, reported; only the local server can. */
    private static void keepBucketsOfFailedTest(ExtensionContext context, Fixture fixture) {
        Optional<S3iteServer> local = fixture.localServer();
        if (local.isEmpty()) {
            System.err.println(localOnly(fixture, "copying the buckets of the failed test " + context.getDisplayName()));
            return;
        }
        Path directory = FailedTestBuckets.copy(local.get(), context);
        if (directory != null) {
            System.err.println("s3ite: " + context.getDisplayName() + " failed; its buckets are kept in " + directory);
            context.publishReportEntry(FailedTestBuckets.REPORT_ENTRY, directory.toString());
        }
    }

    /** The fixture this extension started for this context or an enclosing one. */
    private Fixture own(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(this, Fixture.class);
    }

    /** The fixture that serves this context, whichever extension started it. */
    private static Fixture serving(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(SERVING, Fixture.class);
    }

    /**
     * Starts a fixture scoped to {@code context} (a class, or a method for an instance-field
     * registration): a server, or the external endpoint the run was given, with the class's buckets.
     */
    private Fixture start(ExtensionContext context) {
        Map<String, Path> declared = classBuckets(context);
        Optional<ExternalEndpoint> external = ExternalEndpoint.configured(context);
        Fixture fixture = external.isPresent() ? ExternalResource.connect(this, external.get()) : startServer(declared);
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        store.put(this, fixture);
        // The same resource under a second key, for "who serves this context" (close() is idempotent).
        store.put(SERVING, fixture);
        lastFixture = fixture;
        if (external.isPresent()) {
            // After it is in the store: what was created before a failure is removed at close all the same.
            fixture.prepareBuckets(declared, true);
        }
        return fixture;
    }

    private ServerResource startServer(Map<String, Path> declared) {
        S3iteServer server = new S3iteServer();
        try {
            configuration.accept(server);
            for (Map.Entry<String, Path> bucket : declared.entrySet()) {
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
        return new ServerResource(this, server, declared.keySet());
    }

    /**
     * Sets the AWS SDK's system properties for this context when asked to (by this registration or by
     * the class's annotation) and they do not point at this fixture already; closing the context
     * restores what was there before.
     */
    private void pointSystemPropertiesAt(ExtensionContext context, Fixture fixture) {
        boolean wanted = systemProperties || context.getTestClass()
                .map(type -> AnnotationSupport.isAnnotated(type, S3iteSystemProperties.class)).orElse(false);
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        SystemPropertiesResource current = store.get(SystemPropertiesResource.class, SystemPropertiesResource.class);
        if (!wanted || current != null && current.target() == fixture) {
            return;
        }
        refuseConcurrentClasses(context);
        store.put(SystemPropertiesResource.class, new SystemPropertiesResource(fixture));
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

    /** Before each test: the buckets of the class (and the classes it is nested in), then those of the test method. */
    private void prepareBuckets(ExtensionContext context, Fixture fixture) {
        Map<String, Path> wanted = classBuckets(context);
        context.getTestMethod().ifPresent(method -> annotations(method, wanted));
        fixture.prepareBuckets(wanted, resetBeforeEach);
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
        Fixture serving = serving(extensionContext);
        return serving == null || serving.owner() == this;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Fixture fixture = serving(extensionContext);
        if (fixture == null) {
            // A constructor under @TestInstance(PER_CLASS) runs before any BeforeAllCallback.
            fixture = start(extensionContext);
        }
        String type = parameterContext.getParameter().getType().getName();
        if (SERVER_TYPE.equals(type)) {
            Fixture serving = fixture;
            return fixture.localServer().orElseThrow(() -> new ParameterResolutionException(
                    localOnly(serving, "the S3iteServer parameter of " + parameterContext.getDeclaringExecutable())));
        }
        return fixture.client(type);
    }
}
