package io.github.s3ite.server.http;

/** Carries out one verified, routed S3 request. */
@FunctionalInterface
public interface OperationHandler {
    S3Response handle(S3Request request);
}
