package io.github.s3ite.server;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The only class that touches the AWS SDK. The SDK is optional: nothing loads this class until a
 * client is asked for, so a server without the SDK on its classpath starts and serves.
 */
final class AwsClients {
    static final String SDK_MISSING = "Creating AWS SDK clients needs the AWS SDK for Java v2 on the classpath:"
            + " add the dependency software.amazon.awssdk:s3";

    private AwsClients() {
    }

    /** Fails with a message naming the dependency when the SDK is absent. */
    static Factory requireSdk() {
        try {
            Class.forName("software.amazon.awssdk.services.s3.S3Client", false, AwsClients.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException(SDK_MISSING, e);
        }
        return new Factory();
    }

    static final class Factory {
        S3Client sync(S3iteServer server) {
            return sync(server, credentials(server));
        }

        /** A client signing as {@code accessKey}, or anonymous for null. */
        S3Client sync(S3iteServer server, String secretKey, String accessKey) {
            return sync(server, accessKey == null ? AnonymousCredentialsProvider.create()
                    : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)));
        }

        private S3Client sync(S3iteServer server, AwsCredentialsProvider credentials) {
            return S3Client.builder()
                    .endpointOverride(endpoint(server))
                    .region(Region.of(server.getRegion()))
                    .credentialsProvider(credentials)
                    .forcePathStyle(true)
                    .build();
        }

        S3AsyncClient async(S3iteServer server) {
            S3AsyncClientBuilder builder = S3AsyncClient.builder()
                    .endpointOverride(endpoint(server))
                    .region(Region.of(server.getRegion()))
                    .credentialsProvider(credentials(server))
                    .forcePathStyle(true);
            if (SharedEventLoop.available()) {
                builder.httpClientBuilder(SharedEventLoop.httpClient());
            }
            return builder.build();
        }

        S3Presigner presigner(S3iteServer server) {
            return S3Presigner.builder()
                    .endpointOverride(endpoint(server))
                    .region(Region.of(server.getRegion()))
                    .credentialsProvider(credentials(server))
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                    .build();
        }

        private static URI endpoint(S3iteServer server) {
            return server.getEndpoint();
        }

        private static AwsCredentialsProvider credentials(S3iteServer server) {
            if (server.getAccessKey() == null) {
                return AnonymousCredentialsProvider.create();
            }
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(server.getAccessKey(), server.getSecretKey()));
        }
    }

    /**
     * One Netty event loop group for the async clients of this JVM. A client given a group of its
     * caller's does not shut it down when closed, so closing costs nothing, where a client's own
     * group waits out Netty's graceful shutdown (two seconds). Its threads are daemons: the group
     * ends with the JVM. Used only where the SDK's Netty client is on the classpath.
     */
    private static final class SharedEventLoop {
        private static final boolean AVAILABLE = isPresent("software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient");

        private SharedEventLoop() {
        }

        static boolean available() {
            return AVAILABLE;
        }

        static software.amazon.awssdk.http.async.SdkAsyncHttpClient.Builder<?> httpClient() {
            return software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient.builder()
                    .eventLoopGroup(Group.INSTANCE);
        }

        private static boolean isPresent(String className) {
            try {
                Class.forName(className, false, AwsClients.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }

        /** Made on first use only. */
        private static final class Group {
            static final software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup INSTANCE =
                    software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup.builder()
                            .numberOfThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
                            .threadFactory(runnable -> {
                                Thread thread = new Thread(runnable, "s3ite-sdk-event-loop");
                                thread.setDaemon(true);
                                return thread;
                            })
                            .build();
        }
    }
}
