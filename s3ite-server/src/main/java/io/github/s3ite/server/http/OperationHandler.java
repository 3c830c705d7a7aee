package io.github.s3ite.server.http;

/** Carries out one verified, routed S3 request. */
@FunctionalInterface
public interface OperationHandler {
    S3Response handle(S3Request request);

    /**
     * Refuses a request its requester may not make (S3Exception AccessDenied), before its body is
     * read. A handler without access control allows everything.
     */
    default void authorize(AccessCheck check) {
    }
}
