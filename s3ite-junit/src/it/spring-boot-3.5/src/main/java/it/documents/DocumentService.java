package it.documents;

import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Documents kept in one S3 bucket, through the S3Client that Spring Cloud AWS configures. */
@Service
public class DocumentService {

    private final S3Client s3;
    private final String bucket;

    public DocumentService(S3Client s3, @Value("${documents.bucket}") String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    public String read(String name) {
        return s3.getObjectAsBytes(get -> get.bucket(bucket).key(name)).asUtf8String();
    }

    public void store(String name, String content) {
        s3.putObject(put -> put.bucket(bucket).key(name), RequestBody.fromString(content));
    }

    public List<String> names() {
        return s3.listObjectsV2Paginator(list -> list.bucket(bucket)).contents().stream()
                .map(S3Object::key)
                .toList();
    }
}
