package io.github.s3ite.server.storage;

/**
 * The system headers S3 keeps with an object and returns on GET and HEAD. Any field may be null
 * (not set). {@code expires} is kept as the client sent it (an HTTP date).
 */
public record ObjectHeaders(
        String contentType,
        String contentEncoding,
        String contentDisposition,
        String contentLanguage,
        String cacheControl,
        String expires) {

    public static final ObjectHeaders NONE = new ObjectHeaders(null, null, null, null, null, null);
}
