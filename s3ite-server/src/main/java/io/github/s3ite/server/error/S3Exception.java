package io.github.s3ite.server.error;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one exception that carries an S3 error. Thrown anywhere below the HTTP layer; the HTTP layer
 * alone turns it into S3's XML error body. Extra details (such as {@code Key}, {@code BucketName},
 * {@code UploadId}) become extra elements of that body, in insertion order.
 */
public final class S3Exception extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final S3ErrorCode error;
    private final Map<String, String> details;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public S3Exception(S3ErrorCode error) {
        this(error, error.defaultMessage());
    }

    public S3Exception(S3ErrorCode error, String message) {
        this(error, message, null);
    }

    public S3Exception(S3ErrorCode error, String message, Throwable cause) {
        super(message, cause, false, false);
        this.error = error;
        this.details = new LinkedHashMap<>();
    }

    /** Adds an element to the error body, e.g. {@code with("Key", key)}; returns this. */
    public S3Exception with(String element, String value) {
        if (value != null) {
            details.put(element, value);
        }
        return this;
    }

    /**
     * Adds a response header to the error answer, e.g. {@code x-amz-delete-marker} on a GET of a
     * delete marker; returns this.
     */
    public S3Exception withHeader(String name, String value) {
        if (value != null) {
            headers.put(name, value);
        }
        return this;
    }

    public S3ErrorCode error() {
        return error;
    }

    public Map<String, String> details() {
        return Collections.unmodifiableMap(details);
    }

    /** Response headers the error answer carries besides the usual ones. */
    public Map<String, String> headers() {
        return Collections.unmodifiableMap(headers);
    }
}
