package io.github.s3ite.junit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.s3ite.server.S3iteServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The extension, driven through JUnit's own engine test kit: each sample class below is run as a
 * user's test class would be, and its outcome checked.
 */
class S3iteExtensionTest {
    /** What sample classes saw, by name, for the assertions after their run. */
    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

    @BeforeEach
    void forget() {
        SEEN.clear();
    }

    private static EngineExecutionResults run(Class<?>... classes) {
        var request = EngineTestKit.engine("junit-jupiter");
        for (Class<?> type : classes) {
            request.selectors(selectClass(type));
        }
        return request.execute();
    }

    private static void assertAllPassed(EngineExecutionResults results) {
        List<String> failures = results.testEvents().failed().stream()
                .map(event -> event.getTestDescriptor().getDisplayName() + ": " + failureOf(event))
                .toList();
        assertTrue(failures.isEmpty(), "failed: " + failures);
        assertTrue(results.testEvents().succeeded().count() > 0, "no test ran");
        assertEquals(0, results.containerEvents().failed().count(), "a container failed: "
                + results.containerEvents().failed().stream().map(S3iteExtensionTest::failureOf).toList());
    }

    private static String failureOf(Event event) {
        return event.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                .map(Throwable::toString).orElse("?");
    }

    private static String allFailures(EngineExecutionResults results) {
        return results.allEvents().failed().stream().map(S3iteExtensionTest::failureOf).collect(Collectors.joining("\n"));
    }

    @Test
    void runsOnTheJUnitMajorVersionTheBuildAskedFor() {
        String expected = System.getProperty("s3ite.expectedJUnitMajor");
        if (expected != null) {
            String version = ExtensionContext.class.getPackage().getImplementationVersion();
            assertTrue(version.startsWith(expected + "."), "JUnit Jupiter " + version + ", expected " + expected + ".x");
        }
    }

    // ---------------------------------------------------------------- seeded buckets and isolation

