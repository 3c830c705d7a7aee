package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectAttributesResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/**
 * Multipart objects keep their part boundaries: GetObject / HeadObject by {@code partNumber}, the
 * SDK's multipart download, and GetObjectAttributes.
 */
class ObjectPartsEndToEndTest {
    private static final int MIB = 1024 * 1024;
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
        bucket = "parts-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket));
    }

    private static byte[] bytes(int size, int seed) {
        return MultipartEndToEndTest.bytes(size, seed);
    }

    /** Uploads {@code parts} under their numbers and completes; returns the whole object. */
    private byte[] multipart(String key, ChecksumAlgorithm algorithm, int[] numbers, byte[]... parts) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).checksumAlgorithm(algorithm)).uploadId();
        List<CompletedPart> completed = new ArrayList<>();
        int length = 0;
        for (int i = 0; i < parts.length; i++) {
            int number = numbers[i];
            var response = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                    .checksumAlgorithm(algorithm), RequestBody.fromBytes(parts[i]));
            completed.add(CompletedPart.builder().partNumber(number).eTag(response.eTag())
                    .checksumCRC32(response.checksumCRC32()).build());
            length += parts[i].length;
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(completed)));
        byte[] whole = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, whole, offset, part.length);
            offset += part.length;
        }
        return whole;
    }

    private byte[] threeParts(String key) {
        return multipart(key, null, new int[] {1, 2, 3}, bytes(5 * MIB, 1), bytes(5 * MIB, 2), bytes(1234, 3));
    }

    @Test
    void getObjectByPartNumberServesThatPartOfAMultipartObject() {
        byte[] whole = threeParts("three");
        ResponseBytes<GetObjectResponse> second = s3.getObjectAsBytes(b -> b.bucket(bucket).key("three").partNumber(2));
        assertArrayEquals(Arrays.copyOfRange(whole, 5 * MIB, 10 * MIB), second.asByteArray());
        assertEquals("bytes " + 5 * MIB + "-" + (10 * MIB - 1) + "/" + whole.length, second.response().contentRange());
        assertEquals(3, second.response().partsCount());
        assertEquals((long) 5 * MIB, second.response().contentLength());
        ResponseBytes<GetObjectResponse> last = s3.getObjectAsBytes(b -> b.bucket(bucket).key("three").partNumber(3));
        assertArrayEquals(Arrays.copyOfRange(whole, 10 * MIB, whole.length), last.asByteArray());
        assertEquals(206, server.getRequests("GetObject").get(1).status());
    }

    @Test
    void headObjectByPartNumberDescribesThatPart() {
        byte[] whole = threeParts("three");
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("three").partNumber(3));
        assertEquals(1234L, head.contentLength());
        assertEquals(3, head.partsCount());
        assertEquals("bytes " + 10 * MIB + "-" + (whole.length - 1) + "/" + whole.length, head.contentRange());
        assertNull(s3.headObject(b -> b.bucket(bucket).key("three")).partsCount());
    }

    @Test
    void partNumberBeyondThePartsIsInvalidPartNumber() {
        threeParts("three");
        S3Exception get = assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("three").partNumber(4)));
        assertEquals(416, get.statusCode());
        assertEquals("InvalidPartNumber", get.awsErrorDetails().errorCode());
        S3Exception head = assertThrows(S3Exception.class,
                () -> s3.headObject(b -> b.bucket(bucket).key("three").partNumber(4)));
        assertEquals(416, head.statusCode());
    }

    @Test
    void sparsePartNumbersAreServedByTheNumbersTheyWereUploadedWith() {
        byte[] one = bytes(5 * MIB, 4);
        byte[] three = bytes(10, 5);
        multipart("sparse", null, new int[] {1, 3}, one, three);
        ResponseBytes<GetObjectResponse> part = s3.getObjectAsBytes(b -> b.bucket(bucket).key("sparse").partNumber(3));
        assertArrayEquals(three, part.asByteArray());
        assertEquals(2, part.response().partsCount());
        assertEquals(416, assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("sparse").partNumber(2))).statusCode());
    }

    @Test
    void anObjectOfOnePutIsOnePart() {
        s3.putObject(b -> b.bucket(bucket).key("single"), RequestBody.fromString("hello"));
        ResponseBytes<GetObjectResponse> first = s3.getObjectAsBytes(b -> b.bucket(bucket).key("single").partNumber(1));
        assertEquals("hello", first.asUtf8String());
        assertEquals("bytes 0-4/5", first.response().contentRange());
        assertNull(first.response().partsCount());
        S3Exception second = assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("single").partNumber(2)));
        assertEquals("InvalidPartNumber", second.awsErrorDetails().errorCode());
    }

    @Test
    void overwritingAMultipartObjectForgetsItsParts() {
        threeParts("three");
        s3.putObject(b -> b.bucket(bucket).key("three"), RequestBody.fromString("now one part"));
        ResponseBytes<GetObjectResponse> first = s3.getObjectAsBytes(b -> b.bucket(bucket).key("three").partNumber(1));
        assertEquals("now one part", first.asUtf8String());
        assertNull(first.response().partsCount());
        assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("three").partNumber(2)));
    }

    @Test
    void partsOfAnObjectRewrittenBehindOurBackNoLongerCount() throws Exception {
        threeParts("three");
        // the original s3ite, which knows nothing of object_part, rewrites the object
        Path file = server.getDataDirectory().resolve(bucket + ".sqlite3");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             PreparedStatement statement = connection.prepareStatement(
                     "UPDATE data SET value = ?, size = 3, md5 = NULL, last_modified = ? WHERE key = 'three'")) {
            statement.setBytes(1, "abc".getBytes());
            statement.setString(2, "2030-01-01 00:00:00.5+00:00");
            statement.executeUpdate();
        }
        ResponseBytes<GetObjectResponse> first = s3.getObjectAsBytes(b -> b.bucket(bucket).key("three").partNumber(1));
        assertEquals("abc", first.asUtf8String());
        assertNull(first.response().partsCount());
        assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("three").partNumber(2)));
        GetObjectAttributesResponse attributes = s3.getObjectAttributes(b -> b.bucket(bucket).key("three")
                .objectAttributes(ObjectAttributes.OBJECT_PARTS, ObjectAttributes.OBJECT_SIZE));
        assertNull(attributes.objectParts());
        assertEquals(3L, attributes.objectSize());
    }

    @Test
    void asyncMultipartDownloadFetchesEveryPartByNumber() {
        byte[] whole = threeParts("three");
        server.clearRequests();
        try (S3AsyncClient async = S3AsyncClient.builder()
                .endpointOverride(server.getEndpoint())
                .region(Region.of(server.getRegion()))
                .credentialsProvider(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                        server.getAccessKey(), server.getSecretKey()))
                .forcePathStyle(true)
                .multipartEnabled(true)
                .build()) {
            byte[] back = async.getObject(b -> b.bucket(bucket).key("three"), AsyncResponseTransformer.toBytes())
                    .join().asByteArray();
            assertArrayEquals(whole, back);
        }
        List<String> partNumbers = server.getRequests("GetObject").stream().map(r -> r.query().get("partNumber")).toList();
        assertEquals(List.of("1", "2", "3"), partNumbers);
    }

    @Test
    void transferManagerDownloadsAMultipartObjectPartByPart(@TempDir Path directory) throws Exception {
        byte[] whole = threeParts("three");
        Path target = directory.resolve("three.bin");
        server.clearRequests();
        try (S3AsyncClient async = S3AsyncClient.builder()
                .endpointOverride(server.getEndpoint())
                .region(Region.of(server.getRegion()))
                .credentialsProvider(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                        server.getAccessKey(), server.getSecretKey()))
                .forcePathStyle(true)
                .multipartEnabled(true)
                .build();
             S3TransferManager transfers = S3TransferManager.builder().s3Client(async).build()) {
            transfers.downloadFile(d -> d.destination(target).getObjectRequest(g -> g.bucket(bucket).key("three")))
                    .completionFuture().join();
        }
        assertArrayEquals(whole, Files.readAllBytes(target));
        assertTrue(server.getRequests("GetObject").stream().anyMatch(r -> "3".equals(r.query().get("partNumber"))));
    }

    @Test
    void asyncGetObjectByPartNumberOfAMissingPartFails() {
        threeParts("three");
        try (S3AsyncClient async = server.createAsyncClient()) {
            CompletionException failure = assertThrows(CompletionException.class, () -> async.getObject(
                    b -> b.bucket(bucket).key("three").partNumber(7), AsyncResponseTransformer.toBytes()).join());
            assertEquals(416, ((S3Exception) failure.getCause()).statusCode());
            var part = async.getObject(b -> b.bucket(bucket).key("three").partNumber(3), AsyncResponseTransformer.toBytes())
                    .join();
            assertEquals(1234, part.asByteArray().length);
        }
    }

    @Test
    void partChecksumIsServedWithAPartWhenAsked() {
        byte[] one = bytes(5 * MIB, 6);
        byte[] two = bytes(77, 7);
        multipart("crc", ChecksumAlgorithm.CRC32, new int[] {1, 2}, one, two);
        ResponseBytes<GetObjectResponse> part = s3.getObjectAsBytes(b -> b.bucket(bucket).key("crc").partNumber(2)
                .checksumMode(ChecksumMode.ENABLED));
        assertArrayEquals(two, part.asByteArray());
        assertNotNull(part.response().checksumCRC32());
        assertFalse(part.response().checksumCRC32().contains("-"));
    }

    @Test
    void getObjectAttributesAnswersEachAttributeAskedFor() {
        byte[] whole = threeParts("three");
        GetObjectAttributesResponse attributes = s3.getObjectAttributes(b -> b.bucket(bucket).key("three")
                .objectAttributes(ObjectAttributes.E_TAG, ObjectAttributes.OBJECT_SIZE, ObjectAttributes.STORAGE_CLASS,
                        ObjectAttributes.OBJECT_PARTS, ObjectAttributes.CHECKSUM));
        String etag = s3.headObject(b -> b.bucket(bucket).key("three")).eTag();
        assertEquals(etag.replace("\"", ""), attributes.eTag());
        assertEquals((long) whole.length, attributes.objectSize());
        assertEquals("STANDARD", attributes.storageClassAsString());
        assertEquals(3, attributes.objectParts().totalPartsCount());
        assertEquals(List.of(1, 2, 3), attributes.objectParts().parts().stream().map(p -> p.partNumber()).toList());
        assertEquals(List.of((long) 5 * MIB, (long) 5 * MIB, 1234L),
                attributes.objectParts().parts().stream().map(p -> p.size()).toList());
        assertFalse(attributes.objectParts().isTruncated());
        assertNotNull(attributes.checksum().checksumCRC64NVME());
        assertNotNull(attributes.lastModified());
        GetObjectAttributesResponse onlySize = s3.getObjectAttributes(b -> b.bucket(bucket).key("three")
                .objectAttributes(ObjectAttributes.OBJECT_SIZE));
        assertNull(onlySize.eTag());
        assertNull(onlySize.objectParts());
        assertEquals((long) whole.length, onlySize.objectSize());
    }

    @Test
    void getObjectAttributesPagesThroughParts() {
        multipart("four", ChecksumAlgorithm.CRC32, new int[] {1, 2, 3, 4},
                bytes(5 * MIB, 1), bytes(5 * MIB, 2), bytes(5 * MIB, 3), bytes(9, 4));
        GetObjectAttributesResponse first = s3.getObjectAttributes(b -> b.bucket(bucket).key("four")
                .objectAttributes(ObjectAttributes.OBJECT_PARTS).maxParts(3));
        assertEquals(4, first.objectParts().totalPartsCount());
        assertTrue(first.objectParts().isTruncated());
        assertEquals(3, first.objectParts().maxParts());
        assertEquals(3, first.objectParts().nextPartNumberMarker());
        assertEquals(List.of(1, 2, 3), first.objectParts().parts().stream().map(p -> p.partNumber()).toList());
        assertNotNull(first.objectParts().parts().get(0).checksumCRC32());
        GetObjectAttributesResponse second = s3.getObjectAttributes(b -> b.bucket(bucket).key("four")
                .objectAttributes(ObjectAttributes.OBJECT_PARTS).maxParts(3).partNumberMarker(3));
        assertFalse(second.objectParts().isTruncated());
        assertEquals(3, second.objectParts().partNumberMarker());
        assertEquals(List.of(4), second.objectParts().parts().stream().map(p -> p.partNumber()).toList());
        assertEquals(9L, second.objectParts().parts().get(0).size());
    }

    @Test
    void getObjectAttributesOfASinglePutObjectHasNoParts() {
        s3.putObject(b -> b.bucket(bucket).key("single").checksumAlgorithm(ChecksumAlgorithm.SHA256),
                RequestBody.fromString("hello"));
        GetObjectAttributesResponse attributes = s3.getObjectAttributes(b -> b.bucket(bucket).key("single")
                .objectAttributes(ObjectAttributes.E_TAG, ObjectAttributes.OBJECT_PARTS, ObjectAttributes.CHECKSUM,
                        ObjectAttributes.OBJECT_SIZE));
        assertEquals("5d41402abc4b2a76b9719d911017c592", attributes.eTag());
        assertNull(attributes.objectParts());
        assertEquals("LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=", attributes.checksum().checksumSHA256());
        assertEquals(5L, attributes.objectSize());
    }

    @Test
    void getObjectAttributesErrors() {
        S3Exception missing = assertThrows(S3Exception.class, () -> s3.getObjectAttributes(b -> b.bucket(bucket)
                .key("nothing").objectAttributes(ObjectAttributes.E_TAG)));
        assertEquals(404, missing.statusCode());
        s3.putObject(b -> b.bucket(bucket).key("single"), RequestBody.fromString("hello"));
        S3Exception invalid = assertThrows(S3Exception.class, () -> s3.getObjectAttributes(b -> b.bucket(bucket)
                .key("single").objectAttributesWithStrings("Colour")));
        assertEquals(400, invalid.statusCode());
        assertEquals("InvalidArgument", invalid.awsErrorDetails().errorCode());
    }

    @Test
    void asyncGetObjectAttributes() {
        byte[] whole = threeParts("three");
        try (S3AsyncClient async = server.createAsyncClient()) {
            GetObjectAttributesResponse attributes = async.getObjectAttributes(b -> b.bucket(bucket).key("three")
                    .objectAttributes(ObjectAttributes.OBJECT_PARTS, ObjectAttributes.OBJECT_SIZE).maxParts(1)).join();
            assertEquals((long) whole.length, attributes.objectSize());
            assertEquals(3, attributes.objectParts().totalPartsCount());
            assertEquals(1, attributes.objectParts().parts().size());
            assertTrue(attributes.objectParts().isTruncated());
        }
    }
}
