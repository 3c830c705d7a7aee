package io.github.s3ite.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A bucket the tests need: empty, or a copy of a seed file. On a test class it holds for every
 * test of the class (and of its {@code @Nested} classes and subclasses); on a test method, for that
 * test alone. Before each test every declared bucket is back to its seed (or empty) and every
 * other bucket is gone.
 *
 * <pre>{@code
 * @ExtendWith(S3iteExtension.class)
 * @S3iteBucket(name = "photos", seed = "fixtures/photos.sqlite3")
 * class PhotoServiceTest { ... }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(S3iteBuckets.class)
public @interface S3iteBucket {
    /** The bucket name (S3's naming rules apply). */
    String name();

    /**
     * A bucket file ({@code .sqlite3}) to copy: looked up on the test classpath first, then as a path
     * relative to the working directory. Never written. Empty for an empty bucket.
     */
    String seed() default "";
}
