package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.s3ite.junit.S3iteExtension;
import io.github.s3ite.server.S3iteUser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Authorization code tested against S3's access model: a second user with read-only access given
 * by a bucket policy, and a prefix anyone may read, fetched with a plain HTTP client. The declared
 * bucket is like one made before 2023 (no public access block), so a public policy is accepted.
 */
class AccessControlTest {

    @RegisterExtension
    static final S3iteExtension S3 = new S3iteExtension(server -> server
            .withCredentials("app", "app-secret")
            .withUser("reporting", "reporting-secret"))
            .withBucket("assets");

    @Test
    void aReadOnlyServiceAndPublicAssets() throws Exception {
        S3Client app = S3.getServer().createClient();
        S3iteUser reporting = S3.getServer().getUsers().get(1);
        app.putBucketPolicy(put -> put.bucket("assets").policy("""
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Principal": {"AWS": "%s"}, "Action": "s3:GetObject",
                   "Resource": "arn:aws:s3:::assets/*"},
                  {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                   "Resource": "arn:aws:s3:::assets/public/*"}]}""".formatted(reporting.arn())));
        app.putObject(put -> put.bucket("assets").key("public/logo.svg"), RequestBody.fromString("<svg/>"));
        app.putObject(put -> put.bucket("assets").key("reports/q3.csv"), RequestBody.fromString("revenue,42"));

        S3Client readOnly = S3.getServer().createClient("reporting");
        assertEquals("revenue,42", readOnly.getObjectAsBytes(get -> get.bucket("assets").key("reports/q3.csv"))
                .asUtf8String());
        S3Exception refused = assertThrows(S3Exception.class, () -> readOnly.putObject(
                put -> put.bucket("assets").key("reports/q4.csv"), RequestBody.fromString("forged")));
        assertEquals(403, refused.statusCode());

        HttpClient browser = HttpClient.newHttpClient();
        HttpResponse<String> logo = browser.send(HttpRequest.newBuilder(
                URI.create(S3.getServer().getEndpoint() + "/assets/public/logo.svg")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, logo.statusCode());
        HttpResponse<String> report = browser.send(HttpRequest.newBuilder(
                URI.create(S3.getServer().getEndpoint() + "/assets/reports/q3.csv")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, report.statusCode());
    }
}
