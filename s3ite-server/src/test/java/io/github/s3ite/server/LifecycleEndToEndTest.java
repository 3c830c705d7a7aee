package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.GetBucketLifecycleConfigurationResponse;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleAndOperator;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.PutBucketLifecycleConfigurationResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TransitionDefaultMinimumObjectSize;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;

/**
 * Bucket lifecycle through the AWS SDK v2: the configuration stored, returned and refused as S3
 * does it, the rules applied on demand (and at start, and periodically), and the expiry headers.
 */
class LifecycleEndToEndTest {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final Pattern EXPIRATION = Pattern.compile("expiry-date=\"([^\"]+)\", rule-id=\"([^\"]*)\"");
    private static S3iteServer server;
    private static S3Client s3;
    private String bucket;

    @BeforeAll
    static void start() {
        // no background runs: every rule here is applied by the test, at the instant it names
        server = new S3iteServer().withAnonymousAccess().withLifecycleInterval(Duration.ZERO).start();
        s3 = server.createClient();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void newBucket() {
        bucket = "lifecycle-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket));
    }

    /** Rules apply to every bucket of the server: a test's rules must not act in the next test. */
    @AfterEach
    void removeRules() {
        for (String name : server.getBucketNames()) {
            s3.deleteBucketLifecycle(b -> b.bucket(name));
        }
    }

    private static S3Exception assertS3Error(int status, String code, Executable request) {
        S3Exception error = assertThrows(S3Exception.class, request);
        assertEquals(status, error.statusCode(), error.getMessage());
        assertEquals(code, error.awsErrorDetails().errorCode(), error.getMessage());
        return error;
    }

    private void assertRefused(int status, String code, String message, LifecycleRule... rules) {
        S3Exception error = assertS3Error(status, code, () -> putRules(rules));
        if (message != null) {
            assertEquals(message, error.awsErrorDetails().errorMessage());
        }
    }

    private static LifecycleRule.Builder rule(String id) {
        return LifecycleRule.builder().id(id).status(ExpirationStatus.ENABLED);
    }

    private static LifecycleRuleFilter prefix(String prefix) {
        return LifecycleRuleFilter.builder().prefix(prefix).build();
    }

    private PutBucketLifecycleConfigurationResponse putRules(LifecycleRule... rules) {
        return s3.putBucketLifecycleConfiguration(b -> b.bucket(bucket).lifecycleConfiguration(c -> c.rules(rules)));
    }

    private List<LifecycleRule> rules() {
        return s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules();
    }

    private HttpResponse<String> raw(String method, String body, Map<String, String> headers) throws Exception {
        return HandSigner.send(method, URI.create(server.getEndpoint() + "/" + bucket + "?lifecycle"), headers,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> rawPut(String rules) throws Exception {
        return raw("PUT", "<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" + rules
                + "</LifecycleConfiguration>", Map.of());
    }

    private static void assertRawError(HttpResponse<String> response, int status, String code, String message) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.body().contains("<Code>" + code + "</Code>"), response.body());
        if (message != null) {
            assertTrue(response.body().contains("<Message>" + message + "</Message>"), response.body());
        }
    }

    private void put(String key, String content) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content));
    }

    private void put(String key, String content, String tagging) {
        s3.putObject(b -> b.bucket(bucket).key(key).tagging(tagging), RequestBody.fromString(content));
    }

    private Set<String> keys() {
        return s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(o -> o.key()).collect(Collectors.toSet());
    }

    /** The instant and rule of an {@code x-amz-expiration} value. */
    private record Expiry(Instant date, String ruleId) {
        static Expiry of(String header) {
            assertNotNull(header, "x-amz-expiration");
            Matcher matcher = EXPIRATION.matcher(header);
            assertTrue(matcher.matches(), header);
            return new Expiry(ZonedDateTime.parse(matcher.group(1), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant(),
                    matcher.group(2));
        }
    }

    /** {@code days} after {@code time}, rounded up to the next midnight UTC. */
    private static Instant midnightAfter(Instant time, int days) {
        Instant later = time.plus(days, ChronoUnit.DAYS);
        Instant midnight = later.truncatedTo(ChronoUnit.DAYS);
        return midnight.equals(later) ? later : midnight.plus(1, ChronoUnit.DAYS);
    }

    private static void assertDueBetween(Instant before, Instant after, int days, Instant due) {
        assertTrue(due.equals(midnightAfter(before, days)) || due.equals(midnightAfter(after, days)),
                due + " is " + days + " days after the write, rounded up to midnight UTC");
    }

    @Test
    void aConfigurationIsStoredReturnedExactlyAndDeleted() {
        S3Exception none = assertS3Error(404, "NoSuchLifecycleConfiguration",
                () -> s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)));
        assertEquals("The lifecycle configuration does not exist", none.awsErrorDetails().errorMessage());

        List<LifecycleRule> sent = List.of(
                rule("logs").filter(prefix("logs/")).expiration(e -> e.days(30))
                        .transitions(t -> t.days(0).storageClass(TransitionStorageClass.GLACIER_IR),
                                t -> t.days(60).storageClass(TransitionStorageClass.DEEP_ARCHIVE)).build(),
                rule("dated scratch").filter(LifecycleRuleFilter.builder().and(LifecycleRuleAndOperator.builder()
                                .prefix("tmp/").tags(Tag.builder().key("class").value("scratch").build(),
                                        Tag.builder().key("owner").value("ci").build())
                                .objectSizeGreaterThan(10L).objectSizeLessThan(1_000_000L).build()).build())
                        .expiration(e -> e.date(Instant.parse("2031-01-01T00:00:00Z"))).build(),
                rule("tagged").filter(LifecycleRuleFilter.builder().tag(Tag.builder().key("k").value("v").build()).build())
                        .status(ExpirationStatus.DISABLED).expiration(e -> e.days(1)).build(),
                rule("large").filter(LifecycleRuleFilter.builder().objectSizeGreaterThan(5_000_000L).build())
                        .noncurrentVersionExpiration(n -> n.noncurrentDays(7).newerNoncurrentVersions(3))
                        .noncurrentVersionTransitions(t -> t.noncurrentDays(30).newerNoncurrentVersions(2)
                                .storageClass(TransitionStorageClass.STANDARD_IA)).build(),
                rule("everything").filter(LifecycleRuleFilter.builder().build())
                        .expiration(e -> e.expiredObjectDeleteMarker(true))
                        .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(2)).build());
        PutBucketLifecycleConfigurationResponse put = putRules(sent.toArray(LifecycleRule[]::new));
        assertEquals(TransitionDefaultMinimumObjectSize.ALL_STORAGE_CLASSES_128_K, put.transitionDefaultMinimumObjectSize());

        GetBucketLifecycleConfigurationResponse got = s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket));
        assertEquals(sent, got.rules());
        assertEquals(TransitionDefaultMinimumObjectSize.ALL_STORAGE_CLASSES_128_K, got.transitionDefaultMinimumObjectSize());

        putRules(rule("only").filter(prefix("")).expiration(e -> e.days(1)).build());
        assertEquals(List.of(rule("only").filter(prefix("")).expiration(e -> e.days(1)).build()), rules(),
                "a new configuration replaces the old one whole");

        s3.deleteBucketLifecycle(b -> b.bucket(bucket));
        assertS3Error(404, "NoSuchLifecycleConfiguration", () -> s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)));
        s3.deleteBucketLifecycle(b -> b.bucket(bucket));
        assertS3Error(404, "NoSuchBucket", () -> s3.getBucketLifecycleConfiguration(b -> b.bucket("no-such-bucket")));
    }

    @Test
    void theLegacyRuleLevelPrefixIsKeptAsSentAndARuleWithoutAnIdGetsOne() throws Exception {
        @SuppressWarnings("deprecation")
        LifecycleRule legacy = LifecycleRule.builder().prefix("old/").status(ExpirationStatus.ENABLED)
                .expiration(e -> e.days(3)).build();
        putRules(legacy);
        LifecycleRule got = rules().get(0);
        assertEquals("old/", got.prefix());
        assertNull(got.filter());
        assertEquals(48, got.id().length(), got.id());
        assertTrue(new String(java.util.Base64.getDecoder().decode(got.id()), StandardCharsets.US_ASCII)
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}"), got.id());
        assertEquals(legacy.toBuilder().id(got.id()).build(), got);

        HttpResponse<String> raw = raw("GET", null, Map.of());
        assertEquals(200, raw.statusCode());
        assertTrue(raw.body().contains("<Rule><ID>" + got.id() + "</ID><Prefix>old/</Prefix><Status>Enabled</Status>"
                + "<Expiration><Days>3</Days></Expiration></Rule>"), raw.body());
    }

    @Test
    void theTransitionDefaultMinimumObjectSizeIsEchoedAndKept() throws Exception {
        PutBucketLifecycleConfigurationResponse put = s3.putBucketLifecycleConfiguration(b -> b.bucket(bucket)
                .transitionDefaultMinimumObjectSize(TransitionDefaultMinimumObjectSize.VARIES_BY_STORAGE_CLASS)
                .lifecycleConfiguration(c -> c.rules(rule("r").filter(prefix("")).expiration(e -> e.days(1)).build())));
        assertEquals(TransitionDefaultMinimumObjectSize.VARIES_BY_STORAGE_CLASS, put.transitionDefaultMinimumObjectSize());
        assertEquals(TransitionDefaultMinimumObjectSize.VARIES_BY_STORAGE_CLASS,
                s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).transitionDefaultMinimumObjectSize());

        assertRawError(raw("PUT", "<LifecycleConfiguration><Rule><ID>r</ID><Filter/><Status>Enabled</Status>"
                + "<Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>",
                Map.of("x-amz-transition-default-minimum-object-size", "none")), 400, "InvalidRequest",
                "Invalid TransitionDefaultMinimumObjectSize found: none");
        assertEquals(TransitionDefaultMinimumObjectSize.VARIES_BY_STORAGE_CLASS,
                s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).transitionDefaultMinimumObjectSize());

        putRules(rule("r").filter(prefix("")).expiration(e -> e.days(1)).build());
        assertEquals(TransitionDefaultMinimumObjectSize.ALL_STORAGE_CLASSES_128_K,
                s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).transitionDefaultMinimumObjectSize());
    }

    @Test
    void badValuesAreRefusedWithS3sCodesAndMessages() {
        LifecycleRule.Builder valid = rule("r").filter(prefix("a/")).expiration(e -> e.days(1));
        assertRefused(400, "InvalidArgument", "'Days' for Expiration action must be a positive integer",
                valid.copy().expiration(e -> e.days(0)).build());
        assertRefused(400, "InvalidArgument", "'Date' must be at midnight GMT",
                valid.copy().expiration(e -> e.date(Instant.parse("2031-01-01T12:00:00Z"))).build());
        assertRefused(400, "InvalidArgument", "ID length should not exceed allowed limit of 255",
                valid.copy().id("a".repeat(256)).build());
        assertRefused(400, "InvalidArgument", "Rule ID must be unique. Found same ID for more than one rule",
                valid.build(), valid.copy().filter(prefix("b/")).build());
        assertRefused(400, "MalformedXML", null, valid.copy().status("enabled").build());
        assertRefused(400, "InvalidRequest", "At least one action needs to be specified in a rule",
                rule("r").filter(prefix("a/")).build());
        assertRefused(400, "InvalidArgument",
                "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer",
                rule("r").filter(prefix("a/")).noncurrentVersionExpiration(n -> n.noncurrentDays(0)).build());
        assertRefused(400, "InvalidArgument",
                "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer",
                rule("r").filter(prefix("a/")).abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(0)).build());
        assertRefused(400, "InvalidRequest", "ExpiredObjectDeleteMarker cannot be specified with Tags.",
                rule("r").filter(LifecycleRuleFilter.builder().tag(Tag.builder().key("k").value("v").build()).build())
                        .expiration(e -> e.expiredObjectDeleteMarker(true)).build());
        assertRefused(400, "InvalidRequest", "AbortIncompleteMultipartUpload cannot be specified with Object Size.",
                rule("r").filter(LifecycleRuleFilter.builder().objectSizeLessThan(10L).build())
                        .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(1)).build());
        assertRefused(400, "InvalidRequest", "'ObjectSizeLessThan' should be between 1 and 1099511627776000.",
                rule("r").filter(LifecycleRuleFilter.builder().objectSizeLessThan(0L).build())
                        .expiration(e -> e.days(1)).build());
        assertRefused(400, "InvalidRequest", "'ObjectSizeLessThan' has to be a value greater than 'ObjectSizeGreaterThan'.",
                rule("r").filter(LifecycleRuleFilter.builder().and(LifecycleRuleAndOperator.builder()
                        .objectSizeGreaterThan(10L).objectSizeLessThan(10L).build()).build())
                        .expiration(e -> e.days(1)).build());
        assertRefused(400, "InvalidRequest", "Duplicate Tag Keys are not allowed.",
                rule("r").filter(LifecycleRuleFilter.builder().and(LifecycleRuleAndOperator.builder()
                        .tags(Tag.builder().key("k").value("1").build(), Tag.builder().key("k").value("2").build())
                        .build()).build()).expiration(e -> e.days(1)).build());
        assertRefused(400, "InvalidArgument",
                "'Days' in Transition action must be greater than or equal to 30 for storageClass 'STANDARD_IA'",
                rule("r").filter(prefix("a/")).transitions(t -> t.days(29).storageClass(TransitionStorageClass.STANDARD_IA))
                        .build());
        @SuppressWarnings("deprecation")
        LifecycleRule legacy = LifecycleRule.builder().id("legacy").prefix("a/").status(ExpirationStatus.ENABLED)
                .expiration(e -> e.days(1)).build();
        assertRefused(400, "InvalidRequest",
                "Base level prefix cannot be used in Lifecycle V2, prefixes are only supported in the Filter.",
                valid.build(), legacy);
        assertRefused(400, "InvalidRequest", "Filter element can only be used in Lifecycle V2.", legacy, valid.build());
        assertRefused(400, "InvalidRequest", "Found overlapping prefixes 'a/' and 'a/b' for same action type 'Expiration'",
                legacy, legacy.toBuilder().id("other").prefix("a/b").build());
        assertRefused(400, "InvalidRequest", "NewerNoncurrentVersions element can only be used in Lifecycle V2.",
                legacy.toBuilder().expiration((software.amazon.awssdk.services.s3.model.LifecycleExpiration) null)
                        .noncurrentVersionExpiration(n -> n.noncurrentDays(1).newerNoncurrentVersions(2)).build());
        assertRefused(400, "InvalidArgument",
                "'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must not be greater than 100",
                rule("r").filter(prefix("a/")).noncurrentVersionExpiration(n -> n.noncurrentDays(1).newerNoncurrentVersions(101))
                        .build());
        List<LifecycleRule> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(rule("r" + i).filter(prefix("p" + i + "/")).expiration(e -> e.days(1)).build());
        }
        assertRefused(400, "InvalidRequest", "The number of lifecycle rules must not exceed the allowed limit of 1000 rules.",
                tooMany.toArray(LifecycleRule[]::new));
        assertS3Error(404, "NoSuchLifecycleConfiguration", () -> s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)));
    }

    @Test
    void documentsThatDoNotFollowTheSchemaAreMalformedXml() throws Exception {
        String status = "<Status>Enabled</Status><Expiration><Days>1</Days></Expiration>";
        assertRawError(rawPut("<Rule><ID>r</ID><Filter><Prefix>a</Prefix><ObjectSizeLessThan>5</ObjectSizeLessThan>"
                + "</Filter>" + status + "</Rule>"), 400, "MalformedXML", null);
        assertRawError(rawPut("<Rule><ID>r</ID><Filter><And><Prefix>a</Prefix></And></Filter>" + status + "</Rule>"),
                400, "MalformedXML", null);
        assertRawError(rawPut("<Rule><ID>r</ID>" + status + "</Rule>"), 400, "MalformedXML", null);
        assertRawError(rawPut("<Rule><ID>r</ID><Prefix>a</Prefix><Filter/>" + status + "</Rule>"), 400, "MalformedXML", null);
        assertRawError(rawPut("<Rule><ID>r</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days>"
                + "<ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule>"), 400, "MalformedXML", null);
        assertRawError(rawPut("<Rule><ID>r</ID><Filter/><Status>Enabled</Status><Expiration/></Rule>"), 400,
                "MalformedXML", null);
        assertRawError(rawPut("<Rule><ID>r</ID><Filter/><Status>Enabled</Status><Expiration><Days>x</Days>"
                + "</Expiration></Rule>"), 400, "MalformedXML", null);
        assertRawError(rawPut("<Rule><ID>r</ID><Filter/><Status>Enabled</Status><Expiration><Date>Fri, 01 Jan 2016"
                + " 00:00:00 GMT</Date></Expiration></Rule>"), 400, "MalformedXML", null);
        assertRawError(rawPut("<Rule><ID>r</ID><Filter/><Status>Enabled</Status><NoncurrentVersionExpiration>"
                + "<NewerNoncurrentVersions>1</NewerNoncurrentVersions></NoncurrentVersionExpiration></Rule>"), 400,
                "MalformedXML", null);
        assertRawError(rawPut("<Rule><ID>r</ID><Filter/><Status>Enabled</Status><Transition><Days>1</Days>"
                + "<StorageClass>STANDARD</StorageClass></Transition></Rule>"), 400, "MalformedXML", null);
        assertRawError(rawPut("<Rule><ID>r</ID><Filter/>" + status + "<Unknown/></Rule>"), 400, "MalformedXML", null);
        assertRawError(rawPut(""), 400, "InvalidRequest", "At least one lifecycle rule must be specified.");
        // nested 200,000 deep: read by recursion, it overflowed the stack and answered 500
        assertRawError(rawPut("<Rule><ID>" + "<a>".repeat(200_000) + "</a>".repeat(200_000) + "</ID><Filter/>" + status
                + "</Rule>"), 400, "MalformedXML", null);
        assertRawError(raw("PUT", "<LifecycleConfiguration><Rule>", Map.of()), 400, "MalformedXML", null);
        assertRawError(raw("PUT", "", Map.of()), 400, "MalformedXML", null);
        assertRawError(raw("POST", "", Map.of()), 405, "MethodNotAllowed", null);
        assertS3Error(404, "NoSuchLifecycleConfiguration", () -> s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)));
    }

    @Test
    void expirationRemovesExactlyTheObjectsItsFiltersSelectOnceTheyAreDue() {
        putRules(rule("small logs").filter(LifecycleRuleFilter.builder().and(LifecycleRuleAndOperator.builder()
                        .prefix("logs/").objectSizeLessThan(10L).build()).build()).expiration(e -> e.days(1)).build(),
                rule("scratch").filter(LifecycleRuleFilter.builder().tag(Tag.builder().key("class").value("scratch")
                        .build()).build()).expiration(e -> e.days(2)).build(),
                rule("off").status(ExpirationStatus.DISABLED).filter(prefix("")).expiration(e -> e.days(1)).build());
        put("logs/small", "tiny");
        put("logs/large", "far too large to go");
        put("tmp/scratch", "x", "class=scratch");
        put("tmp/kept", "x", "class=kept");
        put("keep/small", "tiny");

        Expiry small = Expiry.of(s3.headObject(b -> b.bucket(bucket).key("logs/small")).expiration());
        Expiry scratch = Expiry.of(s3.headObject(b -> b.bucket(bucket).key("tmp/scratch")).expiration());
        assertEquals("small logs", small.ruleId());
        assertEquals("scratch", scratch.ruleId());
        assertTrue(scratch.date().isAfter(small.date()), scratch + " after " + small);
        for (String kept : List.of("logs/large", "tmp/kept", "keep/small")) {
            assertNull(s3.headObject(b -> b.bucket(bucket).key(kept)).expiration(), kept);
        }

        assertEquals(0, server.applyLifecycle(small.date().minusMillis(1)).total());
        assertEquals(new LifecycleSummary(1, 0, 0, 0), server.applyLifecycle(small.date()));
        assertEquals(Set.of("logs/large", "tmp/scratch", "tmp/kept", "keep/small"), keys());
        assertEquals(new LifecycleSummary(1, 0, 0, 0), server.applyLifecycle(scratch.date()));
        assertEquals(Set.of("logs/large", "tmp/kept", "keep/small"), keys());
        assertEquals(0, server.applyLifecycle(scratch.date().plus(3650, ChronoUnit.DAYS)).total());
        assertEquals(0, s3.listObjectVersions(b -> b.bucket(bucket)).deleteMarkers().size(),
                "an unversioned bucket gets no delete markers");
    }

    @Test
    void inAVersionedBucketExpirationHidesNoncurrentVersionsGoAndLoneDeleteMarkersAreRemoved() {
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        putRules(rule("expire").filter(prefix("exp/")).expiration(e -> e.days(1)).build(),
                rule("keep one").filter(prefix("docs/"))
                        .noncurrentVersionExpiration(n -> n.noncurrentDays(1).newerNoncurrentVersions(1)).build(),
                rule("markers").filter(prefix("markers/")).expiration(e -> e.expiredObjectDeleteMarker(true))
                        .noncurrentVersionExpiration(n -> n.noncurrentDays(1)).build());
        put("exp/a", "a");
        put("exp/lone", "gone");
        String lone = s3.listObjectVersions(b -> b.bucket(bucket).prefix("exp/lone")).versions().get(0).versionId();
        s3.deleteObject(b -> b.bucket(bucket).key("exp/lone"));
        s3.deleteObject(b -> b.bucket(bucket).key("exp/lone").versionId(lone));
        put("docs/d", "1");
        put("docs/d", "2");
        put("docs/d", "3");
        put("markers/m", "m");
        s3.deleteObject(b -> b.bucket(bucket).key("markers/m"));
        ListObjectVersionsResponse before = s3.listObjectVersions(b -> b.bucket(bucket));
        String d3 = before.versions().stream().filter(v -> v.key().equals("docs/d") && v.isLatest()).findFirst()
                .orElseThrow().versionId();

        LifecycleSummary summary = server.applyLifecycle(Instant.now().plus(3, ChronoUnit.DAYS));
        assertEquals(new LifecycleSummary(1, 2, 2, 0), summary);

        ListObjectVersionsResponse after = s3.listObjectVersions(b -> b.bucket(bucket));
        assertEquals(List.of("docs/d", "docs/d", "exp/a"), after.versions().stream().map(v -> v.key()).toList());
        assertEquals(d3, after.versions().get(0).versionId());
        assertTrue(after.versions().get(2).versionId() != null && !after.versions().get(2).isLatest());
        assertEquals(List.of("exp/a"), after.deleteMarkers().stream().map(m -> m.key()).toList());
        assertTrue(after.deleteMarkers().get(0).isLatest());
        assertS3Error(404, "NoSuchKey", () -> s3.getObject(b -> b.bucket(bucket).key("exp/a")));
        assertEquals(0, server.applyLifecycle(Instant.now().plus(3, ChronoUnit.DAYS)).total(),
                "the marker hiding exp/a has a version beneath it, and docs/d keeps one noncurrent version");
    }

    @Test
    void objectLockKeepsItsVersionsFromLifecycle() {
        String locked = "locked-" + bucket;
        s3.createBucket(b -> b.bucket(locked).objectLockEnabledForBucket(true));
        s3.putBucketLifecycleConfiguration(b -> b.bucket(locked).lifecycleConfiguration(c -> c.rules(
                rule("all").filter(prefix("")).expiration(e -> e.days(1))
                        .noncurrentVersionExpiration(n -> n.noncurrentDays(1)).build())));
        String held = s3.putObject(b -> b.bucket(locked).key("k").objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON),
                RequestBody.fromString("1")).versionId();
        String free = s3.putObject(b -> b.bucket(locked).key("k"), RequestBody.fromString("2")).versionId();
        String current = s3.putObject(b -> b.bucket(locked).key("k"), RequestBody.fromString("3")).versionId();

        assertEquals(new LifecycleSummary(1, 1, 0, 0), server.applyLifecycle(Instant.now().plus(5, ChronoUnit.DAYS)));
        ListObjectVersionsResponse after = s3.listObjectVersions(b -> b.bucket(locked));
        assertEquals(List.of(current, held), after.versions().stream().map(v -> v.versionId()).toList());
        assertEquals(1, after.deleteMarkers().size());
        assertTrue(after.deleteMarkers().get(0).isLatest());
        assertTrue(!after.versions().stream().map(v -> v.versionId()).toList().contains(free));
    }

    @Test
    void staleMultipartUploadsAreAbortedWithTheirPartsAndTheirAbortDateIsAnswered() throws Exception {
        putRules(rule("abort stale uploads").filter(prefix("uploads/"))
                .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(1)).build());
        Instant before = Instant.now();
        CreateMultipartUploadResponse stale = s3.createMultipartUpload(b -> b.bucket(bucket).key("uploads/a"));
        Instant after = Instant.now();
        assertEquals("abort stale uploads", stale.abortRuleId());
        assertDueBetween(before, after, 1, stale.abortDate());
        s3.uploadPart(b -> b.bucket(bucket).key("uploads/a").uploadId(stale.uploadId()).partNumber(1),
                RequestBody.fromString("part"));
        ListPartsResponse parts = s3.listParts(b -> b.bucket(bucket).key("uploads/a").uploadId(stale.uploadId()));
        assertEquals(stale.abortDate(), parts.abortDate());
        assertEquals("abort stale uploads", parts.abortRuleId());

        CreateMultipartUploadResponse other = s3.createMultipartUpload(b -> b.bucket(bucket).key("other/b"));
        assertNull(other.abortDate());
        assertNull(other.abortRuleId());

        assertEquals(0, server.applyLifecycle(stale.abortDate().minusMillis(1)).total());
        assertEquals(new LifecycleSummary(0, 0, 0, 1), server.applyLifecycle(stale.abortDate()));
        assertEquals(List.of("other/b"), s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().stream()
                .map(u -> u.key()).toList());
        assertS3Error(404, "NoSuchUpload",
                () -> s3.listParts(b -> b.bucket(bucket).key("uploads/a").uploadId(stale.uploadId())));
        assertEquals("0", sql("SELECT count(*) FROM multipart_upload_part"), "the parts went with their upload");
    }

    private String sql(String query) throws Exception {
        Path file = server.getDataDirectory().resolve(bucket + ".sqlite3");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getString(1);
        }
    }

    @Test
    void xAmzExpirationTellsWhenAndUnderWhichRuleTheCurrentVersionExpires() {
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        putRules(rule("Delete after 14 days").filter(prefix("")).expiration(e -> e.days(14)).build(),
                rule("dated").filter(prefix("dated/")).expiration(e -> e.date(Instant.parse("2020-06-01T00:00:00Z"))).build(),
                rule("markers only").filter(prefix("markers/")).expiration(e -> e.expiredObjectDeleteMarker(true)).build());
        Instant before = Instant.now();
        String putHeader = s3.putObject(b -> b.bucket(bucket).key("a"), RequestBody.fromString("a")).expiration();
        Instant after = Instant.now();
        Expiry put = Expiry.of(putHeader);
        assertEquals("Delete after 14 days", put.ruleId());
        assertDueBetween(before, after, 14, put.date());
        assertTrue(putHeader.matches("expiry-date=\"[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} 00:00:00 GMT\", "
                + "rule-id=\"Delete after 14 days\""), putHeader);
        assertEquals(putHeader, s3.headObject(b -> b.bucket(bucket).key("a")).expiration());
        assertEquals(putHeader, s3.getObject(b -> b.bucket(bucket).key("a")).response().expiration());
        String version = s3.headObject(b -> b.bucket(bucket).key("a")).versionId();
        assertNull(s3.headObject(b -> b.bucket(bucket).key("a").versionId(version)).expiration(),
                "a read by version id gets no expiry");

        assertEquals(new Expiry(Instant.parse("2020-06-01T00:00:00Z"), "dated"), Expiry.of(s3.copyObject(b -> b
                .sourceBucket(bucket).sourceKey("a").destinationBucket(bucket).destinationKey("dated/copy"))
                .expiration()));
        assertEquals("Delete after 14 days", Expiry.of(s3.putObject(b -> b.bucket(bucket).key("markers/m"),
                RequestBody.fromString("m")).expiration()).ruleId(), "a rule of ExpiredObjectDeleteMarker alone sets no date");

        CreateMultipartUploadResponse upload = s3.createMultipartUpload(b -> b.bucket(bucket).key("dated/multi"));
        String etag = s3.uploadPart(b -> b.bucket(bucket).key("dated/multi").uploadId(upload.uploadId()).partNumber(1),
                RequestBody.fromString("part")).eTag();
        CompleteMultipartUploadResponse completed = s3.completeMultipartUpload(b -> b.bucket(bucket).key("dated/multi")
                .uploadId(upload.uploadId()).multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
        assertEquals(new Expiry(Instant.parse("2020-06-01T00:00:00Z"), "dated"), Expiry.of(completed.expiration()));

        s3.deleteBucketLifecycle(b -> b.bucket(bucket));
        assertNull(s3.headObject(b -> b.bucket(bucket).key("a")).expiration());
        assertNull(s3.putObject(b -> b.bucket(bucket).key("b"), RequestBody.fromString("b")).expiration());
    }

    @Test
    void theHeaderFollowsTheTagsAnObjectCarriesNow() {
        putRules(rule("tagged").filter(LifecycleRuleFilter.builder().and(LifecycleRuleAndOperator.builder()
                .tags(Tag.builder().key("a").value("1").build(), Tag.builder().key("b").value("2").build()).build())
                .build()).expiration(e -> e.days(1)).build());
        put("k", "k", "a=1&b=3");
        assertNull(s3.headObject(b -> b.bucket(bucket).key("k")).expiration());
        s3.putObjectTagging(b -> b.bucket(bucket).key("k").tagging(t -> t.tagSet(Tag.builder().key("a").value("1").build(),
                Tag.builder().key("b").value("2").build(), Tag.builder().key("c").value("x").build())));
        assertEquals("tagged", Expiry.of(s3.headObject(b -> b.bucket(bucket).key("k")).expiration()).ruleId());
    }

    @Test
    void aReadOnlyServerAppliesNoRule(@TempDir Path directory) {
        try (S3iteServer writer = new S3iteServer(directory).withAnonymousAccess().withLifecycleInterval(Duration.ZERO)
                .start()) {
            S3Client client = writer.createClient();
            client.createBucket(b -> b.bucket("seeded"));
            client.putObject(b -> b.bucket("seeded").key("old"), RequestBody.fromString("old"));
            client.putBucketLifecycleConfiguration(b -> b.bucket("seeded").lifecycleConfiguration(c -> c.rules(
                    rule("past").filter(prefix("")).expiration(e -> e.date(Instant.parse("2020-01-01T00:00:00Z"))).build())));
        }
        try (S3iteServer readOnly = new S3iteServer(directory).withAnonymousAccess().withReadOnly(true).start()) {
            assertEquals(0, readOnly.applyLifecycle(Instant.now()).total());
            assertEquals("old", readOnly.createClient().getObjectAsBytes(b -> b.bucket("seeded").key("old")).asUtf8String());
        }
    }

    @Test
    void rulesAreAppliedAtStartAndThenPeriodically(@TempDir Path directory) throws Exception {
        Consumer<S3Client> pastRule = client -> client.putBucketLifecycleConfiguration(b -> b.bucket("bucket")
                .lifecycleConfiguration(c -> c.rules(rule("past").filter(prefix("old/"))
                        .expiration(e -> e.date(Instant.parse("2020-01-01T00:00:00Z"))).build())));
        try (S3iteServer first = new S3iteServer(directory).withAnonymousAccess().withLifecycleInterval(Duration.ZERO)
                .start()) {
            S3Client client = first.createClient();
            client.createBucket(b -> b.bucket("bucket"));
            client.putObject(b -> b.bucket("bucket").key("old/a"), RequestBody.fromString("a"));
            client.putObject(b -> b.bucket("bucket").key("new/a"), RequestBody.fromString("a"));
            pastRule.accept(client);
            assertEquals(2, client.listObjectsV2(b -> b.bucket("bucket")).keyCount(), "no run without an interval");
        }
        try (S3iteServer second = new S3iteServer(directory).withAnonymousAccess().start()) {
            S3Client client = second.createClient();
            awaitKeys(client, List.of("new/a"));
        }
        try (S3iteServer periodic = new S3iteServer().withAnonymousAccess()
                .withLifecycleInterval(Duration.ofMillis(100)).start()) {
            S3Client client = periodic.createClient();
            client.createBucket(b -> b.bucket("bucket"));
            client.putObject(b -> b.bucket("bucket").key("old/a"), RequestBody.fromString("a"));
            client.putObject(b -> b.bucket("bucket").key("new/a"), RequestBody.fromString("a"));
            pastRule.accept(client);
            awaitKeys(client, List.of("new/a"));
        }
    }

    @Test
    void aTemporaryServerSeededWithRulesHasAppliedThemWhenStartReturnsAndAgainAtEachReset(@TempDir Path directory)
            throws Exception {
        Path seed = directory.resolve("seed.sqlite3");
        try (S3iteServer maker = new S3iteServer().withAnonymousAccess().withLifecycleInterval(Duration.ZERO)
                .withBucket("bucket").start()) {
            S3Client client = maker.createClient();
            client.putObject(b -> b.bucket("bucket").key("old/a"), RequestBody.fromString("a"));
            client.putObject(b -> b.bucket("bucket").key("new/a"), RequestBody.fromString("a"));
            client.putBucketLifecycleConfiguration(b -> b.bucket("bucket").lifecycleConfiguration(c -> c.rules(
                    rule("past").filter(prefix("old/")).expiration(e -> e.date(Instant.parse("2020-01-01T00:00:00Z")))
                            .build())));
            maker.snapshot("bucket", seed);
        }
        try (S3iteServer seeded = new S3iteServer().withAnonymousAccess().withBucket("bucket", seed).start()) {
            S3Client client = seeded.createClient();
            // at once: a test's first request must not race the run at start
            assertEquals(List.of("new/a"), keys(client));
            client.putObject(b -> b.bucket("bucket").key("new/b"), RequestBody.fromString("b"));
            seeded.reset();
            assertEquals(List.of("new/a"), keys(client));
        }
    }

    @Test
    void theRunsOfOneServerGoOnWhenAnotherStops() throws Exception {
        try (S3iteServer other = new S3iteServer().withAnonymousAccess().withLifecycleInterval(Duration.ofMillis(50)).start();
             S3iteServer periodic = new S3iteServer().withAnonymousAccess().withLifecycleInterval(Duration.ofMillis(50))
                     .start()) {
            other.stop();
            S3Client client = periodic.createClient();
            client.createBucket(b -> b.bucket("bucket"));
            client.putObject(b -> b.bucket("bucket").key("old/a"), RequestBody.fromString("a"));
            client.putObject(b -> b.bucket("bucket").key("new/a"), RequestBody.fromString("a"));
            client.putBucketLifecycleConfiguration(b -> b.bucket("bucket").lifecycleConfiguration(c -> c.rules(
                    rule("past").filter(prefix("old/")).expiration(e -> e.date(Instant.parse("2020-01-01T00:00:00Z")))
                            .build())));
            awaitKeys(client, List.of("new/a"));
        }
    }

    private static List<String> keys(S3Client client) {
        return client.listObjectsV2(b -> b.bucket("bucket")).contents().stream().map(o -> o.key()).toList();
    }

    private static void awaitKeys(S3Client client, List<String> expected) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        List<String> keys;
        do {
            keys = keys(client);
            if (keys.equals(expected)) {
                return;
            }
            Thread.sleep(50);
        } while (Instant.now().isBefore(deadline));
        assertEquals(expected, keys);
    }

    @Test
    void intervalsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new S3iteServer().withLifecycleInterval(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> new S3iteServer().withLifecycleInterval(Duration.ofNanos(1)));
    }
}
