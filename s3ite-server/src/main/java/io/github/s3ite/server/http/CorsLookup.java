package io.github.s3ite.server.http;

/** Where the edge finds a bucket's CORS rules. */
@FunctionalInterface
public interface CorsLookup {
    /**
     * The bucket's CORS rules, or null when it has no CORS configuration.
     *
     * @throws io.github.s3ite.server.error.S3Exception NoSuchBucket when there is no such bucket
     */
    CorsRules rules(String bucket);
}
