package io.github.s3ite.server.operations;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.http.S3Request;
import io.github.s3ite.server.storage.ObjectInfo;
import java.time.Instant;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** The conditional headers of reads, writes and copies, evaluated as S3 documents them. */
final class Preconditions {
    private Preconditions() {
    }

    /**
     * GetObject/HeadObject: If-Match and If-Unmodified-Since fail with 412; If-None-Match and
     * If-Modified-Since give 304. A true If-Match overrides a false If-Unmodified-Since, and a
     * present If-None-Match makes If-Modified-Since irrelevant.
     *
     * @return true when the answer is 304 Not Modified
     */
    static boolean checkRead(S3Request request, ObjectInfo info) {
        return check(info, request.header("if-match"), request.header("if-none-match"),
                request.header("if-modified-since"), request.header("if-unmodified-since"), false);
    }

    /** CopyObject and UploadPartCopy: every failed x-amz-copy-source-if-* condition is a 412. */
    static void checkCopySource(S3Request request, ObjectInfo source) {
        check(source, request.header("x-amz-copy-source-if-match"), request.header("x-amz-copy-source-if-none-match"),
                request.header("x-amz-copy-source-if-modified-since"),
                request.header("x-amz-copy-source-if-unmodified-since"), true);
    }

    private static boolean check(ObjectInfo info, String ifMatch, String ifNoneMatch, String ifModifiedSince,
                                 String ifUnmodifiedSince, boolean notModifiedFails) {
        Instant lastModified = HttpDates.toSeconds(info.lastModified());
        if (ifMatch != null) {
            if (!ObjectRequests.etagMatches(ifMatch, info.etag())) {
                throw failed("If-Match");
            }
        } else if (ifUnmodifiedSince != null) {
            Instant since = HttpDates.parse(ifUnmodifiedSince);
            if (since != null && lastModified.isAfter(since)) {
                throw failed("If-Unmodified-Since");
            }
        }
        boolean notModified = false;
        if (ifNoneMatch != null) {
            notModified = ObjectRequests.etagMatches(ifNoneMatch, info.etag());
        } else if (ifModifiedSince != null) {
            Instant since = HttpDates.parse(ifModifiedSince);
            notModified = since != null && !lastModified.isAfter(since);
        }
        if (notModified && notModifiedFails) {
            throw failed(ifNoneMatch != null ? "If-None-Match" : "If-Modified-Since");
        }
        return notModified;
    }

    /**
     * Conditional writes (PutObject, CopyObject's destination): {@code If-None-Match: *} fails when
     * the key exists; {@code If-Match} needs the key to exist with that ETag. Null when the request
     * has neither, so that storage need not look the object up.
     */
    static Consumer<ObjectInfo> forWrite(S3Request request) {
        return forWrite(request.header("if-match"), request.header("if-none-match"), request.key());
    }

    /** The rule of {@link #forWrite(S3Request)}, given the two headers (each null when absent). */
    static Consumer<ObjectInfo> forWrite(String ifMatch, String ifNoneMatch, String key) {
        if (ifNoneMatch == null && ifMatch == null) {
            return null;
        }
        if (ifNoneMatch != null && !ifNoneMatch.trim().equals("*")) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "If-None-Match on writes supports only '*'.");
        }
        return current -> {
            if (ifNoneMatch != null && current != null) {
                throw failed("If-None-Match");
            }
            if (ifMatch != null) {
                if (current == null) {
                    throw new S3Exception(S3ErrorCode.NO_SUCH_KEY).with("Key", key);
                }
                if (!ObjectRequests.etagMatches(ifMatch, current.etag())) {
                    throw failed("If-Match");
                }
            }
        };
    }

    /**
     * CompleteMultipartUpload: the rule of {@link #forWrite(String, String, String)}, seeing also
     * when the upload was initiated. A condition that fails because the object was written while the
     * upload was in progress is 409 ConditionalRequestConflict (the client must start the upload
     * again), one that failed already when the upload began is 412 PreconditionFailed.
     */
    static BiConsumer<ObjectInfo, Instant> forCompletion(String ifMatch, String ifNoneMatch, String key) {
        Consumer<ObjectInfo> write = forWrite(ifMatch, ifNoneMatch, key);
        if (write == null) {
            return null;
        }
        return (current, initiated) -> {
            try {
                write.accept(current);
            } catch (S3Exception e) {
                if (e.error() == S3ErrorCode.PRECONDITION_FAILED && current != null
                        && current.lastModified().isAfter(initiated)) {
                    throw new S3Exception(S3ErrorCode.CONDITIONAL_REQUEST_CONFLICT,
                            "A conflicting operation occurred. Start the multipart upload again.");
                }
                throw e;
            }
        };
    }

    /**
     * Conditional deletes (DeleteObject's {@code If-Match} header, an ETag in DeleteObjects): the key
     * must exist (404 NoSuchKey otherwise) with that ETag, or any ETag for {@code *} (412 otherwise).
     * Null when there is no condition.
     */
    static Consumer<ObjectInfo> forDelete(String ifMatch, String key) {
        if (ifMatch == null) {
            return null;
        }
        return current -> {
            if (current == null) {
                throw new S3Exception(S3ErrorCode.NO_SUCH_KEY).with("Key", key);
            }
            if (!ObjectRequests.etagMatches(ifMatch, current.etag())) {
                throw failed("If-Match");
            }
        };
    }

    private static S3Exception failed(String condition) {
        return new S3Exception(S3ErrorCode.PRECONDITION_FAILED).with("Condition", condition);
    }
}
