package example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3ite.junit.S3iteBucket;
import io.github.s3ite.junit.S3iteExtension;
import io.github.s3ite.server.S3iteServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/** Large objects in parts: by hand with the S3 API, and with the transfer manager. */
@ExtendWith(S3iteExtension.class)
@S3iteBucket(name = "videos")
class MultipartUploadTest {
    private static final int PART_SIZE = 5 * 1024 * 1024;

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    @Test
    void partsUploadedByHandBecomeOneObject(S3Client s3) {
        byte[] video = randomBytes(2 * PART_SIZE + 1000);
        String uploadId = s3.createMultipartUpload(create -> create.bucket("videos").key("by-hand.mp4")).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int number = 1, offset = 0; offset < video.length; number++, offset += PART_SIZE) {
            byte[] part = Arrays.copyOfRange(video, offset, Math.min(video.length, offset + PART_SIZE));
            int partNumber = number;
            String etag = s3.uploadPart(upload -> upload.bucket("videos").key("by-hand.mp4").uploadId(uploadId)
                    .partNumber(partNumber), RequestBody.fromBytes(part)).eTag();
            parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
        }
        s3.completeMultipartUpload(complete -> complete.bucket("videos").key("by-hand.mp4").uploadId(uploadId)
                .multipartUpload(upload -> upload.parts(parts)));

        assertArrayEquals(video, s3.getObjectAsBytes(get -> get.bucket("videos").key("by-hand.mp4")).asByteArray());
        String etag = s3.headObject(head -> head.bucket("videos").key("by-hand.mp4")).eTag();
        assertTrue(etag.endsWith("-3\""), "the ETag of a 3-part upload: " + etag);
    }

    @Test
    void theTransferManagerSplitsALargeFile(S3iteServer server, S3Client s3, @TempDir Path dir) throws Exception {
        byte[] video = randomBytes(20 * 1024 * 1024);
        Path source = Files.write(dir.resolve("video.mp4"), video);
        Path copy = dir.resolve("copy.mp4");

        try (S3AsyncClient async = S3AsyncClient.builder()
                .endpointOverride(server.getEndpoint())
                .region(Region.of(server.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(server.getAccessKey(), server.getSecretKey())))
                .forcePathStyle(true)
                .multipartEnabled(true)
                .build();
             S3TransferManager transfers = S3TransferManager.builder().s3Client(async).build()) {
            transfers.uploadFile(upload -> upload.source(source)
                    .putObjectRequest(put -> put.bucket("videos").key("video.mp4"))).completionFuture().join();
            transfers.downloadFile(download -> download.destination(copy)
                    .getObjectRequest(get -> get.bucket("videos").key("video.mp4"))).completionFuture().join();
        }

        assertArrayEquals(video, Files.readAllBytes(copy));
        String etag = s3.headObject(head -> head.bucket("videos").key("video.mp4")).eTag();
        assertTrue(etag.matches("\"[0-9a-f]{32}-\\d+\""), "a multipart ETag: " + etag);
    }
}
