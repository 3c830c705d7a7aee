package io.github.s3ite.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3ite.server.checksum.ChecksumDigest;
import io.github.s3ite.server.checksum.Checksums;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAttributesResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Multipart uploads with a customer key (SSE-C) through the AWS SDK: parts stored encrypted, each
 * with a counter of its own, the completed object read with the key whole, by range across part
 * boundaries and by part number; refusals; part copies; GetObjectAttributes; and what a repeated
 * completion reports.
 */
class EncryptionMultipartEndToEndTest {
    private static final int MIB = 1024 * 1024;
    private static final String MARKER = "s3ite-plaintext-marker-";
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final String KEY_A = key((byte) 3);
    private static final String KEY_B = key((byte) 4);
    /** Sizes that leave every part boundary off the 16-byte blocks of AES. */
    private static final byte[][] PARTS = {plaintext(5 * MIB + 3, 1), plaintext(5 * MIB + 5, 2), plaintext(1000, 3)};
    private static final byte[] WHOLE = concat(PARTS);
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
        bucket = "encryption-multipart-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket));
    }

    private static String key(byte fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, fill);
        return Base64.getEncoder().encodeToString(key);
    }

    private static String md5(String base64Key) {
        return Base64.getEncoder().encodeToString(md5(Base64.getDecoder().decode(base64Key)));
    }

    private static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code size} bytes of the marker followed by a running number, so any misplaced byte shows. */
    private static byte[] plaintext(int size, int seed) {
        StringBuilder text = new StringBuilder(size + 64);
        for (int i = 0; text.length() < size; i++) {
            text.append(MARKER).append(seed).append(':').append(i).append('\n');
        }
        return Arrays.copyOf(text.toString().getBytes(StandardCharsets.US_ASCII), size);
    }

    private static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] part : parts) {
            size += part.length;
        }
        byte[] whole = new byte[size];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, whole, offset, part.length);
            offset += part.length;
        }
        return whole;
    }

    private static GetObjectRequest.Builder withKey(GetObjectRequest.Builder builder, String customerKey) {
        return builder.sseCustomerAlgorithm("AES256").sseCustomerKey(customerKey).sseCustomerKeyMD5(md5(customerKey));
    }

    private static String header(SdkHttpResponse response, String name) {
        return response.firstMatchingHeader(name).orElse(null);
    }

    private CreateMultipartUploadResponse create(String objectKey, String customerKey) {
        return s3.createMultipartUpload(b -> b.bucket(bucket).key(objectKey).sseCustomerAlgorithm("AES256")
                .sseCustomerKey(customerKey).sseCustomerKeyMD5(md5(customerKey)));
    }

    private UploadPartResponse uploadPart(String objectKey, String uploadId, int number, byte[] bytes, String customerKey) {
        return s3.uploadPart(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId).partNumber(number)
                .sseCustomerAlgorithm("AES256").sseCustomerKey(customerKey).sseCustomerKeyMD5(md5(customerKey)),
                RequestBody.fromBytes(bytes));
    }

    /** The SSE-C object of {@link #PARTS} under {@code customerKey}, completed without the key, as S3 allows. */
    private CompleteMultipartUploadResponse uploadWhole(String objectKey, String customerKey) {
        String uploadId = create(objectKey, customerKey).uploadId();
        List<CompletedPart> completed = new ArrayList<>();
        for (int i = 0; i < PARTS.length; i++) {
            int number = i + 1;
            String etag = uploadPart(objectKey, uploadId, number, PARTS[i], customerKey).eTag();
            completed.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        return s3.completeMultipartUpload(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId)
                .multipartUpload(m -> m.parts(completed)));
    }

    private static String code(S3Exception e) {
        return e.awsErrorDetails().errorCode();
    }

    @Test
    void createMultipartUploadAndEachPartAnswerTheCustomerKeyAndCompletionAnswersNoEncryptionHeader() {
        CreateMultipartUploadResponse created = create("mp", KEY_A);
        assertEquals("AES256", created.sseCustomerAlgorithm());
        assertEquals(md5(KEY_A), created.sseCustomerKeyMD5());
        assertNull(created.serverSideEncryption());
        UploadPartResponse part = uploadPart("mp", created.uploadId(), 1, PARTS[2], KEY_A);
        assertEquals("AES256", part.sseCustomerAlgorithm());
        assertEquals(md5(KEY_A), part.sseCustomerKeyMD5());
        assertNull(part.serverSideEncryption());

        CompleteMultipartUploadResponse completed = s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp")
                .uploadId(created.uploadId()).multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(part.eTag()))));
        // S3 documents only x-amz-server-side-encryption, -aws-kms-key-id and -bucket-key-enabled here
        assertNull(completed.serverSideEncryption());
        assertNull(header(completed.sdkHttpResponse(), "x-amz-server-side-encryption-customer-algorithm"));
        assertNull(header(completed.sdkHttpResponse(), "x-amz-server-side-encryption-customer-key-MD5"));
        assertArrayEquals(PARTS[2], s3.getObjectAsBytes(b -> withKey(b.bucket(bucket).key("mp"), KEY_A)).asByteArray());
    }

    @Test
    void anSseCObjectCompletedFromPartsIsReadWholeWithItsKey() {
        CompleteMultipartUploadResponse completed = uploadWhole("mp", KEY_A);
        assertTrue(completed.eTag().endsWith("-3\""), completed.eTag());
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> withKey(b.bucket(bucket).key("mp"), KEY_A));
        assertArrayEquals(WHOLE, got.asByteArray());
        assertEquals("AES256", got.response().sseCustomerAlgorithm());
        assertEquals(md5(KEY_A), got.response().sseCustomerKeyMD5());
        assertEquals(completed.eTag(), got.response().eTag());
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("mp").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(KEY_A).sseCustomerKeyMD5(md5(KEY_A)));
        assertEquals(WHOLE.length, head.contentLength());
        assertEquals(md5(KEY_A), head.sseCustomerKeyMD5());
    }

    @Test
    void rangedGetsAcrossPartBoundariesDecryptEachPartWithItsOwnCounter() {
        uploadWhole("mp", KEY_A);
        long first = PARTS[0].length;
        long second = first + PARTS[1].length;
        long[][] ranges = {{first - 10, first + 9}, {first - 1, first}, {7, second + 20}, {first + 17, second - 3},
            {second - 33, WHOLE.length - 1}, {0, WHOLE.length - 1}};
        for (long[] range : ranges) {
            ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> withKey(b.bucket(bucket).key("mp"), KEY_A)
                    .range("bytes=" + range[0] + "-" + range[1]));
            assertArrayEquals(Arrays.copyOfRange(WHOLE, (int) range[0], (int) range[1] + 1), got.asByteArray(),
                    range[0] + "-" + range[1]);
        }
    }

    @Test
    void getObjectByPartNumberDecryptsThatPart() {
        uploadWhole("mp", KEY_A);
        for (int number = 1; number <= PARTS.length; number++) {
            int n = number;
            ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> withKey(b.bucket(bucket).key("mp"), KEY_A)
                    .partNumber(n));
            assertArrayEquals(PARTS[n - 1], got.asByteArray(), "part " + n);
            assertEquals(3, got.response().partsCount());
            assertEquals(md5(KEY_A), got.response().sseCustomerKeyMD5());
        }
        S3Exception withoutKey = assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("mp").partNumber(2)));
        assertEquals(400, withoutKey.statusCode());
        assertEquals("InvalidRequest", code(withoutKey));
    }

    @Test
    void theCompletedObjectIsRefusedWithoutItsKeyOrWithAnother() {
        uploadWhole("mp", KEY_A);
        S3Exception withoutKey = assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("mp")));
        assertEquals(400, withoutKey.statusCode());
        assertEquals("InvalidRequest", code(withoutKey));
        assertEquals("The object was stored using a form of Server Side Encryption. The correct parameters must be"
                + " provided to retrieve the object.", withoutKey.awsErrorDetails().errorMessage());
        S3Exception headWithoutKey = assertThrows(S3Exception.class, () -> s3.headObject(b -> b.bucket(bucket).key("mp")));
        assertEquals(400, headWithoutKey.statusCode());
        S3Exception otherKey = assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(b -> withKey(b.bucket(bucket).key("mp"), KEY_B)));
        assertEquals(403, otherKey.statusCode());
        assertEquals("AccessDenied", code(otherKey));
        S3Exception headOtherKey = assertThrows(S3Exception.class, () -> s3.headObject(b -> b.bucket(bucket).key("mp")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(KEY_B).sseCustomerKeyMD5(md5(KEY_B))));
        assertEquals(403, headOtherKey.statusCode());
    }

    @Test
    void aPartWithoutTheUploadsKeyOrWithAnotherIsRefused() {
        String uploadId = create("mp", KEY_A).uploadId();
        S3Exception withoutKey = assertThrows(S3Exception.class, () -> s3.uploadPart(b -> b.bucket(bucket).key("mp")
                .uploadId(uploadId).partNumber(1), RequestBody.fromBytes(PARTS[2])));
        assertEquals(400, withoutKey.statusCode());
        assertEquals("InvalidRequest", code(withoutKey));
        assertEquals("The multipart upload initiate requested encryption. Subsequent part requests must include the"
                + " appropriate encryption parameters.", withoutKey.awsErrorDetails().errorMessage());
        S3Exception otherKey = assertThrows(S3Exception.class,
                () -> uploadPart("mp", uploadId, 1, PARTS[2], KEY_B));
        assertEquals(400, otherKey.statusCode());
        assertEquals("InvalidRequest", code(otherKey));
        assertEquals("The provided encryption parameters did not match the ones used originally.",
                otherKey.awsErrorDetails().errorMessage());
        assertTrue(s3.listParts(b -> b.bucket(bucket).key("mp").uploadId(uploadId)).parts().isEmpty());

        s3.putObject(b -> b.bucket(bucket).key("source"), RequestBody.fromBytes(PARTS[2]));
        S3Exception copyWithoutKey = assertThrows(S3Exception.class, () -> s3.uploadPartCopy(b -> b.sourceBucket(bucket)
                .sourceKey("source").destinationBucket(bucket).destinationKey("mp").uploadId(uploadId).partNumber(1)));
        assertEquals(400, copyWithoutKey.statusCode());
        assertEquals("InvalidRequest", code(copyWithoutKey));

        String plainUpload = s3.createMultipartUpload(b -> b.bucket(bucket).key("plain")).uploadId();
        S3Exception keyForPlain = assertThrows(S3Exception.class, () -> uploadPart("plain", plainUpload, 1, PARTS[2], KEY_A));
        assertEquals(400, keyForPlain.statusCode());
        assertEquals("The multipart upload initiate requested encryption. Subsequent part requests must include the"
                + " appropriate encryption parameters.", keyForPlain.awsErrorDetails().errorMessage());
    }

    @Test
    void aCompletionThatBringsAKeyMustBringTheUploadsOwn() {
        String uploadId = create("mp", KEY_A).uploadId();
        String etag = uploadPart("mp", uploadId, 1, PARTS[2], KEY_A).eTag();
        S3Exception otherKey = assertThrows(S3Exception.class, () -> s3.completeMultipartUpload(b -> b.bucket(bucket)
                .key("mp").uploadId(uploadId).sseCustomerAlgorithm("AES256").sseCustomerKey(KEY_B)
                .sseCustomerKeyMD5(md5(KEY_B)).multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag)))));
        assertEquals(400, otherKey.statusCode());
        assertEquals("InvalidRequest", code(otherKey));
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp").uploadId(uploadId).sseCustomerAlgorithm("AES256")
                .sseCustomerKey(KEY_A).sseCustomerKeyMD5(md5(KEY_A))
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
        assertArrayEquals(PARTS[2], s3.getObjectAsBytes(b -> withKey(b.bucket(bucket).key("mp"), KEY_A)).asByteArray());
    }

    @Test
    void uploadPartCopyDecryptsAnSseCSourceWithItsKeyAndEncryptsThePartUnderTheUploadsKey() {
        uploadWhole("source", KEY_A);
        String uploadId = create("copy", KEY_B).uploadId();
        long from = PARTS[0].length - 100;
        long to = from + 5 * MIB;
        S3Exception withoutSourceKey = assertThrows(S3Exception.class, () -> s3.uploadPartCopy(b -> b.sourceBucket(bucket)
                .sourceKey("source").destinationBucket(bucket).destinationKey("copy").uploadId(uploadId).partNumber(1)
                .sseCustomerAlgorithm("AES256").sseCustomerKey(KEY_B).sseCustomerKeyMD5(md5(KEY_B))));
        assertEquals(400, withoutSourceKey.statusCode());
        assertEquals("InvalidRequest", code(withoutSourceKey));

        UploadPartCopyResponse copied = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("source")
                .copySourceRange("bytes=" + from + "-" + (to - 1))
                .copySourceSSECustomerAlgorithm("AES256").copySourceSSECustomerKey(KEY_A)
                .copySourceSSECustomerKeyMD5(md5(KEY_A))
                .sseCustomerAlgorithm("AES256").sseCustomerKey(KEY_B).sseCustomerKeyMD5(md5(KEY_B))
                .destinationBucket(bucket).destinationKey("copy").uploadId(uploadId).partNumber(1));
        assertEquals("AES256", copied.sseCustomerAlgorithm());
        assertEquals(md5(KEY_B), copied.sseCustomerKeyMD5());
        String last = uploadPart("copy", uploadId, 2, PARTS[2], KEY_B).eTag();
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("copy").uploadId(uploadId).multipartUpload(m -> m.parts(
                p -> p.partNumber(1).eTag(copied.copyPartResult().eTag()), p -> p.partNumber(2).eTag(last))));

        byte[] expected = concat(Arrays.copyOfRange(WHOLE, (int) from, (int) to), PARTS[2]);
        assertArrayEquals(expected, s3.getObjectAsBytes(b -> withKey(b.bucket(bucket).key("copy"), KEY_B)).asByteArray());
        assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(b -> withKey(b.bucket(bucket).key("copy"), KEY_A)));
    }

    @Test
    void copyObjectOfAnSseCObjectCompletedFromPartsNeedsItsKey() {
        uploadWhole("source", KEY_A);
        S3Exception withoutKey = assertThrows(S3Exception.class, () -> s3.copyObject(b -> b.sourceBucket(bucket)
                .sourceKey("source").destinationBucket(bucket).destinationKey("plain")));
        assertEquals(400, withoutKey.statusCode());
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("source").copySourceSSECustomerAlgorithm("AES256")
                .copySourceSSECustomerKey(KEY_A).copySourceSSECustomerKeyMD5(md5(KEY_A))
                .destinationBucket(bucket).destinationKey("plain"));
        assertArrayEquals(WHOLE, s3.getObjectAsBytes(b -> b.bucket(bucket).key("plain")).asByteArray());
    }

    @Test
    void getObjectAttributesOfAnSseCObjectNeedsItsKey() {
        uploadWhole("mp", KEY_A);
        s3.putObject(b -> b.bucket(bucket).key("single").sseCustomerAlgorithm("AES256").sseCustomerKey(KEY_A)
                .sseCustomerKeyMD5(md5(KEY_A)), RequestBody.fromBytes(PARTS[2]));
        for (String objectKey : new String[] {"mp", "single"}) {
            S3Exception withoutKey = assertThrows(S3Exception.class, () -> s3.getObjectAttributes(b -> b.bucket(bucket)
                    .key(objectKey).objectAttributes(ObjectAttributes.E_TAG, ObjectAttributes.OBJECT_SIZE)));
            assertEquals(400, withoutKey.statusCode(), objectKey);
            assertEquals("InvalidRequest", code(withoutKey));
            S3Exception otherKey = assertThrows(S3Exception.class, () -> s3.getObjectAttributes(b -> b.bucket(bucket)
                    .key(objectKey).objectAttributes(ObjectAttributes.E_TAG).sseCustomerAlgorithm("AES256")
                    .sseCustomerKey(KEY_B).sseCustomerKeyMD5(md5(KEY_B))));
            assertEquals(403, otherKey.statusCode(), objectKey);
        }
        GetObjectAttributesResponse attributes = s3.getObjectAttributes(b -> b.bucket(bucket).key("mp")
                .objectAttributes(ObjectAttributes.E_TAG, ObjectAttributes.OBJECT_SIZE, ObjectAttributes.OBJECT_PARTS)
                .sseCustomerAlgorithm("AES256").sseCustomerKey(KEY_A).sseCustomerKeyMD5(md5(KEY_A)));
        assertEquals(WHOLE.length, attributes.objectSize());
        assertEquals(3, attributes.objectParts().totalPartsCount());
        s3.putObject(b -> b.bucket(bucket).key("plain"), RequestBody.fromString("plain"));
        S3Exception keyForPlain = assertThrows(S3Exception.class, () -> s3.getObjectAttributes(b -> b.bucket(bucket)
                .key("plain").objectAttributes(ObjectAttributes.E_TAG)
                .sseCustomerAlgorithm("AES256").sseCustomerKey(KEY_A).sseCustomerKeyMD5(md5(KEY_A))));
        assertEquals(400, keyForPlain.statusCode());
    }

    @Test
    void theChecksumsOfAnSseCObjectAreOfItsPlaintextThoughCompletionHasNoKey() {
        CompleteMultipartUploadResponse defaulted = uploadWhole("default", KEY_A);
        assertEquals(crc64(WHOLE), defaulted.checksumCRC64NVME());
        assertEquals(ChecksumType.FULL_OBJECT, defaulted.checksumType());
        // the SDK checks the body it gets against this checksum
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> withKey(b.bucket(bucket).key("default"), KEY_A)
                .checksumMode(ChecksumMode.ENABLED));
        assertEquals(crc64(WHOLE), got.response().checksumCRC64NVME());

        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("crc32").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(KEY_A).sseCustomerKeyMD5(md5(KEY_A)).checksumAlgorithm(ChecksumAlgorithm.CRC32)
                .checksumType(ChecksumType.FULL_OBJECT)).uploadId();
        List<CompletedPart> completed = new ArrayList<>();
        for (int i = 0; i < PARTS.length; i++) {
            int number = i + 1;
            UploadPartResponse part = s3.uploadPart(b -> b.bucket(bucket).key("crc32").uploadId(uploadId)
                    .partNumber(number).checksumAlgorithm(ChecksumAlgorithm.CRC32).sseCustomerAlgorithm("AES256")
                    .sseCustomerKey(KEY_A).sseCustomerKeyMD5(md5(KEY_A)), RequestBody.fromBytes(PARTS[number - 1]));
            assertEquals(crc32(PARTS[number - 1]), part.checksumCRC32());
            completed.add(CompletedPart.builder().partNumber(number).eTag(part.eTag()).checksumCRC32(part.checksumCRC32())
                    .build());
        }
        CompleteMultipartUploadResponse crc32 = s3.completeMultipartUpload(b -> b.bucket(bucket).key("crc32")
                .uploadId(uploadId).checksumCRC32(crc32(WHOLE)).checksumType(ChecksumType.FULL_OBJECT)
                .multipartUpload(m -> m.parts(completed)));
        assertEquals(crc32(WHOLE), crc32.checksumCRC32());
        assertEquals(crc32(WHOLE), s3.headObject(b -> b.bucket(bucket).key("crc32").checksumMode(ChecksumMode.ENABLED)
                .sseCustomerAlgorithm("AES256").sseCustomerKey(KEY_A).sseCustomerKeyMD5(md5(KEY_A))).checksumCRC32());
    }

    @Test
    void aWholeObjectChecksumSentWithTheCompletionIsCheckedAgainstThePlaintext() {
        String uploadId = create("mp", KEY_A).uploadId();
        List<CompletedPart> completed = List.of(
                CompletedPart.builder().partNumber(1).eTag(uploadPart("mp", uploadId, 1, PARTS[0], KEY_A).eTag()).build(),
                CompletedPart.builder().partNumber(2).eTag(uploadPart("mp", uploadId, 2, PARTS[2], KEY_A).eTag()).build());
        byte[] plain = concat(PARTS[0], PARTS[2]);
        S3Exception wrong = assertThrows(S3Exception.class, () -> s3.completeMultipartUpload(b -> b.bucket(bucket)
                .key("mp").uploadId(uploadId).checksumCRC64NVME(crc64(PARTS[2])).checksumType(ChecksumType.FULL_OBJECT)
                .multipartUpload(m -> m.parts(completed))));
        assertEquals("BadDigest", code(wrong));
        // its parts have no CRC32 of their plaintext, and there is no key to read it with
        S3Exception unknowable = assertThrows(S3Exception.class, () -> s3.completeMultipartUpload(b -> b.bucket(bucket)
                .key("mp").uploadId(uploadId).checksumCRC32(crc32(plain)).checksumType(ChecksumType.FULL_OBJECT)
                .multipartUpload(m -> m.parts(completed))));
        assertEquals(400, unknowable.statusCode());
        assertEquals("InvalidRequest", code(unknowable));
        CompleteMultipartUploadResponse right = s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp")
                .uploadId(uploadId).checksumCRC64NVME(crc64(plain)).checksumType(ChecksumType.FULL_OBJECT)
                .multipartUpload(m -> m.parts(completed)));
        assertEquals(crc64(plain), right.checksumCRC64NVME());
        assertArrayEquals(plain, s3.getObjectAsBytes(b -> withKey(b.bucket(bucket).key("mp"), KEY_A)).asByteArray());
    }

    private static String crc64(byte[] bytes) {
        return checksum(ChecksumAlgorithm.CRC64_NVME, bytes);
    }

    private static String crc32(byte[] bytes) {
        return checksum(ChecksumAlgorithm.CRC32, bytes);
    }

    private static String checksum(ChecksumAlgorithm algorithm, byte[] bytes) {
        ChecksumDigest digest = io.github.s3ite.server.checksum.ChecksumAlgorithm
                .fromName(algorithm.toString().replace("_", "")).newDigest();
        digest.update(bytes, 0, bytes.length);
        return Checksums.base64(digest.digest());
    }

    @Test
    void aRepeatedCompletionReportsTheEncryptionTheFirstReported() {
        CreateMultipartUploadResponse kms = s3.createMultipartUpload(b -> b.bucket(bucket).key("kms")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId("key-1").bucketKeyEnabled(true));
        String kmsPart = s3.uploadPart(b -> b.bucket(bucket).key("kms").uploadId(kms.uploadId()).partNumber(1),
                RequestBody.fromBytes(PARTS[2])).eTag();
        for (int attempt = 0; attempt < 2; attempt++) {
            CompleteMultipartUploadResponse completed = s3.completeMultipartUpload(b -> b.bucket(bucket).key("kms")
                    .uploadId(kms.uploadId()).multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(kmsPart))));
            assertEquals(ServerSideEncryption.AWS_KMS, completed.serverSideEncryption(), "attempt " + attempt);
            assertEquals("key-1", completed.ssekmsKeyId(), "attempt " + attempt);
            assertTrue(completed.bucketKeyEnabled(), "attempt " + attempt);
        }

        String sseC = create("sse-c", KEY_A).uploadId();
        String sseCPart = uploadPart("sse-c", sseC, 1, PARTS[2], KEY_A).eTag();
        for (int attempt = 0; attempt < 2; attempt++) {
            CompleteMultipartUploadResponse completed = s3.completeMultipartUpload(b -> b.bucket(bucket).key("sse-c")
                    .uploadId(sseC).multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(sseCPart))));
            assertNull(header(completed.sdkHttpResponse(), "x-amz-server-side-encryption"), "attempt " + attempt);
        }

        String plain = s3.createMultipartUpload(b -> b.bucket(bucket).key("plain")).uploadId();
        String plainPart = s3.uploadPart(b -> b.bucket(bucket).key("plain").uploadId(plain).partNumber(1),
                RequestBody.fromBytes(PARTS[2])).eTag();
        for (int attempt = 0; attempt < 2; attempt++) {
            CompleteMultipartUploadResponse completed = s3.completeMultipartUpload(b -> b.bucket(bucket).key("plain")
                    .uploadId(plain).multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(plainPart))));
            assertEquals(ServerSideEncryption.AES256, completed.serverSideEncryption(), "attempt " + attempt);
        }
    }

    @Test
    void aNonCurrentSseCVersionCompletedFromPartsStaysReadableWithItsKey() {
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
        String first = uploadWhole("mp", KEY_A).versionId();
        s3.putObject(b -> b.bucket(bucket).key("mp"), RequestBody.fromString("second"));
        assertArrayEquals(WHOLE, s3.getObjectAsBytes(b -> withKey(b.bucket(bucket).key("mp").versionId(first), KEY_A))
                .asByteArray());
        long boundary = PARTS[0].length;
        assertArrayEquals(Arrays.copyOfRange(WHOLE, (int) boundary - 5, (int) boundary + 5),
                s3.getObjectAsBytes(b -> withKey(b.bucket(bucket).key("mp").versionId(first), KEY_A)
                        .range("bytes=" + (boundary - 5) + "-" + (boundary + 4))).asByteArray());
        assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("mp").versionId(first)));
    }

    @Test
    void noPlaintextOfAnSseCUploadReachesTheBucketFile() throws Exception {
        String uploadId = create("mp", KEY_A).uploadId();
        List<CompletedPart> completed = new ArrayList<>();
        for (int i = 0; i < PARTS.length; i++) {
            int number = i + 1;
            String etag = uploadPart("mp", uploadId, number, PARTS[i], KEY_A).eTag();
            completed.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        Path file = server.getDataDirectory().resolve(bucket + ".sqlite3");
        assertNoMarker(file, "SELECT value FROM multipart_upload_part");
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp").uploadId(uploadId)
                .multipartUpload(m -> m.parts(completed)));
        assertNoMarker(file, "SELECT value FROM data");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT size, length(value) FROM data WHERE key = 'mp'")) {
            assertTrue(rows.next());
            assertEquals(WHOLE.length, rows.getLong(1));
            assertEquals(WHOLE.length, rows.getLong(2));
        }
        // and no row names the key itself, only its MD5
        byte[] key = KEY_A.getBytes(StandardCharsets.US_ASCII);
        for (Path written : new Path[] {file, file.resolveSibling(file.getFileName() + "-wal")}) {
            if (Files.exists(written)) {
                byte[] bytes = Files.readAllBytes(written);
                assertFalse(contains(bytes, MARKER.getBytes(StandardCharsets.US_ASCII)), written.toString());
                assertFalse(contains(bytes, key), written.toString());
                assertFalse(contains(bytes, Base64.getDecoder().decode(KEY_A)), written.toString());
            }
        }
    }

    private static void assertNoMarker(Path file, String query) throws Exception {
        byte[] marker = MARKER.getBytes(StandardCharsets.US_ASCII);
        int rowCount = 0;
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                rowCount++;
                assertFalse(contains(rows.getBytes(1), marker), query);
            }
        }
        assertTrue(rowCount > 0, query);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
