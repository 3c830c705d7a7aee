package it.documents;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.awspring.cloud.autoconfigure.core.AwsConnectionDetails;
import io.github.s3ite.junit.S3iteExtension;
import io.github.s3ite.server.S3iteServer;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

@SpringBootTest(properties = "spring.cloud.aws.s3.path-style-access-enabled=true")
class ConnectionDetailsTest {

    @RegisterExtension
    static S3iteExtension s3 = new S3iteExtension().withBucket("documents", "seeds/documents.sqlite3");

    @TestConfiguration
    static class S3iteConnection {
        @Bean
        AwsConnectionDetails s3iteConnectionDetails() {
            S3iteServer server = s3.getServer();
            return new AwsConnectionDetails() {
                @Override public URI getEndpoint() { return server.getEndpoint(); }
                @Override public String getRegion() { return server.getRegion(); }
                @Override public String getAccessKey() { return server.getAccessKey(); }
                @Override public String getSecretKey() { return server.getSecretKey(); }
            };
        }
    }

    @Autowired
    DocumentService documents;

    @Test
    void readsASeededDocument() {
        assertEquals("Welcome to s3ite.\n", documents.read("welcome.txt"));
    }
}
