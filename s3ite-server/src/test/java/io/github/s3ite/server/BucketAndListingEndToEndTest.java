package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Bucket operations and the three listings through the AWS SDK v2. */
class BucketAndListingEndToEndTest {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3iteServer server;
    private static S3Client s3;
    private String bucket;

    @BeforeAll
    static void start() {
        server = new S3iteServer().start();
        s3 = server.createClient();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void newBucket() {
        bucket = "listing-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket));
    }

    private void put(String... keys) {
        for (String key : keys) {
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(key));
        }
    }

    @Test
    void createBucketMakesAFileAndListBucketsShowsIt() {
        assertTrue(Files.exists(server.getDataDirectory().resolve(bucket + ".sqlite3")));
        assertTrue(s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(bucket)));
        assertNotNull(s3.listBuckets().buckets().get(0).creationDate());
        s3.headBucket(b -> b.bucket(bucket));
    }

    @Test
    void reCreatingABucketYouOwnInUsEast1Answers200AndKeepsItsObjects() {
        put("kept.txt");
        s3.createBucket(b -> b.bucket(bucket));
        assertEquals(List.of("kept.txt"),
                s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList());
    }

    @Test
    void invalidBucketNamesAreRefusedAndTouchNothingOutsideTheDataDirectory() throws Exception {
        Path outside = server.getDataDirectory().getParent();
        Set<String> before;
        try (var files = Files.list(outside)) {
            before = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
        HttpClient http = HttpClient.newHttpClient();
        try (S3iteServer anonymous = new S3iteServer(server.getDataDirectory()).withAnonymousAccess().start()) {
            for (String rawName : List.of("UPPER", "ab", "a_b", "-start", "end-", "192.168.1.1", "xn--abc", "a..b",
                    "..%2Fx", "..", "%2E%2E", "a%2Fb", "x".repeat(64))) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(anonymous.getEndpoint() + "/" + rawName)).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(400, response.statusCode(), rawName + ": " + response.body());
                assertTrue(response.body().contains("<Code>InvalidBucketName</Code>"), rawName + ": " + response.body());
            }
        }
        // the directory is shared (a temporary directory): other processes may add files of their own
        // meanwhile, so what is checked is that nothing a bucket could have made appeared
        try (var files = Files.list(outside)) {
            Set<String> added = files.map(p -> p.getFileName().toString()).filter(name -> !before.contains(name))
                    .filter(name -> name.endsWith(".sqlite3") || name.endsWith(".sqlite3-wal")
                            || name.endsWith(".sqlite3-shm") || Set.of("x", "a", "..", "UPPER").contains(name))
                    .collect(Collectors.toSet());
            assertEquals(Set.of(), added);
        }
        try (var files = Files.list(server.getDataDirectory())) {
            assertTrue(files.allMatch(p -> p.getFileName().toString().startsWith("listing-")));
        }
    }

    @Test
    void deleteBucketRefusesANonEmptyBucketThenDeletesTheFile() {
        put("x");
        S3Exception error = assertThrows(S3Exception.class, () -> s3.deleteBucket(b -> b.bucket(bucket)));
        assertEquals("BucketNotEmpty", error.awsErrorDetails().errorCode());
        assertEquals(409, error.statusCode());
        s3.deleteObject(b -> b.bucket(bucket).key("x"));
        s3.deleteBucket(b -> b.bucket(bucket));
        assertFalse(Files.exists(server.getDataDirectory().resolve(bucket + ".sqlite3")));
        assertThrows(NoSuchBucketException.class, () -> s3.headBucket(b -> b.bucket(bucket)));
        assertThrows(NoSuchBucketException.class, () -> s3.deleteBucket(b -> b.bucket(bucket)));
    }

    @Test
    void locationAndVersioningAnswerForAnUnversionedBucket() {
        assertEquals("", s3.getBucketLocation(b -> b.bucket(bucket)).locationConstraintAsString() == null
                ? "" : s3.getBucketLocation(b -> b.bucket(bucket)).locationConstraintAsString());
        BucketVersioningStatus status = s3.getBucketVersioning(b -> b.bucket(bucket)).status();
        assertNull(status);
    }

    @Test
    void listObjectsV2WithPrefixAndDelimiterRollsUpCommonPrefixes() {
        put("a.txt", "dir/one", "dir/two", "dir/sub/three", "other/x", "dirt");
        ListObjectsV2Response top = s3.listObjectsV2(b -> b.bucket(bucket).delimiter("/"));
        assertEquals(List.of("a.txt", "dirt"), keys(top.contents()));
        assertEquals(List.of("dir/", "other/"), prefixes(top.commonPrefixes()));
        assertEquals(4, top.keyCount());
        ListObjectsV2Response dir = s3.listObjectsV2(b -> b.bucket(bucket).prefix("dir/").delimiter("/"));
        assertEquals(List.of("dir/one", "dir/two"), keys(dir.contents()));
        assertEquals(List.of("dir/sub/"), prefixes(dir.commonPrefixes()));
    }

    @Test
    void listObjectsV2PagesWithContinuationTokens() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            all.add(String.format("key-%03d", i));
        }
        put(all.toArray(String[]::new));
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String current = token;
            ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(10).continuationToken(current));
            seen.addAll(keys(page.contents()));
            token = page.nextContinuationToken();
            pages++;
            assertEquals(page.isTruncated(), token != null);
        } while (token != null);
        assertEquals(all, seen);
        assertEquals(3, pages);
        List<String> viaPaginator = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).maxKeys(7)).contents().forEach(o -> viaPaginator.add(o.key()));
        assertEquals(all, viaPaginator);
    }

    @Test
    void listObjectsV2StartAfterAndFetchOwner() {
        put("a", "b", "c");
        ListObjectsV2Response response = s3.listObjectsV2(b -> b.bucket(bucket).startAfter("a").fetchOwner(true));
        assertEquals(List.of("b", "c"), keys(response.contents()));
        assertNotNull(response.contents().get(0).owner());
        assertNull(s3.listObjectsV2(b -> b.bucket(bucket)).contents().get(0).owner());
    }

    @Test
    void listingTreatsPercentAndUnderscoreLiterallyAndIsCaseSensitive() {
        put("a%b", "a_b", "aXb", "A%b", "a%c");
        assertEquals(List.of("a%b", "a%c"), keys(s3.listObjectsV2(b -> b.bucket(bucket).prefix("a%")).contents()));
        assertEquals(List.of("a_b"), keys(s3.listObjectsV2(b -> b.bucket(bucket).prefix("a_")).contents()));
    }

    @Test
    void listingWithUrlEncodingRoundTripsOddKeys() {
        put("with space", "plus+sign", "caf\u00e9");
        ListObjectsV2Response response = s3.listObjectsV2(b -> b.bucket(bucket).encodingType(EncodingType.URL));
        assertEquals(List.of("caf\u00e9", "plus+sign", "with space").stream().sorted().toList(),
                keys(response.contents()).stream().sorted().toList());
    }

    @Test
    void listObjectsV1PagesWithMarker() {
        put("k1", "k2", "k3", "p/1", "p/2");
        ListObjectsResponse first = s3.listObjects(b -> b.bucket(bucket).maxKeys(2));
        assertTrue(first.isTruncated());
        assertEquals(List.of("k1", "k2"), keys(first.contents()));
        ListObjectsResponse rest = s3.listObjects(b -> b.bucket(bucket).marker("k2"));
        assertEquals(List.of("k3", "p/1", "p/2"), keys(rest.contents()));
        ListObjectsResponse delimited = s3.listObjects(b -> b.bucket(bucket).delimiter("/").maxKeys(3));
        assertEquals(List.of("k1", "k2", "k3"), keys(delimited.contents()));
        assertTrue(delimited.isTruncated());
        assertEquals("k3", delimited.nextMarker());
        assertNotNull(first.contents().get(0).owner());
    }

    @Test
    void listObjectVersionsShowsEachObjectOnceWithVersionNull() {
        put("one", "two");
        ListObjectVersionsResponse versions = s3.listObjectVersions(b -> b.bucket(bucket));
        assertEquals(2, versions.versions().size());
        assertEquals("null", versions.versions().get(0).versionId());
        assertTrue(versions.versions().get(0).isLatest());
        assertTrue(versions.deleteMarkers().isEmpty());
    }

    @Test
    void maxKeysZeroGivesAnEmptyPage() {
        put("x");
        ListObjectsV2Response response = s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(0));
        assertTrue(response.contents().isEmpty());
    }

    @Test
    void badContinuationTokenIsInvalidArgument() {
        S3Exception error = assertThrows(S3Exception.class,
                () -> s3.listObjectsV2(b -> b.bucket(bucket).continuationToken("%%%not-base64")));
        assertEquals("InvalidArgument", error.awsErrorDetails().errorCode());
    }

    @Test
    void virtualHostedStyleServesTheBucketNamedInTheHost() throws Exception {
        try (S3iteServer virtual = new S3iteServer().withAnonymousAccess().withDomainName("s3.test").withBucket("vhost")
                .start()) {
            virtual.createClient().putObject(b -> b.bucket("vhost").key("page.txt"), RequestBody.fromString("virtual"));
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", virtual.getPort())) {
                socket.getOutputStream().write(("GET /page.txt HTTP/1.1\r\nHost: vhost.s3.test:" + virtual.getPort()
                        + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertTrue(response.startsWith("HTTP/1.1 200"), response);
                assertTrue(response.endsWith("virtual"), response);
            }
        }
    }

    @Test
    void listingAMissingBucketIsNoSuchBucket() {
        assertThrows(NoSuchBucketException.class, () -> s3.listObjectsV2(b -> b.bucket("never-created")));
    }

    private static List<String> keys(List<S3Object> objects) {
        return objects.stream().map(S3Object::key).toList();
    }

    private static List<String> prefixes(List<CommonPrefix> prefixes) {
        return prefixes.stream().map(CommonPrefix::prefix).toList();
    }
}
