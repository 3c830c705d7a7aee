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
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** The request journal: what the code under test sent, as the server answered it. */
class RequestJournalEndToEndTest {
    private static S3iteServer server;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        server = new S3iteServer().withBucket("journal").start();
        s3 = server.createClient();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void clear() {
        server.clearRequests();
    }

    @Test
    void eachAnsweredRequestIsRecordedWithItsOperationBucketKeyAndStatus() {
        s3.putObject(b -> b.bucket("journal").key("notes/a.txt").metadata(java.util.Map.of("who", "me")),
                RequestBody.fromString("hello"));
        s3.getObjectAsBytes(b -> b.bucket("journal").key("notes/a.txt"));
        s3.listObjectsV2(b -> b.bucket("journal").prefix("notes/"));
        assertThrows(NoSuchKeyException.class, () -> s3.getObjectAsBytes(b -> b.bucket("journal").key("missing")));

        List<RecordedRequest> requests = server.getRequests();
        assertEquals(List.of("PutObject", "GetObject", "ListObjectsV2", "GetObject"),
                requests.stream().map(RecordedRequest::operation).toList());
        RecordedRequest put = requests.get(0);
        assertEquals("journal", put.bucket());
        assertEquals("notes/a.txt", put.key());
        assertEquals(200, put.status());
        assertNull(put.errorCode());
        assertEquals("me", put.header("x-amz-meta-who"));
        assertTrue(put.requestBytes() >= 5);
        assertEquals("notes/", requests.get(2).query().get("prefix"));
        RecordedRequest missing = requests.get(3);
        assertEquals(404, missing.status());
        assertEquals("NoSuchKey", missing.errorCode());
        assertEquals(List.of(missing), server.getRequests("GetObject").subList(1, 2));
        assertTrue(missing.toString().startsWith("GetObject journal/missing -> 404 NoSuchKey"), missing.toString());
    }

    @Test
    void signatureMaterialIsMasked() throws Exception {
        s3.headBucket(b -> b.bucket("journal"));
        RecordedRequest head = server.getRequests().get(0);
        String authorization = head.header("Authorization");
        assertTrue(authorization.startsWith("AWS4-HMAC-SHA256 Credential=" + server.getAccessKey() + "/"), authorization);
        assertTrue(authorization.endsWith("Signature=***"), authorization);

        try (var presigner = server.createPresigner()) {
            URI url = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(1))
                    .getObjectRequest(g -> g.bucket("journal").key("any"))).url().toURI();
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.discarding());
        }
        RecordedRequest presigned = server.getRequests().get(1);
        assertEquals("***", presigned.query().get("X-Amz-Signature"));
        assertFalse(presigned.query().get("X-Amz-Credential").isEmpty());
    }

    @Test
    void takeRequestHandsOutEachRequestOnceInOrderAndWaitsForTheNext() throws Exception {
        s3.putObject(b -> b.bucket("journal").key("one"), RequestBody.fromString("1"));
        s3.deleteObject(b -> b.bucket("journal").key("one"));
        assertEquals("PutObject", server.takeRequest(Duration.ofSeconds(1)).operation());
        assertEquals("DeleteObject", server.takeRequest(Duration.ofSeconds(1)).operation());
        assertNull(server.takeRequest(Duration.ofMillis(100)));

        Thread later = new Thread(() -> s3.headBucket(b -> b.bucket("journal")));
        later.start();
        RecordedRequest taken = server.takeRequest(Duration.ofSeconds(5));
        later.join();
        assertNotNull(taken);
        assertEquals("HeadBucket", taken.operation());
    }

    @Test
    void theJournalIsARingOfItsCapacityAndCanBeTurnedOff() {
        try (S3iteServer small = new S3iteServer().withRequestJournal(2).withBucket("ring").start();
             S3iteServer off = new S3iteServer().withRequestJournal(0).withBucket("ring").start()) {
            S3Client client = small.createClient();
            for (String key : List.of("a", "b", "c")) {
                client.putObject(b -> b.bucket("ring").key(key), RequestBody.fromString(key));
            }
            assertEquals(List.of("b", "c"), small.getRequests().stream().map(RecordedRequest::key).toList());
            off.createClient().headBucket(b -> b.bucket("ring"));
            assertTrue(off.getRequests().isEmpty());
            assertThrows(IllegalStateException.class, () -> off.takeRequest(Duration.ofSeconds(1)));
        }
    }

    @Test
    void clearRequestsEmptiesTheJournal() {
        s3.headBucket(b -> b.bucket("journal"));
        server.clearRequests();
        assertTrue(server.getRequests().isEmpty());
    }

    @Test
    void sessionTokensAndCustomerKeysAreMaskedWhateverTheirCase() throws Exception {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.getEndpoint()
                        + "/journal/k?x-amz-security-token=SECRETTOKEN&Signature=SIG&AWSAccessKeyId=AKID&Expires=1"))
                .header("x-amz-server-side-encryption-customer-key", "c2VjcmV0LWtleQ==")
                .build(), HttpResponse.BodyHandlers.discarding());
        RecordedRequest request = server.getRequests().get(0);
        assertEquals("***", request.query().get("x-amz-security-token"));
        assertEquals("***", request.query().get("Signature"));
        assertEquals("AKID", request.query().get("AWSAccessKeyId"));
        assertEquals("***", request.header("x-amz-server-side-encryption-customer-key"));
        assertFalse(request.toString().contains("SECRETTOKEN"));
    }
}
