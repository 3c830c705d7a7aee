package io.github.s3ite.server.storage;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The conditions of a read, evaluated against the object inside the read's snapshot, as S3
 * documents them: If-Match and If-Unmodified-Since fail with 412; If-None-Match and
 * If-Modified-Since mean "not modified". A true If-Match overrides a false If-Unmodified-Since, and
 * a present If-None-Match makes If-Modified-Since irrelevant.
 *
 * @param ifMatch           comma-separated ETags or {@code *}, or null
 * @param ifNoneMatch       likewise
 * @param ifModifiedSince   or null
 * @param ifUnmodifiedSince or null
 * @param notModifiedFails  true for a copy source ({@code x-amz-copy-source-if-*}), where "not
 *                          modified" is a 412 too
 */
public record ReadConditions(String ifMatch, String ifNoneMatch, Instant ifModifiedSince, Instant ifUnmodifiedSince,
                             boolean notModifiedFails) {
    public static final ReadConditions NONE = new ReadConditions(null, null, null, null, false);

    /**
     * @return true when the answer is 304 Not Modified
     * @throws S3Exception PreconditionFailed
     */
    boolean notModified(ObjectInfo info) {
        Instant lastModified = info.lastModified().truncatedTo(ChronoUnit.SECONDS);
        if (ifMatch != null) {
            if (!etagMatches(ifMatch, info.etag())) {
                throw failed("If-Match");
            }
        } else if (ifUnmodifiedSince != null && lastModified.isAfter(ifUnmodifiedSince)) {
            throw failed("If-Unmodified-Since");
        }
        boolean notModified;
        if (ifNoneMatch != null) {
            notModified = etagMatches(ifNoneMatch, info.etag());
        } else {
            notModified = ifModifiedSince != null && !lastModified.isAfter(ifModifiedSince);
        }
        if (notModified && notModifiedFails) {
            throw failed(ifNoneMatch != null ? "If-None-Match" : "If-Modified-Since");
        }
        return notModified;
    }

    /** Whether an If-Match / If-None-Match list (comma-separated ETags or '*') names this ETag. */
    public static boolean etagMatches(String headerValue, String etag) {
        for (String candidate : headerValue.split(",")) {
            String value = candidate.trim();
            if (value.equals("*") || unquote(value).equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** An ETag as a header carries it, without quotes or a weak prefix, lower-case. */
    public static String unquote(String etag) {
        String value = etag.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        return value.toLowerCase(Locale.ROOT);
    }

    static S3Exception failed(String condition) {
        return new S3Exception(S3ErrorCode.PRECONDITION_FAILED).with("Condition", condition);
    }
}
