package io.github.s3ite.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The switch to a real S3, tested against a second s3ite started as the standalone command in its
 * own process: sample classes written for the local server run unchanged against it, and the
 * external server's state is checked after each run.
 */
class ExternalEndpointTest {
    private static final String ACCESS_KEY = "AKIAEXTERNAL";
    private static final String SECRET_KEY = "external-secret";
    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

    private static Path dataDirectory;
    private static StandaloneServer external;
    private static S3Client admin;

    @BeforeAll
    static void startTheExternalServer() throws Exception {
        dataDirectory = Files.createTempDirectory("s3ite-external-");
        external = new StandaloneServer(dataDirectory, "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY);
        admin = S3Client.builder()
                .endpointOverride(external.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .forcePathStyle(true)
                .build();
    }

    @AfterAll
    static void stopTheExternalServer() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (external != null) {
            external.close();
        }
        if (dataDirectory != null) {
            try (var files = Files.list(dataDirectory)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dataDirectory);
        }
    }

    @BeforeEach
    void forget() {
        SEEN.clear();
    }

    @AfterEach
    void noBucketIsLeftBehind() {
        assertEquals(Set.of(), bucketsOfTheExternalServer(), "what the extension created is removed at the end");
    }

    /** Runs sample classes with the switch given as system properties, as {@code mvn test -Ds3ite.endpoint=...} does. */
    private static EngineExecutionResults runAgainstExternal(Class<?>... classes) {
        Map<String, String> properties = Map.of(
                ExternalEndpoint.ENDPOINT, external.endpoint().toString(),
                ExternalEndpoint.ACCESS_KEY, ACCESS_KEY,
                ExternalEndpoint.SECRET_KEY, SECRET_KEY);
        properties.forEach(System::setProperty);
        try {
            var request = EngineTestKit.engine("junit-jupiter");
            for (Class<?> type : classes) {
                request.selectors(selectClass(type));
            }
            return request.execute();
        } finally {
            properties.keySet().forEach(System::clearProperty);
        }
    }

    private static Set<String> bucketsOfTheExternalServer() {
        return admin.listBuckets().buckets().stream().map(Bucket::name).collect(Collectors.toSet());
    }

    private static String failureOf(Event event) {
        return event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                .map(Throwable::toString).orElse("?");
    }

    private static List<String> failures(EngineExecutionResults results) {
        return results.allEvents().failed().stream()
                .map(event -> event.getTestDescriptor().getDisplayName() + ": " + failureOf(event)).toList();
    }

    // ---------------------------------------------------------------- the same test class, unchanged

    @ExtendWith(S3iteExtension.class)
    @S3iteBucket(name = "ext-photos", seed = "fixtures/photos.sqlite3")
    @S3iteBucket(name = "ext-scratch")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class SeededSample {
        @BeforeAll
        static void bucketsExistBeforeTheFirstTest(S3Client s3) {
            s3.headBucket(b -> b.bucket("ext-photos"));
            SEEN.put("endpoint", s3.serviceClientConfiguration().endpointOverride().orElseThrow());
        }

        @Test
        @Order(1)
        void seesTheSeedAndWrites(S3Client s3) {
            assertEquals("hello world", s3.getObjectAsBytes(b -> b.bucket("ext-photos").key("hello.txt")).asUtf8String());
            assertEquals("nikon", s3.headObject(b -> b.bucket("ext-photos").key("images/cat.jpg")).metadata().get("camera"));
            assertEquals(8, s3.listObjectsV2(b -> b.bucket("ext-photos")).keyCount());
            s3.deleteObject(b -> b.bucket("ext-photos").key("hello.txt"));
            s3.putObject(b -> b.bucket("ext-photos").key("labels.csv"), RequestBody.fromString("overwritten"));
            s3.putObject(b -> b.bucket("ext-photos").key("added.txt"), RequestBody.fromString("x"));
            s3.putObject(b -> b.bucket("ext-scratch").key("left-over"), RequestBody.fromString("x"));
            s3.createMultipartUpload(b -> b.bucket("ext-scratch").key("unfinished"));
        }

        @Test
        @Order(2)
        void seesTheSeedAgain(S3Client s3) {
            assertEquals("hello world", s3.getObjectAsBytes(b -> b.bucket("ext-photos").key("hello.txt")).asUtf8String());
            assertTrue(s3.getObjectAsBytes(b -> b.bucket("ext-photos").key("labels.csv")).asUtf8String()
                    .startsWith("file,label"));
            assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket("ext-photos").key("added.txt")));
            assertEquals(8, s3.listObjectsV2(b -> b.bucket("ext-photos")).keyCount());
            assertEquals(0, s3.listObjectsV2(b -> b.bucket("ext-scratch")).keyCount());
            assertTrue(s3.listMultipartUploads(b -> b.bucket("ext-scratch")).uploads().isEmpty());
        }

