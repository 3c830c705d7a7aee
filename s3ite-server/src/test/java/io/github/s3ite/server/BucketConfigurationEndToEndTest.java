package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAccelerateStatus;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.GetBucketLoggingResponse;
import software.amazon.awssdk.services.s3.model.GetBucketNotificationConfigurationResponse;
import software.amazon.awssdk.services.s3.model.GetBucketReplicationResponse;
import software.amazon.awssdk.services.s3.model.GetBucketWebsiteResponse;
import software.amazon.awssdk.services.s3.model.Payer;
import software.amazon.awssdk.services.s3.model.ReplicationRuleStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

/** The bucket configurations kept as documents (tagging, logging, website, ...) through the AWS SDK v2. */
class BucketConfigurationEndToEndTest {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3iteServer server;
    private static S3Client s3;
    private String bucket;

    @BeforeAll
    static void start() {
        server = new S3iteServer().withAnonymousAccess().start();
        s3 = server.createClient();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void newBucket() {
        bucket = "configured-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket));
    }

    private static S3Exception assertS3Error(int status, String code, Executable request) {
        S3Exception error = assertThrows(S3Exception.class, request);
        assertEquals(status, error.statusCode(), error.getMessage());
        assertEquals(code, error.awsErrorDetails().errorCode(), error.getMessage());
        return error;
    }

    private HttpResponse<String> raw(String method, String subresource, String body) throws Exception {
        return HandSigner.send(method, URI.create(server.getEndpoint() + "/" + bucket + "?" + subresource), Map.of(),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRawError(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.body().contains("<Code>" + code + "</Code>"), response.body());
    }

    @Test
    void bucketTagsAreStoredReturnedAndDeleted() {
        assertS3Error(404, "NoSuchTagSet", () -> s3.getBucketTagging(b -> b.bucket(bucket)));
        s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(
                Tag.builder().key("team").value("storage").build(),
                Tag.builder().key("cost centre").value("").build())));
        List<Tag> tags = s3.getBucketTagging(b -> b.bucket(bucket)).tagSet();
        assertEquals(List.of(Tag.builder().key("team").value("storage").build(),
                Tag.builder().key("cost centre").value("").build()), tags);

        s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(Tag.builder().key("only").value("1").build())));
        assertEquals(List.of(Tag.builder().key("only").value("1").build()),
                s3.getBucketTagging(b -> b.bucket(bucket)).tagSet());

        s3.deleteBucketTagging(b -> b.bucket(bucket));
        assertS3Error(404, "NoSuchTagSet", () -> s3.getBucketTagging(b -> b.bucket(bucket)));
    }

    @Test
    void bucketTagsAreValidatedAsS3ValidatesThem() {
        assertS3Error(400, "InvalidTag", () -> s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(
                Tag.builder().key("k").value("1").build(), Tag.builder().key("k").value("2").build()))));
        List<Tag> tooMany = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            tooMany.add(Tag.builder().key("k" + i).value("v").build());
        }
        assertS3Error(400, "InvalidTag", () -> s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(tooMany))));
        assertS3Error(400, "InvalidTag", () -> s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(
                Tag.builder().key("aws:cloudformation:stack-name").value("x").build()))));
        assertS3Error(400, "InvalidTag", () -> s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(
                Tag.builder().key("k".repeat(129)).value("x").build()))));
        assertS3Error(400, "InvalidTag", () -> s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(
                Tag.builder().key("k").value("v".repeat(257)).build()))));
        assertS3Error(404, "NoSuchTagSet", () -> s3.getBucketTagging(b -> b.bucket(bucket)));
        assertS3Error(404, "NoSuchBucket", () -> s3.getBucketTagging(b -> b.bucket("no-such-bucket")));
    }

    @Test
    void malformedConfigurationsAreMalformedXml() throws Exception {
        assertRawError(raw("PUT", "tagging", "<Tagging><TagSet><Tag><Key>k</Key>"), 400, "MalformedXML");
        assertRawError(raw("PUT", "tagging", "<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>"), 400, "MalformedXML");
        assertRawError(raw("PUT", "tagging", "<Tagging/>"), 400, "MalformedXML");
        assertRawError(raw("PUT", "tagging", ""), 400, "MalformedXML");
        assertRawError(raw("PUT", "requestPayment", "<RequestPaymentConfiguration><Payer>Nobody</Payer>"
                + "</RequestPaymentConfiguration>"), 400, "MalformedXML");
        assertRawError(raw("PUT", "accelerate", "<AccelerateConfiguration><Status>On</Status></AccelerateConfiguration>"),
                400, "MalformedXML");
        assertRawError(raw("PUT", "logging", "<BucketLoggingStatus><LoggingEnabled><TargetBucket>" + bucket
                + "</TargetBucket></LoggingEnabled></BucketLoggingStatus>"), 400, "MalformedXML");
        assertRawError(raw("PUT", "website", "<NotWebsite/>"), 400, "MalformedXML");
        assertRawError(raw("PUT", "notification", "<NotificationConfiguration><TopicConfiguration>"
                + "<Topic>arn:aws:sns:us-east-1:123456789012:t</Topic></TopicConfiguration></NotificationConfiguration>"),
                400, "MalformedXML");
        assertRawError(raw("PUT", "tagging", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<Tagging><TagSet><Tag><Key>&e;</Key><Value>v</Value></Tag></TagSet></Tagging>"), 400, "MalformedXML");
    }

    @Test
    void loggingIsOffUntilSetThenStoredAndReturned() {
        GetBucketLoggingResponse none = s3.getBucketLogging(b -> b.bucket(bucket));
        assertNull(none.loggingEnabled());
        String target = bucket + "-logs";
        s3.createBucket(b -> b.bucket(target));
        s3.putBucketLogging(b -> b.bucket(bucket).bucketLoggingStatus(s -> s.loggingEnabled(l -> l
                .targetBucket(target).targetPrefix("access/"))));
        GetBucketLoggingResponse logging = s3.getBucketLogging(b -> b.bucket(bucket));
        assertEquals(target, logging.loggingEnabled().targetBucket());
        assertEquals("access/", logging.loggingEnabled().targetPrefix());

        s3.putBucketLogging(b -> b.bucket(bucket).bucketLoggingStatus(s -> { }));
        assertNull(s3.getBucketLogging(b -> b.bucket(bucket)).loggingEnabled());

        assertS3Error(400, "InvalidTargetBucketForLogging", () -> s3.putBucketLogging(b -> b.bucket(bucket)
                .bucketLoggingStatus(s -> s.loggingEnabled(l -> l.targetBucket("no-such-target").targetPrefix("p/")))));
    }

    @Test
    void requestPaymentIsBucketOwnerUntilSet() {
        assertEquals(Payer.BUCKET_OWNER, s3.getBucketRequestPayment(b -> b.bucket(bucket)).payer());
        s3.putBucketRequestPayment(b -> b.bucket(bucket).requestPaymentConfiguration(c -> c.payer(Payer.REQUESTER)));
        assertEquals(Payer.REQUESTER, s3.getBucketRequestPayment(b -> b.bucket(bucket)).payer());
    }

    @Test
    void accelerateHasNoStatusUntilSetAndIsRefusedForBucketsWithPeriods() {
        assertNull(s3.getBucketAccelerateConfiguration(b -> b.bucket(bucket)).status());
        s3.putBucketAccelerateConfiguration(b -> b.bucket(bucket)
                .accelerateConfiguration(c -> c.status(BucketAccelerateStatus.ENABLED)));
        assertEquals(BucketAccelerateStatus.ENABLED, s3.getBucketAccelerateConfiguration(b -> b.bucket(bucket)).status());
        s3.putBucketAccelerateConfiguration(b -> b.bucket(bucket)
                .accelerateConfiguration(c -> c.status(BucketAccelerateStatus.SUSPENDED)));
        assertEquals(BucketAccelerateStatus.SUSPENDED, s3.getBucketAccelerateConfiguration(b -> b.bucket(bucket)).status());

        String dotted = bucket + ".with.dots";
        s3.createBucket(b -> b.bucket(dotted));
        assertS3Error(400, "InvalidRequest", () -> s3.putBucketAccelerateConfiguration(b -> b.bucket(dotted)
                .accelerateConfiguration(c -> c.status(BucketAccelerateStatus.ENABLED))));
    }

    @Test
    void websiteIsStoredReturnedValidatedAndDeleted() {
        assertS3Error(404, "NoSuchWebsiteConfiguration", () -> s3.getBucketWebsite(b -> b.bucket(bucket)));
        s3.putBucketWebsite(b -> b.bucket(bucket).websiteConfiguration(w -> w
                .indexDocument(i -> i.suffix("index.html"))
                .errorDocument(e -> e.key("error.html"))
                .routingRules(r -> r.condition(c -> c.keyPrefixEquals("docs/")).redirect(d -> d.replaceKeyPrefixWith("documents/")))));
        GetBucketWebsiteResponse website = s3.getBucketWebsite(b -> b.bucket(bucket));
        assertEquals("index.html", website.indexDocument().suffix());
        assertEquals("error.html", website.errorDocument().key());
        assertEquals("documents/", website.routingRules().get(0).redirect().replaceKeyPrefixWith());

        assertS3Error(400, "InvalidArgument", () -> s3.putBucketWebsite(b -> b.bucket(bucket)
                .websiteConfiguration(w -> w.indexDocument(i -> i.suffix("a/index.html")))));
        assertS3Error(400, "InvalidArgument", () -> s3.putBucketWebsite(b -> b.bucket(bucket)
                .websiteConfiguration(w -> w.errorDocument(e -> e.key("error.html")))));
        assertS3Error(400, "InvalidRequest", () -> s3.putBucketWebsite(b -> b.bucket(bucket).websiteConfiguration(w -> w
                .redirectAllRequestsTo(r -> r.hostName("example.com")).indexDocument(i -> i.suffix("index.html")))));
        assertEquals("index.html", s3.getBucketWebsite(b -> b.bucket(bucket)).indexDocument().suffix());

        s3.deleteBucketWebsite(b -> b.bucket(bucket));
        assertS3Error(404, "NoSuchWebsiteConfiguration", () -> s3.getBucketWebsite(b -> b.bucket(bucket)));
    }

    @Test
    void notificationsAreEmptyUntilSetThenStoredAndReturned() {
        assertTrue(s3.getBucketNotificationConfiguration(b -> b.bucket(bucket)).queueConfigurations().isEmpty());
        String queue = "arn:aws:sqs:us-east-1:123456789012:uploads";
        s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(n -> n
                .queueConfigurations(q -> q.id("uploads").queueArn(queue).events(Event.S3_OBJECT_CREATED))));
        GetBucketNotificationConfigurationResponse notification =
                s3.getBucketNotificationConfiguration(b -> b.bucket(bucket));
        assertEquals(queue, notification.queueConfigurations().get(0).queueArn());
        assertEquals("uploads", notification.queueConfigurations().get(0).id());
        assertEquals(List.of(Event.S3_OBJECT_CREATED), notification.queueConfigurations().get(0).events());

        assertS3Error(400, "InvalidArgument", () -> s3.putBucketNotificationConfiguration(b -> b.bucket(bucket)
                .notificationConfiguration(n -> n.queueConfigurations(q -> q.queueArn(queue).eventsWithStrings("ObjectCreated")))));

        s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(n -> { }));
        assertTrue(s3.getBucketNotificationConfiguration(b -> b.bucket(bucket)).queueConfigurations().isEmpty());
    }

    @Test
    void replicationNeedsVersioningAndIsStoredReturnedAndDeleted() throws Exception {
        assertS3Error(404, "ReplicationConfigurationNotFoundError", () -> s3.getBucketReplication(b -> b.bucket(bucket)));
        String role = "arn:aws:iam::123456789012:role/replication";
        assertS3Error(400, "InvalidRequest", () -> s3.putBucketReplication(b -> b.bucket(bucket).replicationConfiguration(c -> c
                .role(role).rules(r -> r.id("all").status(ReplicationRuleStatus.ENABLED).prefix("")
                        .destination(d -> d.bucket("arn:aws:s3:::elsewhere"))))));
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        s3.putBucketReplication(b -> b.bucket(bucket).replicationConfiguration(c -> c
                .role(role).rules(r -> r.id("all").status(ReplicationRuleStatus.ENABLED).prefix("")
                        .destination(d -> d.bucket("arn:aws:s3:::elsewhere")))));
        GetBucketReplicationResponse replication = s3.getBucketReplication(b -> b.bucket(bucket));
        assertEquals(role, replication.replicationConfiguration().role());
        assertEquals("arn:aws:s3:::elsewhere", replication.replicationConfiguration().rules().get(0).destination().bucket());

        assertRawError(raw("PUT", "replication", "<ReplicationConfiguration><Role>" + role + "</Role>"
                + "<Rule><Status>Enabled</Status><Prefix></Prefix></Rule></ReplicationConfiguration>"), 400, "MalformedXML");
        assertRawError(raw("PUT", "replication", "<ReplicationConfiguration><Role>" + role + "</Role>"
                + "</ReplicationConfiguration>"), 400, "MalformedXML");
        assertEquals(role, s3.getBucketReplication(b -> b.bucket(bucket)).replicationConfiguration().role());

        s3.deleteBucketReplication(b -> b.bucket(bucket));
        assertS3Error(404, "ReplicationConfigurationNotFoundError", () -> s3.getBucketReplication(b -> b.bucket(bucket)));
    }

    @Test
    void configurationsAreKeptInTheBucketFileAcrossARestart(@TempDir Path directory) {
        try (S3iteServer first = new S3iteServer(directory).withAnonymousAccess().start()) {
            S3Client client = first.createClient();
            client.createBucket(b -> b.bucket("kept"));
            client.putBucketTagging(b -> b.bucket("kept").tagging(t -> t.tagSet(Tag.builder().key("kept").value("yes").build())));
            client.putBucketRequestPayment(b -> b.bucket("kept").requestPaymentConfiguration(c -> c.payer(Payer.REQUESTER)));
        }
        try (S3iteServer again = new S3iteServer(directory).withAnonymousAccess().start()) {
            S3Client client = again.createClient();
            assertEquals("yes", client.getBucketTagging(b -> b.bucket("kept")).tagSet().get(0).value());
            assertEquals(Payer.REQUESTER, client.getBucketRequestPayment(b -> b.bucket("kept")).payer());
        }
    }

    @Test
    void otherSubResourcesAnswerS3sNotImplemented() throws Exception {
        S3Exception error = assertS3Error(501, "NotImplemented",
                () -> s3.getBucketAnalyticsConfiguration(b -> b.bucket(bucket).id("a")));
        assertEquals("A header you provided implies functionality that is not implemented.",
                error.awsErrorDetails().errorMessage());
        assertS3Error(501, "NotImplemented", () -> s3.getBucketMetricsConfiguration(b -> b.bucket(bucket).id("m")));
        HttpResponse<String> raw = raw("GET", "inventory&id=i", null);
        assertRawError(raw, 501, "NotImplemented");
        assertTrue(raw.body().contains("<RequestId>"), raw.body());
    }

    @Test
    void aMethodASubResourceHasNoOperationForIsMethodNotAllowed() throws Exception {
        assertRawError(raw("DELETE", "logging", null), 405, "MethodNotAllowed");
        assertRawError(raw("POST", "tagging", "<Tagging/>"), 405, "MethodNotAllowed");
    }
}
