package example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.s3ite.junit.S3iteBucket;
import io.github.s3ite.junit.S3iteExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Presigned URLs work with any HTTP client, as browsers and other services use them. */
@ExtendWith(S3iteExtension.class)
@S3iteBucket(name = "shared")
class PresignedUrlTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void uploadAndDownloadThroughPresignedUrls(S3Presigner presigner, S3Client s3) throws Exception {
        var upload = presigner.presignPutObject(presign -> presign.signatureDuration(Duration.ofMinutes(10))
                .putObjectRequest(put -> put.bucket("shared").key("report.csv").contentType("text/csv")));
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(upload.url().toURI())
                .header("Content-Type", "text/csv")
                .PUT(HttpRequest.BodyPublishers.ofString("month,total\njan,10\n")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode());

        var download = presigner.presignGetObject(presign -> presign.signatureDuration(Duration.ofMinutes(10))
                .getObjectRequest(get -> get.bucket("shared").key("report.csv")));
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(download.url().toURI()).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals("month,total\njan,10\n", get.body());
        assertEquals("text/csv", s3.headObject(head -> head.bucket("shared").key("report.csv")).contentType());
    }
}