        @Test
        @Order(3)
        @S3iteBucket(name = "ext-method")
        void hasItsOwnBucket(S3Client s3) {
            s3.putObject(b -> b.bucket("ext-method").key("k"), RequestBody.fromString("v"));
        }

        @Test
        @Order(4)
        void doesNotSeeAnotherMethodsBucket(S3Client s3) {
            assertThrows(NoSuchBucketException.class, () -> s3.headBucket(b -> b.bucket("ext-method")));
        }

        @Test
        @Order(5)
        void needsTheLocalServer(io.github.s3ite.server.S3iteServer server) {
            server.getBucketNames();
        }
    }

    @Test
    void aTestClassRunsUnchangedAgainstTheExternalEndpointAndLeavesNothingThere() throws Exception {
        EngineExecutionResults results = runAgainstExternal(SeededSample.class);
        assertEquals(List.of(), failures(results));
        assertEquals(4, results.testEvents().succeeded().count());
        assertEquals(external.endpoint(), SEEN.get("endpoint"), "the injected client talks to the external endpoint");
        List<String> skipped = results.testEvents().skipped().stream()
                .map(event -> event.getPayload(String.class).orElse("")).toList();
        assertEquals(1, skipped.size());
        assertTrue(skipped.get(0).contains("S3iteServer") && skipped.get(0).contains(external.endpoint().toString()),
                skipped.get(0));
        try (var files = Files.list(dataDirectory)) {
            assertEquals(List.of(), files.filter(file -> file.toString().endsWith(".sqlite3")).toList(),
                    "the external server's buckets were deleted, not just emptied");
        }
    }

    // ---------------------------------------------------------------- a bucket that exists already

    @ExtendWith(S3iteExtension.class)
    @S3iteBucket(name = "ext-existing", seed = "fixtures/photos.sqlite3")
    static class ExistingBucketSample {
        @Test
        void writes(S3Client s3) {
            s3.putObject(b -> b.bucket("ext-existing").key("written"), RequestBody.fromString("x"));
            assertEquals(9, s3.listObjectsV2(b -> b.bucket("ext-existing")).keyCount());
        }
    }

    @Test
    void anEmptyBucketThatExistsIsUsedAndLeftEmpty() {
        admin.createBucket(b -> b.bucket("ext-existing"));
        try {
            EngineExecutionResults results = runAgainstExternal(ExistingBucketSample.class);
            assertEquals(List.of(), failures(results));
            assertEquals(1, results.testEvents().succeeded().count());
            assertEquals(0, admin.listObjectsV2(b -> b.bucket("ext-existing")).keyCount(), "emptied, as it was found");
        } finally {
            admin.deleteBucket(b -> b.bucket("ext-existing"));
        }
    }

    @Test
    void aBucketThatExistsWithObjectsFailsTheClassAndIsLeftAlone() {
        admin.createBucket(b -> b.bucket("ext-existing"));
        admin.putObject(b -> b.bucket("ext-existing").key("precious"), RequestBody.fromString("not yours"));
        try {
            EngineExecutionResults results = runAgainstExternal(ExistingBucketSample.class);
            assertEquals(0, results.testEvents().succeeded().count());
            String failures = String.join("\n", failures(results));
            assertTrue(failures.contains("ext-existing") && failures.contains("not empty") && failures.contains("precious"),
                    failures);
            List<S3Object> left = admin.listObjectsV2(b -> b.bucket("ext-existing")).contents();
            assertEquals(List.of("precious"), left.stream().map(S3Object::key).toList());
        } finally {
            admin.deleteObject(b -> b.bucket("ext-existing").key("precious"));
            admin.deleteBucket(b -> b.bucket("ext-existing"));
        }
    }

    // ---------------------------------------------------------------- what only the local server has

    @S3iteSystemProperties
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class RegisteredSample {
        @RegisterExtension
        static S3iteExtension s3 = new S3iteExtension(server -> server.withRegion("eu-west-1"))
                .withBucket("ext-registered");

        @Test
        @Order(1)
        void codeThatBuildsItsOwnClientReachesTheEndpoint() {
            SEEN.put("aws.endpointUrl", System.getProperty("aws.endpointUrl"));
            try (S3Client own = S3Client.builder().forcePathStyle(true).build()) {
                own.putObject(b -> b.bucket("ext-registered").key("k"), RequestBody.fromString("v"));
            }
        }

        @Test
        @Order(2)
        void getServerSkipsTheTest() {
            s3.getServer();
        }

        @Test
        @Order(3)
        void failsOnPurpose(S3Client client) {
            client.putObject(b -> b.bucket("ext-registered").key("evidence"), RequestBody.fromString("x"));
            throw new AssertionError("deliberate failure");
        }
    }

    @Test
    void theServerConfigurationIsIgnoredAndLocalOnlyFeaturesAreSkipped() {
        EngineExecutionResults results = runAgainstExternal(RegisteredSample.class);
        assertEquals(1, results.testEvents().succeeded().count(), String.join("\n", failures(results)));
        assertEquals(external.endpoint().toString(), SEEN.get("aws.endpointUrl"));
        assertNull(System.getProperty("aws.endpointUrl"), "restored after the class");
        List<String> aborted = results.testEvents().aborted().stream().map(ExternalEndpointTest::failureOf).toList();
        assertEquals(1, aborted.size());
        assertTrue(aborted.get(0).contains("getServer()") && aborted.get(0).contains("external endpoint"), aborted.get(0));
        assertEquals(1, results.testEvents().failed().count(), "the deliberate failure, and nothing else");
        assertEquals(0, results.allEvents().reportingEntryPublished().count(), "no bucket copy of a failed test");
    }

    // ---------------------------------------------------------------- configuration mistakes

    @ExtendWith(S3iteExtension.class)
    @S3iteBucket(name = "never-created")
    static class AnySample {
        @Test
        void neverRuns() {
        }
    }

    @Test
    void aMalformedEndpointFailsNamingTheSetting() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter(ExternalEndpoint.ENDPOINT, "localhost:9000")
                .selectors(selectClass(AnySample.class)).execute();
        String failures = String.join("\n", failures(results));
        assertTrue(failures.contains("s3ite.endpoint") && failures.contains("localhost:9000"), failures);
    }

    @Test
    void anAccessKeyWithoutASecretKeyFailsNamingBoth() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter(ExternalEndpoint.ENDPOINT, external.endpoint().toString())
                .configurationParameter(ExternalEndpoint.ACCESS_KEY, ACCESS_KEY)
                .selectors(selectClass(AnySample.class)).execute();
        String failures = String.join("\n", failures(results));
        assertTrue(failures.contains("s3ite.accessKey") && failures.contains("s3ite.secretKey"), failures);
        assertFalse(bucketsOfTheExternalServer().contains("never-created"));
    }

    @Test
    void aJUnitConfigurationParameterIsASwitchToo() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter(ExternalEndpoint.ENDPOINT, external.endpoint().toString())
                .configurationParameter(ExternalEndpoint.ACCESS_KEY, ACCESS_KEY)
                .configurationParameter(ExternalEndpoint.SECRET_KEY, SECRET_KEY)
                .selectors(selectClass(ExistingBucketSample.class)).execute();
        assertEquals(List.of(), failures(results));
        assertEquals(1, results.testEvents().succeeded().count());
    }
}
