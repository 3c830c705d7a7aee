package io.github.s3ite.server.operations;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.http.S3Request;
import io.github.s3ite.server.http.S3Response;
import io.github.s3ite.server.http.XmlWriter;
import io.github.s3ite.server.storage.BucketFile;
import io.github.s3ite.server.storage.BucketStore;
import io.github.s3ite.server.storage.DefaultEncryption;
import java.util.Set;

/**
 * PutBucketEncryption, GetBucketEncryption and DeleteBucketEncryption. As in S3 since 2023, a
 * bucket without a configuration of its own answers SSE-S3, and DeleteBucketEncryption returns it there.
 */
final class BucketEncryptionOperations {
    private static final Set<String> ALGORITHMS = Set.of("AES256", "aws:kms", "aws:kms:dsse");

    private final BucketStore store;

    BucketEncryptionOperations(BucketStore store) {
        this.store = store;
    }

    S3Response putBucketEncryption(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        RequestDocuments.ServerSideEncryptionConfiguration document = RequestDocuments.parse(
                request.readSmallBody(64 * 1024), RequestDocuments.ServerSideEncryptionConfiguration.class);
        if (document.rules.size() != 1 || document.rules.get(0).byDefault == null
                || document.rules.get(0).byDefault.sseAlgorithm == null) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        RequestDocuments.EncryptionRule rule = document.rules.get(0);
        String algorithm = rule.byDefault.sseAlgorithm;
        if (!ALGORITHMS.contains(algorithm)) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        String keyId = rule.byDefault.kmsMasterKeyId;
        if (keyId != null && !algorithm.startsWith("aws:kms")) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse");
        }
        bucket.setDefaultEncryption(new DefaultEncryption(algorithm, keyId, Boolean.TRUE.equals(rule.bucketKeyEnabled)));
        return S3Response.ok();
    }

    S3Response getBucketEncryption(S3Request request) {
        DefaultEncryption configuration = store.bucket(request.bucket()).defaultEncryption();
        if (configuration == null) {
            configuration = DefaultEncryption.SSE_S3;
        }
        XmlWriter xml = XmlWriter.document("ServerSideEncryptionConfiguration").start("Rule")
                .start("ApplyServerSideEncryptionByDefault")
                .element("SSEAlgorithm", configuration.algorithm())
                .element("KMSMasterKeyID", configuration.kmsKeyId())
                .end()
                .element("BucketKeyEnabled", configuration.bucketKeyEnabled())
                .end();
        return S3Response.xml(xml);
    }

    S3Response deleteBucketEncryption(S3Request request) {
        store.bucket(request.bucket()).setDefaultEncryption(null);
        return S3Response.noContent();
    }
}
