package io.github.s3ite.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Opt-in: while the annotated class runs, the AWS SDK's standard system properties point at the
 * s3ite server, so that code under test which builds its own client with the default provider
 * chains reaches it: {@code aws.endpointUrl}, {@code aws.accessKeyId}, {@code aws.secretAccessKey},
 * {@code aws.region} (an anonymous server gets the default credentials, which it does not check).
 * Their previous values are restored after the class. On a {@code @Nested} class they point at the
 * server its tests use, for the duration of that class.
 *
 * <p>System properties are JVM-wide: two classes doing this at the same time would see each
 * other's server. The extension therefore refuses this opt-in when JUnit runs classes
 * concurrently. The programmatic equivalent is {@link S3iteExtension#withSystemProperties(boolean)}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface S3iteSystemProperties {
}
