package example;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Stands for application code under test: it builds its own S3 client, either from its
 * configuration or, in production, from the AWS SDK's default chains.
 */
final class ReportArchive implements AutoCloseable {
    private final S3Client s3;
    private final String bucket;

    /** Configured explicitly, as from application properties. */
    ReportArchive(URI endpoint, String region, String accessKey, String secretKey, String bucket) {
        this.s3 = S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .forcePathStyle(true)
                .build();
        this.bucket = bucket;
    }

    /** Configured by the environment: region, credentials and endpoint from the SDK's default chains. */
    ReportArchive(String bucket) {
        this.s3 = S3Client.create();
        this.bucket = bucket;
    }

    void archive(String name, String csv) {
        s3.putObject(put -> put.bucket(bucket).key("reports/" + name).contentType("text/csv"), RequestBody.fromString(csv));
    }

    int count() {
        return s3.listObjectsV2(list -> list.bucket(bucket).prefix("reports/")).keyCount();
    }

    @Override
    public void close() {
        s3.close();
    }
}
