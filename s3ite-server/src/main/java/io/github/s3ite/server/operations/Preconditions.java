package io.github.s3ite.server.operations;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.http.S3Request;
import io.github.s3ite.server.storage.ReadConditions;
import io.github.s3ite.server.storage.WriteCondition;

/**
 * The conditional headers of reads, writes and copies, read into the values storage evaluates
 * ({@link ReadConditions}, {@link WriteCondition}) inside the request's snapshot or transaction.
 */
final class Preconditions {
    private Preconditions() {
    }

    /** GetObject/HeadObject: If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since. */
    static ReadConditions forRead(S3Request request) {
        return new ReadConditions(request.header("if-match"), request.header("if-none-match"),
                HttpDates.parse(request.header("if-modified-since")),
                HttpDates.parse(request.header("if-unmodified-since")), false);
    }

    /** CopyObject and UploadPartCopy: every failed x-amz-copy-source-if-* condition is a 412. */
    static ReadConditions forCopySource(S3Request request) {
        return new ReadConditions(request.header("x-amz-copy-source-if-match"),
                request.header("x-amz-copy-source-if-none-match"),
                HttpDates.parse(request.header("x-amz-copy-source-if-modified-since")),
                HttpDates.parse(request.header("x-amz-copy-source-if-unmodified-since")), true);
    }

    /**
     * Conditional writes (PutObject, CopyObject's destination, CompleteMultipartUpload):
     * {@code If-None-Match: *} fails when the key exists; {@code If-Match} needs the key to exist
     * with that ETag. CompleteMultipartUpload's storage checks it with the upload's initiation time
     * ({@link WriteCondition#checkCompletion}).
     */
    static WriteCondition forWrite(S3Request request) {
        return forWrite(request.header("if-match"), request.header("if-none-match"));
    }

    /**
     * The condition of {@link #forWrite(S3Request)}, given the two headers (each null when absent);
     * {@link WriteCondition#NONE} when there are none, so that storage need not look the object up.
     *
     * @throws S3Exception NotImplemented for an If-None-Match other than {@code *}
     */
    static WriteCondition forWrite(String ifMatch, String ifNoneMatch) {
        if (ifNoneMatch == null && ifMatch == null) {
            return WriteCondition.NONE;
        }
        if (ifNoneMatch != null && !ifNoneMatch.trim().equals("*")) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "If-None-Match on writes supports only '*'.");
        }
        return new WriteCondition(ifMatch, ifNoneMatch != null);
    }

    /**
     * Conditional deletes (DeleteObject's {@code If-Match} header, an {@code ETag} in DeleteObjects):
     * the key must exist (404 NoSuchKey otherwise) with that ETag, or any ETag for {@code *} (412
     * otherwise). {@link WriteCondition#NONE} when there is no condition.
     */
    static WriteCondition forDelete(String ifMatch) {
        return WriteCondition.ifMatch(ifMatch);
    }
}