    @ExtendWith(S3iteExtension.class)
    @S3iteBucket(name = "photos", seed = "fixtures/photos.sqlite3")
    @S3iteBucket(name = "scratch")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class SeededSample {
        @Test
        @Order(1)
        void writesAndDeletes(S3Client s3) {
            s3.deleteObject(b -> b.bucket("photos").key("hello.txt"));
            s3.putObject(b -> b.bucket("photos").key("added.txt"), RequestBody.fromString("x"));
            s3.putObject(b -> b.bucket("scratch").key("left-over"), RequestBody.fromString("x"));
            s3.createBucket(b -> b.bucket("undeclared"));
        }

        @Test
        @Order(2)
        void seesTheSeedAgain(S3Client s3) {
            assertEquals("hello world", s3.getObjectAsBytes(b -> b.bucket("photos").key("hello.txt")).asUtf8String());
            assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket("photos").key("added.txt")));
            assertTrue(s3.listObjectsV2(b -> b.bucket("scratch")).contents().isEmpty());
            assertThrows(NoSuchBucketException.class, () -> s3.headBucket(b -> b.bucket("undeclared")));
        }
    }

    @Test
    void everyTestStartsFromTheSeedAndTheSeedFileIsNeverWritten() throws Exception {
        Path seed = Path.of(getClass().getResource("/fixtures/photos.sqlite3").toURI());
        byte[] before = Files.readAllBytes(seed);
        assertAllPassed(run(SeededSample.class));
        assertArrayEquals(before, Files.readAllBytes(seed));
        assertFalse(Files.exists(Path.of(seed + "-wal")));
    }

    @ExtendWith(S3iteExtension.class)
    @S3iteBucket(name = "photos", seed = "fixtures/photos.sqlite3")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class SeededConfigurationSample {
        @Test
        @Order(1)
        void configuresAndWrites(S3Client s3) {
            s3.putBucketVersioning(b -> b.bucket("photos").versioningConfiguration(v -> v.status("Enabled")));
            s3.putBucketCors(b -> b.bucket("photos").corsConfiguration(c -> c.corsRules(r -> r.allowedOrigins("*")
                    .allowedMethods("GET"))));
            s3.putBucketEncryption(b -> b.bucket("photos").serverSideEncryptionConfiguration(c -> c.rules(r -> r
                    .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm("aws:kms")))));
            s3.putObject(b -> b.bucket("photos").key("hello.txt"), RequestBody.fromString("changed"));
            s3.putObjectTagging(b -> b.bucket("photos").key("images/cat.jpg").tagging(t -> t.tagSet(
                    software.amazon.awssdk.services.s3.model.Tag.builder().key("k").value("v").build())));
            s3.createMultipartUpload(b -> b.bucket("photos").key("another"));
        }

        @Test
        @Order(2)
        void seesTheSeedsConfigurationAgain(S3Client s3) {
            assertNull(s3.getBucketVersioning(b -> b.bucket("photos")).status());
            assertEquals(404, assertThrows(software.amazon.awssdk.services.s3.model.S3Exception.class,
                    () -> s3.getBucketCors(b -> b.bucket("photos"))).statusCode());
            assertEquals("AES256", s3.getBucketEncryption(b -> b.bucket("photos")).serverSideEncryptionConfiguration()
                    .rules().get(0).applyServerSideEncryptionByDefault().sseAlgorithmAsString());
            assertEquals("hello world", s3.getObjectAsBytes(b -> b.bucket("photos").key("hello.txt")).asUtf8String());
            assertTrue(s3.getObjectTagging(b -> b.bucket("photos").key("images/cat.jpg")).tagSet().isEmpty());
            assertTrue(s3.listMultipartUploads(b -> b.bucket("photos")).uploads().stream()
                    .noneMatch(upload -> upload.key().equals("another")));
        }
    }

    @Test
    void aResetPutsBackInPlaceWhatATestChangedConfigurationsIncluded() {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("io.github.s3ite.server.storage.BucketStore");
        List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                messages.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Level level = logger.getLevel();
        logger.setLevel(java.util.logging.Level.FINE);
        logger.addHandler(handler);
        try {
            assertAllPassed(run(SeededConfigurationSample.class));
        } finally {
            logger.removeHandler(handler);
            logger.setLevel(level);
        }
        assertTrue(messages.stream().anyMatch(message -> message.contains("changed rows put back")), messages.toString());
        assertTrue(messages.stream().noneMatch(message -> message.contains("copied (another")), messages.toString());
    }

    @ExtendWith(S3iteExtension.class)
    @S3iteBucket(name = "broken", seed = "fixtures/no-such-seed.sqlite3")
    static class MissingSeedSample {
        @Test
        void neverRuns() {
        }
    }

    @Test
    void aMissingSeedFailsNamingTheFile() {
        EngineExecutionResults results = run(MissingSeedSample.class);
        assertTrue(allFailures(results).contains("fixtures/no-such-seed.sqlite3"), allFailures(results));
    }

    @ExtendWith(S3iteExtension.class)
    @S3iteBucket(name = "broken", seed = "fixtures/not-a-database.sqlite3")
    static class CorruptSeedSample {
        @Test
        void neverRuns() {
        }
    }

    @Test
    void aCorruptSeedFailsNamingTheFile() {
        EngineExecutionResults results = run(CorruptSeedSample.class);
        assertTrue(allFailures(results).contains("not-a-database.sqlite3"), allFailures(results));
    }

    @ExtendWith(S3iteExtension.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class MethodBucketSample {
        @Test
        @S3iteBucket(name = "only-here")
        @Order(1)
        void hasItsBucket(S3Client s3) {
            s3.headBucket(b -> b.bucket("only-here"));
        }

        @Test
        @Order(2)
        void doesNotSeeAnotherMethodsBucket(S3Client s3, S3iteServer server) {
            assertThrows(NoSuchBucketException.class, () -> s3.headBucket(b -> b.bucket("only-here")));
            assertEquals(Set.of(), server.getBucketNames());
        }
    }

    @Test
    void methodLevelBucketsLastForTheirTestOnly() {
        assertAllPassed(run(MethodBucketSample.class));
    }

    // ---------------------------------------------------------------- injection

    @ExtendWith(S3iteExtension.class)
    @S3iteBucket(name = "injected")
    static class InjectionSample {
        private final S3Client fromConstructor;

        InjectionSample(S3Client s3) {
            this.fromConstructor = s3;
        }

        @BeforeAll
        static void beforeAll(S3iteServer server) {
            SEEN.put("beforeAll", server);
        }

        @BeforeEach
        void beforeEach(S3AsyncClient async) {
            SEEN.put("async", async);
        }

        @Test
        void everyKindIsInjected(S3Client s3, S3AsyncClient async, S3Presigner presigner, S3iteServer server) {
            assertSame(s3, fromConstructor, "one client of a kind per server");
            assertSame(SEEN.get("beforeAll"), server);
            assertSame(SEEN.get("async"), async);
            s3.putObject(b -> b.bucket("injected").key("k"), RequestBody.fromString("v"));
            assertEquals("v", async.getObject(b -> b.bucket("injected").key("k"),
                    software.amazon.awssdk.core.async.AsyncResponseTransformer.toBytes()).join().asUtf8String());
            URI url = URI.create(presigner.presignGetObject(p -> p.signatureDuration(java.time.Duration.ofMinutes(1))
                    .getObjectRequest(g -> g.bucket("injected").key("k"))).url().toString());
            assertEquals(server.getPort(), url.getPort());
        }
    }

    @Test
    void clientsAndTheServerAreInjectedIntoConstructorsLifecycleAndTestMethods() {
        assertAllPassed(run(InjectionSample.class));
    }

    // ---------------------------------------------------------------- registration styles

    static class StaticRegistrationSample {
        @RegisterExtension
        static S3iteExtension s3 = new S3iteExtension(server -> server
                .withCredentials("AKIASTATIC", "static-secret")
                .withRegion("eu-west-1"))
                .withBucket("configured");

        @Test
        void first(S3iteServer server) {
            SEEN.put("first", server.getPort());
            assertSame(server, s3.getServer());
        }

        @Test
        void second(S3iteServer server, S3Client client) {
            SEEN.put("second", server.getPort());
            assertEquals("AKIASTATIC", server.getAccessKey());
            assertEquals("eu-west-1", server.getRegion());
            client.headBucket(b -> b.bucket("configured"));
        }
    }

    @Test
    void aStaticFieldMeansOneServerPerClass() {
        assertAllPassed(run(StaticRegistrationSample.class));
        assertEquals(SEEN.get("first"), SEEN.get("second"));
    }

    static class InstanceRegistrationSample {
        @RegisterExtension
        S3iteExtension s3 = new S3iteExtension().withBucket("fresh");

        @Test
        void first(S3iteServer server) {
            SEEN.put("first", server.getPort());
        }

        @Test
        void second(S3iteServer server) {
            SEEN.put("second", server.getPort());
            assertSame(server, s3.getServer());
        }
    }

    @Test
    void anInstanceFieldMeansOneServerPerTestMethod() {
        assertAllPassed(run(InstanceRegistrationSample.class));
        assertNotNull(SEEN.get("first"));
        assertNotEquals(SEEN.get("first"), SEEN.get("second"));
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class NoResetSample {
        @RegisterExtension
        static S3iteExtension s3 = new S3iteExtension().withBucket("kept").withResetBeforeEach(false);

        @Test
        @Order(1)
        void writes(S3Client client) {
            client.putObject(b -> b.bucket("kept").key("state"), RequestBody.fromString("kept"));
        }

        @Test
        @Order(2)
        void stillSeesIt(S3Client client) {
            assertEquals("kept", client.getObjectAsBytes(b -> b.bucket("kept").key("state")).asUtf8String());
        }
    }

    @Test
    void resetBeforeEachCanBeTurnedOff() {
        assertAllPassed(run(NoResetSample.class));
    }

    // ---------------------------------------------------------------- nested classes

    @ExtendWith(S3iteExtension.class)
    @S3iteBucket(name = "outer")
    static class NestedSample {
        @Test
        void outerTest(S3iteServer server) {
            SEEN.put("outer", server);
        }

        @Nested
        @S3iteBucket(name = "inner")
        class Inner {
            @Test
            void innerTest(S3iteServer server, S3Client s3) {
                SEEN.put("inner", server);
                s3.headBucket(b -> b.bucket("outer"));
                s3.headBucket(b -> b.bucket("inner"));
            }
        }
    }

    @Test
    void nestedClassesShareTheOuterServerAndAddTheirBuckets() {
        assertAllPassed(run(NestedSample.class));
        assertSame(SEEN.get("outer"), SEEN.get("inner"));
    }

    // ---------------------------------------------------------------- failures keep the buckets

    @ExtendWith(S3iteExtension.class)
    @S3iteBucket(name = "evidence")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class FailingSample {
        @Test
        @Order(1)
        void fails(S3iteServer server, S3Client s3) {
            SEEN.put("directory", server.getDataDirectory());
            s3.putObject(b -> b.bucket("evidence").key("state"), RequestBody.fromString("what the test left"));
            throw new AssertionError("deliberate failure");
        }

        @AfterEach
        void cleansUp(S3Client s3) {
            s3.deleteObject(b -> b.bucket("evidence").key("state"));
        }

        @Test
        @Order(2)
        void passesAfterwards(S3Client s3) {
            assertEquals(0, s3.listObjectsV2(b -> b.bucket("evidence")).keyCount());
        }
    }

    @Test
    void aFailedTestsBucketsAreCopiedAsItLeftThemAndThePathReported() throws Exception {
        EngineExecutionResults results = run(FailingSample.class);
        assertEquals(1, results.testEvents().failed().count());
        assertEquals(1, results.testEvents().succeeded().count());
        List<String> reported = results.allEvents().reportingEntryPublished().stream()
                .map(event -> event.getPayload(org.junit.platform.engine.reporting.ReportEntry.class).orElseThrow())
                .map(entry -> entry.getKeyValuePairs().get(FailedTestBuckets.REPORT_ENTRY))
                .filter(Objects::nonNull)
                .toList();
        assertEquals(1, reported.size(), "one report entry for the one failure: " + reported);
        Path kept = Path.of(reported.get(0));
        try {
            assertEquals("what the test left", valueIn(kept.resolve("evidence.sqlite3"), "state"),
                    "copied when the test failed, before @AfterEach and the next test's reset");
        } finally {
            deleteDirectory(kept);
        }
        assertFalse(Files.exists((Path) SEEN.get("directory")), "the server's own directory is removed");
    }

    @ExtendWith(S3iteExtension.class)
    @S3iteBucket(name = "evidence")
    static class FailingAfterAllSample {
        @Test
        void writes(S3iteServer server, S3Client s3) {
            SEEN.put("directory", server.getDataDirectory());
            s3.putObject(b -> b.bucket("evidence").key("state"), RequestBody.fromString("class state"));
        }

        @AfterAll
        static void failsAfterAll(S3Client s3) {
            s3.putObject(b -> b.bucket("evidence").key("after-all"), RequestBody.fromString("x"));
            throw new AssertionError("deliberate failure in @AfterAll");
        }
    }

    @Test
    void aFailedClassKeepsTheServersDataDirectory() throws Exception {
        EngineExecutionResults results = run(FailingAfterAllSample.class);
        assertEquals(1, results.containerEvents().failed().count());
        Path kept = (Path) SEEN.get("directory");
        try {
            assertTrue(Files.exists(kept.resolve("evidence.sqlite3")), "kept " + kept);
            assertEquals("x", valueIn(kept.resolve("evidence.sqlite3"), "after-all"));
        } finally {
            deleteDirectory(kept);
        }
    }

    @ExtendWith(S3iteExtension.class)
    static class PassingSample {
        @Test
        void passes(S3iteServer server) {
            SEEN.put("directory", server.getDataDirectory());
        }

        @Test
        void isSkipped() {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "an aborted test is no failure");
        }
    }

    @Test
    void passingAndAbortedTestsLeaveNothingBehind() {
        EngineExecutionResults results = run(PassingSample.class);
        assertEquals(1, results.testEvents().aborted().count());
        assertEquals(0, results.allEvents().reportingEntryPublished().count());
        assertFalse(Files.exists((Path) SEEN.get("directory")));
    }

    private static String valueIn(Path bucketFile, String key) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + bucketFile);
             var statement = connection.prepareStatement("SELECT value FROM data WHERE key = ?")) {
            statement.setString(1, key);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? new String(row.getBytes(1), StandardCharsets.UTF_8) : null;
            }
        }
    }

    private static void deleteDirectory(Path directory) throws Exception {
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }

    // ---------------------------------------------------------------- nested classes with their own server

    @ExtendWith(S3iteExtension.class)
    @S3iteBucket(name = "outer")
    static class NestedOwnServerSample {
        @Test
        void outerTest(S3iteServer server) {
            SEEN.put("outer", server);
        }

        @Nested
        class WithItsOwn {
            @RegisterExtension
            static S3iteExtension own = new S3iteExtension(server -> server.withRegion("eu-north-1"))
                    .withBucket("own");

            @Test
            void innerTest(S3iteServer server, S3Client s3) {
                SEEN.put("inner", server);
                assertSame(own.getServer(), server);
                assertEquals("eu-north-1", server.getRegion());
                s3.headBucket(b -> b.bucket("own"));
                s3.headBucket(b -> b.bucket("outer"));
            }
        }
    }

    @Test
    void aNestedClassWithItsOwnRegistrationGetsItsOwnServer() {
        assertAllPassed(run(NestedOwnServerSample.class));
        assertNotSame(SEEN.get("outer"), SEEN.get("inner"));
    }

    // ---------------------------------------------------------------- inheritance

    @ExtendWith(S3iteExtension.class)
    @S3iteBucket(name = "from-base")
    abstract static class BaseSample {
    }

    @S3iteBucket(name = "from-subclass")
    static class InheritingSample extends BaseSample {
        @Test
        void seesBothBuckets(S3iteServer server) {
            assertEquals(Set.of("from-base", "from-subclass"), server.getBucketNames());
        }
    }

    @Test
    void aSubclassInheritsTheExtensionAndTheBucketsOfItsBase() {
        assertAllPassed(run(InheritingSample.class));
    }

    // ---------------------------------------------------------------- one instance per class

    @ExtendWith(S3iteExtension.class)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @S3iteBucket(name = "per-class")
    static class PerClassLifecycleSample {
        private final S3Client s3;
        private final S3iteServer server;

        PerClassLifecycleSample(S3Client s3, S3iteServer server) {
            this.s3 = s3;
            this.server = server;
        }

        @Test
        void theConstructorGotTheServerThatServesTheTests(S3iteServer injected) {
            assertSame(server, injected);
            s3.headBucket(b -> b.bucket("per-class"));
        }
    }

    @Test
    void aPerClassTestInstanceGetsClientsInItsConstructor() {
        assertAllPassed(run(PerClassLifecycleSample.class));
    }

    // ---------------------------------------------------------------- system properties

    @ExtendWith(S3iteExtension.class)
    @S3iteSystemProperties
    @S3iteBucket(name = "from-properties")
    static class SystemPropertiesSample {
        @Test
        void codeThatBuildsItsOwnClientReachesTheServer(S3iteServer server) {
            assertEquals(server.getEndpoint().toString(), System.getProperty("aws.endpointUrl"));
            try (S3Client own = S3Client.builder().build()) {
                own.putObject(b -> b.bucket("from-properties").key("k"), RequestBody.fromString("v"));
            }
            assertEquals("v", server.createClient().getObjectAsBytes(b -> b.bucket("from-properties").key("k"))
                    .asUtf8String());
        }
    }

    @Test
    void systemPropertiesPointAtTheServerForTheClassAndAreRestoredAfter() {
        System.setProperty("aws.region", "ap-south-1");
        try {
            assertAllPassed(run(SystemPropertiesSample.class));
            assertEquals("ap-south-1", System.getProperty("aws.region"));
            assertNull(System.getProperty("aws.endpointUrl"));
        } finally {
            System.clearProperty("aws.region");
        }
    }

    @ExtendWith(S3iteExtension.class)
    @S3iteBucket(name = "shared")
    static class NestedSystemPropertiesSample {
        @Test
        void outerTestSeesNoProperties() {
            assertNull(System.getProperty("aws.endpointUrl"));
        }

        @Nested
        @S3iteSystemProperties
        class Inner {
            @Test
            void innerTestSeesTheSharedServer(S3iteServer server) {
                assertEquals(server.getEndpoint().toString(), System.getProperty("aws.endpointUrl"));
                assertEquals(server.getAccessKey(), System.getProperty("aws.accessKeyId"));
            }
        }
    }

    @Test
    void aNestedClassCanAskForSystemPropertiesPointingAtTheServerItShares() {
        assertAllPassed(run(NestedSystemPropertiesSample.class));
        assertNull(System.getProperty("aws.endpointUrl"));
        assertNull(System.getProperty("aws.accessKeyId"));
    }

    @Test
    void systemPropertiesAreRefusedWhenClassesRunConcurrently() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .selectors(selectClass(SystemPropertiesSample.class))
                .execute();
        assertTrue(allFailures(results).contains("JVM-wide"), allFailures(results));
        assertNull(System.getProperty("aws.endpointUrl"));
    }

    // ---------------------------------------------------------------- parallel classes

    @ExtendWith(S3iteExtension.class)
    @S3iteBucket(name = "shared-name")
    static class ParallelOneSample {
        @Test
        void writesItsOwn(S3Client s3, S3iteServer server) {
            SEEN.put("one", server.getPort());
            s3.putObject(b -> b.bucket("shared-name").key("one"), RequestBody.fromString("1"));
            assertEquals(1, s3.listObjectsV2(b -> b.bucket("shared-name")).contents().size());
        }
    }

    @ExtendWith(S3iteExtension.class)
    @S3iteBucket(name = "shared-name")
    static class ParallelTwoSample {
        @Test
        void writesItsOwn(S3Client s3, S3iteServer server) {
            SEEN.put("two", server.getPort());
            s3.putObject(b -> b.bucket("shared-name").key("two"), RequestBody.fromString("2"));
            assertEquals(1, s3.listObjectsV2(b -> b.bucket("shared-name")).contents().size());
        }
    }

    @Test
    void classesRunInParallelEachWithItsOwnServer() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .selectors(selectClass(ParallelOneSample.class), selectClass(ParallelTwoSample.class),
                        selectClass(SeededSample.class))
                .execute();
        assertAllPassed(results);
        assertNotEquals(SEEN.get("one"), SEEN.get("two"));
    }

    // ---------------------------------------------------------------- read-only

    static class ReadOnlySample {
        @RegisterExtension
        static S3iteExtension s3 = new S3iteExtension(server -> server.withReadOnly(true))
                .withBucket("photos", "fixtures/photos.sqlite3");

        @Test
        void readsButCannotWrite(S3Client client) {
            assertEquals("hello world", client.getObjectAsBytes(b -> b.bucket("photos").key("hello.txt")).asUtf8String());
            var error = assertThrows(software.amazon.awssdk.services.s3.model.S3Exception.class,
                    () -> client.putObject(b -> b.bucket("photos").key("x"), RequestBody.fromString("x")));
            assertEquals("AccessDenied", error.awsErrorDetails().errorCode());
        }

        @AfterAll
        static void serverStillRuns() {
            assertTrue(s3.getServer().isRunning());
        }
    }

    @Test
    void aReadOnlyServerServesItsSeeds() {
        assertAllPassed(run(ReadOnlySample.class));
    }

    // ---------------------------------------------------------------- HTTPS

    static class HttpsSample {
        @RegisterExtension
        static S3iteExtension s3 = new S3iteExtension(server -> server.withHttps()).withBucket("secure");

        @Test
        void theInjectedClientsTrustTheGeneratedCertificate(S3iteServer server, S3Client client, S3AsyncClient async,
                                                            software.amazon.awssdk.services.s3.presigner.S3Presigner presigner)
                throws Exception {
            assertEquals("https", server.getEndpoint().getScheme());
            client.putObject(b -> b.bucket("secure").key("sync"), RequestBody.fromString("sync over TLS"));
            assertEquals("sync over TLS", async.getObject(b -> b.bucket("secure").key("sync"),
                    software.amazon.awssdk.core.async.AsyncResponseTransformer.toBytes()).join().asUtf8String());
            java.net.URI url = presigner.presignGetObject(p -> p.signatureDuration(java.time.Duration.ofMinutes(1))
                    .getObjectRequest(g -> g.bucket("secure").key("sync"))).url().toURI();
            java.net.http.HttpResponse<String> fetched = java.net.http.HttpClient.newBuilder()
                    .sslContext(server.getClientSslContext()).build()
                    .send(java.net.http.HttpRequest.newBuilder(url).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals("sync over TLS", fetched.body());
            assertTrue(server.getRequests().stream().allMatch(io.github.s3ite.server.RecordedRequest::secureTransport));
        }
    }

    @Test
    void aServerConfiguredForHttpsIsReachedByTheInjectedClients() {
        assertAllPassed(run(HttpsSample.class));
    }
}
