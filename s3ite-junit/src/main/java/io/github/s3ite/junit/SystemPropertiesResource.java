package io.github.s3ite.junit;

import io.github.s3ite.server.S3iteServer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The AWS SDK's system properties pointed at a server, and their earlier values restored on close. */
@SuppressWarnings("deprecation") // CloseableResource and AutoCloseable: see ServerResource
final class SystemPropertiesResource implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    static final String ENDPOINT = "aws.endpointUrl";
    static final String ACCESS_KEY = "aws.accessKeyId";
    static final String SECRET_KEY = "aws.secretAccessKey";
    static final String REGION = "aws.region";

    private final S3iteServer server;
    private final Map<String, String> previous = new LinkedHashMap<>();

    SystemPropertiesResource(S3iteServer server) {
        this.server = server;
        set(ENDPOINT, server.getEndpoint().toString());
        set(REGION, server.getRegion());
        // An anonymous server takes any signature, but the SDK's default chain still wants credentials.
        boolean anonymous = server.getAccessKey() == null;
        set(ACCESS_KEY, anonymous ? S3iteServer.DEFAULT_ACCESS_KEY : server.getAccessKey());
        set(SECRET_KEY, anonymous ? S3iteServer.DEFAULT_SECRET_KEY : server.getSecretKey());
    }

    /** The server the properties point at. */
    S3iteServer server() {
        return server;
    }

    private void set(String name, String value) {
        previous.put(name, System.getProperty(name));
        System.setProperty(name, value);
    }

    @Override
    public void close() {
        previous.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
    }
}
