package io.github.s3ite.junit;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The AWS SDK's system properties pointed at a fixture, and their earlier values restored on close. */
@SuppressWarnings("deprecation") // CloseableResource and AutoCloseable: see ServerResource
final class SystemPropertiesResource implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    static final String ENDPOINT = "aws.endpointUrl";
    static final String ACCESS_KEY = "aws.accessKeyId";
    static final String SECRET_KEY = "aws.secretAccessKey";
    static final String REGION = "aws.region";

    private final Fixture target;
    private final Map<String, String> previous = new LinkedHashMap<>();

    SystemPropertiesResource(Fixture target) {
        this.target = target;
        target.sdkSystemProperties().forEach(this::set);
    }

    /** The local server or external endpoint the properties point at. */
    Fixture target() {
        return target;
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
