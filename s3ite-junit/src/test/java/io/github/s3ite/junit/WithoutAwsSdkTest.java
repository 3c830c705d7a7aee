package io.github.s3ite.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.s3ite.server.S3iteServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/**
 * Runs in its own surefire execution with every {@code software.amazon.awssdk} jar removed from
 * the classpath: the AWS SDK is an optional dependency of both s3ite-server and s3ite-junit.
 */
@ExtendWith(S3iteExtension.class)
@S3iteBucket(name = "plain")
class WithoutAwsSdkTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theSdkIsReallyAbsent() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("software.amazon.awssdk.services.s3.S3Client"));
    }

    @Test
    void theExtensionStartsTheServerAndItAnswers(S3iteServer server) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.getEndpoint() + "/plain")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, response.statusCode(), "unsigned requests are refused while credentials are set");
        assertTrue(response.body().contains("<Code>AccessDenied</Code>"), response.body());
    }

    @Test
    void anAnonymousServerStoresAndServesWithoutTheSdk() throws Exception {
        try (S3iteServer server = new S3iteServer().withAnonymousAccess().withBucket("open").start()) {
            URI object = URI.create(server.getEndpoint() + "/open/greeting.txt");
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(object)
                    .PUT(HttpRequest.BodyPublishers.ofString("hello without the sdk")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, put.statusCode(), put.body());
            HttpResponse<String> get = http.send(HttpRequest.newBuilder(object).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("hello without the sdk", get.body());
        }
    }

    @Test
    void askingForAClientNamesTheDependencyToAdd(S3iteServer server) {
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> server.createClient());
        assertTrue(error.getMessage().contains("software.amazon.awssdk:s3"), error.getMessage());
    }

    /**
     * A test class with an {@code S3Client} parameter cannot even be loaded without the SDK, so this
     * asks the extension's resource for each client kind by name, as parameter resolution does.
     */
    @Test
    void injectingAClientFailsNamingTheDependencyToAdd(S3iteServer server) {
        ServerResource resource = new ServerResource(new S3iteExtension(), server);
        for (String type : List.of(AwsClientFactory.S3_CLIENT, AwsClientFactory.S3_ASYNC_CLIENT, AwsClientFactory.S3_PRESIGNER)) {
            ParameterResolutionException error = assertThrows(ParameterResolutionException.class, () -> resource.client(type));
            assertTrue(error.getMessage().contains("software.amazon.awssdk:s3") && error.getMessage().contains(type),
                    error.getMessage());
        }
    }
}
