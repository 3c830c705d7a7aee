package io.github.s3ite.server;

import io.github.s3ite.server.tls.TlsIdentity;
import java.net.URI;
import java.util.List;
import java.util.ServiceLoader;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.SdkHttpService;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpService;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.utils.AttributeMap;

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
            S3ClientBuilder builder = S3Client.builder()
                    .endpointOverride(endpoint(server))
                    .region(Region.of(server.getRegion()))
                    .credentialsProvider(credentials)
                    .forcePathStyle(true);
            TlsIdentity tls = server.tlsIdentity();
            if (tls != null) {
                builder.httpClientBuilder(new TrustingHttpClient(Trust.of(tls),
                        Trust.sdkChoice(SdkHttpService.class, Trust.SYNC_PROPERTY, Trust.SYNC_RANKING)
                                .createHttpClientBuilder()));
            }
            return builder.build();
        }

        S3AsyncClient async(S3iteServer server) {
            S3AsyncClientBuilder builder = S3AsyncClient.builder()
                    .endpointOverride(endpoint(server))
                    .region(Region.of(server.getRegion()))
                    .credentialsProvider(credentials(server))
                    .forcePathStyle(true);
            SdkAsyncHttpClient.Builder<?> httpClient = null;
            if (SharedEventLoop.available()) {
                httpClient = SharedEventLoop.httpClient();
            }
            TlsIdentity tls = server.tlsIdentity();
            if (tls != null) {
                httpClient = new TrustingAsyncHttpClient(Trust.of(tls), httpClient != null ? httpClient
                        : Trust.sdkChoice(SdkAsyncHttpService.class, Trust.ASYNC_PROPERTY, Trust.ASYNC_RANKING)
                                .createAsyncHttpClientFactory());
            }
            if (httpClient != null) {
                builder.httpClientBuilder(httpClient);
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
     * Trust in the certificates of an HTTPS server, given to the HTTP client the SDK would choose
     * itself. The SDK's option for trust managers, {@code TLS_TRUST_MANAGERS_PROVIDER}, goes among
     * the defaults a client builder is built with, which every one of the SDK's clients reads (the
     * Apache ones, URLConnection's, Netty's); the CRT clients have no such option.
     */
    private static final class Trust {
        static final String SYNC_PROPERTY = "software.amazon.awssdk.http.service.impl";
        static final String ASYNC_PROPERTY = "software.amazon.awssdk.http.async.service.impl";
        /** The SDK's own order of preference when several clients are on the classpath. */
        static final List<String> SYNC_RANKING = List.of(
                "software.amazon.awssdk.http.apache5.Apache5SdkHttpService",
                "software.amazon.awssdk.http.apache.ApacheSdkHttpService",
                "software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService",
                "software.amazon.awssdk.http.crt.AwsCrtSdkHttpService");
        static final List<String> ASYNC_RANKING = List.of(
                "software.amazon.awssdk.http.nio.netty.NettySdkAsyncHttpService",
                "software.amazon.awssdk.http.crt.AwsCrtSdkHttpService");

        private Trust() {
        }

        static AttributeMap of(TlsIdentity tls) {
            return AttributeMap.builder()
                    .put(SdkHttpConfigurationOption.TLS_TRUST_MANAGERS_PROVIDER, tls::trustManagers)
                    .build();
        }

        /**
         * The HTTP client service the SDK would load: the one its system property names, else the
         * one on the classpath it ranks first (an unknown one last).
         */
        static <S> S sdkChoice(Class<S> type, String property, List<String> ranking) {
            String named = System.getProperty(property);
            S chosen = null;
            int chosenRank = Integer.MAX_VALUE;
            for (S service : ServiceLoader.load(type, type.getClassLoader())) {
                String name = service.getClass().getName();
                if (name.equals(named)) {
                    return service;
                }
                int rank = ranking.indexOf(name);
                rank = rank < 0 ? ranking.size() : rank;
                if (chosen == null || rank < chosenRank) {
                    chosen = service;
                    chosenRank = rank;
                }
            }
            if (chosen == null) {
                throw new IllegalStateException("No AWS SDK HTTP client is on the classpath: add one, such as"
                        + " software.amazon.awssdk:apache-client or netty-nio-client");
            }
            return chosen;
        }
    }

    /** A sync HTTP client builder that trusts the server's certificates (see {@link Trust}). */
    private static final class TrustingHttpClient implements SdkHttpClient.Builder<TrustingHttpClient> {
        private final AttributeMap trust;
        private final SdkHttpClient.Builder<?> delegate;

        TrustingHttpClient(AttributeMap trust, SdkHttpClient.Builder<?> delegate) {
            this.trust = trust;
            this.delegate = delegate;
        }

        @Override
        public SdkHttpClient buildWithDefaults(AttributeMap defaults) {
            return delegate.buildWithDefaults(trust.merge(defaults));
        }
    }

    /** An async HTTP client builder that trusts the server's certificates (see {@link Trust}). */
    private static final class TrustingAsyncHttpClient implements SdkAsyncHttpClient.Builder<TrustingAsyncHttpClient> {
        private final AttributeMap trust;
        private final SdkAsyncHttpClient.Builder<?> delegate;

        TrustingAsyncHttpClient(AttributeMap trust, SdkAsyncHttpClient.Builder<?> delegate) {
            this.trust = trust;
            this.delegate = delegate;
        }

        @Override
        public SdkAsyncHttpClient buildWithDefaults(AttributeMap defaults) {
            return delegate.buildWithDefaults(trust.merge(defaults));
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
