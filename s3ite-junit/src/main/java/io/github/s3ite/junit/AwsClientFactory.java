package io.github.s3ite.junit;

import io.github.s3ite.server.S3iteServer;

/**
 * One of the two classes of the extension that name AWS SDK types (the other is
 * {@link ExternalResource}), loaded only when a client is injected: the SDK is an optional dependency.
 */
final class AwsClientFactory {
    static final String S3_CLIENT = "software.amazon.awssdk.services.s3.S3Client";
    static final String S3_ASYNC_CLIENT = "software.amazon.awssdk.services.s3.S3AsyncClient";
    static final String S3_PRESIGNER = "software.amazon.awssdk.services.s3.presigner.S3Presigner";

    private AwsClientFactory() {
    }

    static boolean isClientType(String typeName) {
        return S3_CLIENT.equals(typeName) || S3_ASYNC_CLIENT.equals(typeName) || S3_PRESIGNER.equals(typeName);
    }

    static Object create(S3iteServer server, String typeName) {
        return switch (typeName) {
            case S3_CLIENT -> server.createClient();
            case S3_ASYNC_CLIENT -> server.createAsyncClient();
            case S3_PRESIGNER -> server.createPresigner();
            default -> throw new IllegalArgumentException("Not an AWS SDK client type: " + typeName);
        };
    }
}
