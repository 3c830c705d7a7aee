package it.documents;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.s3ite.junit.S3iteExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest
class DocumentServiceTest {

    @RegisterExtension
    static S3iteExtension s3 = new S3iteExtension().withBucket("documents", "seeds/documents.sqlite3");

    @DynamicPropertySource
    static void s3Properties(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.aws.s3.endpoint", () -> s3.getServer().getEndpoint().toString());
        registry.add("spring.cloud.aws.s3.path-style-access-enabled", () -> true);
        registry.add("spring.cloud.aws.region.static", () -> s3.getServer().getRegion());
        registry.add("spring.cloud.aws.credentials.access-key", () -> s3.getServer().getAccessKey());
        registry.add("spring.cloud.aws.credentials.secret-key", () -> s3.getServer().getSecretKey());
    }

    @Autowired
    DocumentService documents;

    @Test
    void readsASeededDocument() {
        assertEquals("Welcome to s3ite.\n", documents.read("welcome.txt"));
    }

    @Test
    void storesADocument() {
        documents.store("notes/today.txt", "Buy milk");

        assertEquals(List.of("notes/today.txt", "reports/2024-q1.txt", "welcome.txt"), documents.names());
    }
}
