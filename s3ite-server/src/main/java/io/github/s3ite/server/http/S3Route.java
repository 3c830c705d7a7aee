package io.github.s3ite.server.http;

/**
 * Who is asked what: the operation, and the bucket and key it concerns (null where the operation has none).
 * The key is percent-decoded.
 */
public record S3Route(S3Operation operation, String bucket, String key) {
}
