package io.github.s3ite.junit;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The switch to a real S3: an external endpoint given to the run, which the extension then uses
 * instead of starting a server. Read from JUnit configuration parameters (such as
 * {@code junit-platform.properties}), then system properties, then the environment.
 *
 * @param accessKey null (with {@code secretKey}) for the AWS SDK's default credentials chain
 */
record ExternalEndpoint(URI endpoint, String region, String accessKey, String secretKey) {
    static final String ENDPOINT = "s3ite.endpoint";
    static final String REGION = "s3ite.region";
    static final String ACCESS_KEY = "s3ite.accessKey";
    static final String SECRET_KEY = "s3ite.secretKey";
    static final String DEFAULT_REGION = "us-east-1";

    /** The endpoint the run was given, or empty: then the extension starts its own server. */
    static Optional<ExternalEndpoint> configured(ExtensionContext context) {
        String endpoint = setting(context, ENDPOINT, "S3ITE_ENDPOINT");
        if (endpoint == null) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw new ExtensionConfigurationException("s3ite: " + ENDPOINT + " (or S3ITE_ENDPOINT) must be an http(s)"
                    + " URL such as http://localhost:9000, not '" + endpoint + "'");
        }
        String region = setting(context, REGION, "S3ITE_REGION");
        String accessKey = setting(context, ACCESS_KEY, "S3ITE_ACCESS_KEY");
        String secretKey = setting(context, SECRET_KEY, "S3ITE_SECRET_KEY");
        if ((accessKey == null) != (secretKey == null)) {
            throw new ExtensionConfigurationException("s3ite: " + ACCESS_KEY + " and " + SECRET_KEY
                    + " (or S3ITE_ACCESS_KEY and S3ITE_SECRET_KEY) go together: give both, or neither for the"
                    + " AWS SDK's default credentials");
        }
        return Optional.of(new ExternalEndpoint(uri, region == null ? DEFAULT_REGION : region, accessKey, secretKey));
    }

    private static String setting(ExtensionContext context, String property, String variable) {
        return context.getConfigurationParameter(property)
                // the launcher reads system properties as configuration parameters, but not every launcher does
                .or(() -> Optional.ofNullable(System.getProperty(property)))
                .or(() -> Optional.ofNullable(System.getenv(variable)))
                .map(String::trim)
                .filter(value -> !value.isEmpty())
                .orElse(null);
    }

    /** For messages: "the external endpoint http://... (s3ite.endpoint, region ...)". */
    String describe() {
        return "the external endpoint " + endpoint + " (" + ENDPOINT + ", region " + region + ")";
    }

    /** The URL alone: never the secret key, since this ends up in messages and logs. */
    @Override
    public String toString() {
        return endpoint.toString();
    }
}
