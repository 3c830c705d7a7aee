package io.github.s3ite.server.operations;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.http.PercentCoding;
import io.github.s3ite.server.http.S3Request;
import io.github.s3ite.server.http.S3Response;
import io.github.s3ite.server.lifecycle.LifecycleConfiguration;
import io.github.s3ite.server.lifecycle.LifecycleOutcome;
import io.github.s3ite.server.storage.BucketFile;
import io.github.s3ite.server.storage.BucketInfo;
import io.github.s3ite.server.storage.BucketStore;
import io.github.s3ite.server.storage.ObjectInfo;
import io.github.s3ite.server.storage.UploadInfo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * GetBucketLifecycleConfiguration, PutBucketLifecycleConfiguration (and the legacy
 * PutBucketLifecycle, the same request with rule-level prefixes) and DeleteBucketLifecycle; the
 * {@code x-amz-expiration} and {@code x-amz-abort-*} headers the rules give objects and uploads;
 * and applying the rules to every bucket. The configuration is kept in {@code bucket_configuration}
 * as GetBucketLifecycleConfiguration answers it, under {@value #LIFECYCLE}, and the
 * {@code x-amz-transition-default-minimum-object-size} in force under {@value #TRANSITION_DEFAULT}.
 */
final class LifecycleOperations {
    static final String LIFECYCLE = "lifecycle";
    static final String TRANSITION_DEFAULT = "lifecycle-transition-default-minimum-object-size";
    static final String TRANSITION_DEFAULT_HEADER = "x-amz-transition-default-minimum-object-size";
    /** What S3 applies to a configuration set without the header. */
    private static final String DEFAULT_MINIMUM_SIZE = "all_storage_classes_128K";
    private static final String VARIES_BY_STORAGE_CLASS = "varies_by_storage_class";
    private static final int MAX_DOCUMENT = 4 * 1024 * 1024;
    /** An HTTP date has four digits of year: a rule falling due later than this says nothing. */
    private static final Instant LAST_HTTP_DATE = Instant.parse("9999-12-31T00:00:00Z");
    private static final Logger LOG = Logger.getLogger(LifecycleOperations.class.getName());

    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();
    private final BucketStore store;

    LifecycleOperations(BucketStore store) {
        this.store = store;
    }

    S3Response getBucketLifecycleConfiguration(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        String document = bucket.configuration(LIFECYCLE);
        if (document == null) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_LIFECYCLE_CONFIGURATION).with("BucketName", request.bucket());
        }
        return ConfigurationDocuments.answer(document).header(TRANSITION_DEFAULT_HEADER, transitionDefault(bucket));
    }

    /** Replaces the bucket's configuration; answers the minimum object size behaviour in force, as S3 does. */
    S3Response putBucketLifecycleConfiguration(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        String minimumSize = request.header(TRANSITION_DEFAULT_HEADER);
        if (minimumSize == null) {
            minimumSize = DEFAULT_MINIMUM_SIZE;
        } else if (!minimumSize.equals(DEFAULT_MINIMUM_SIZE) && !minimumSize.equals(VARIES_BY_STORAGE_CLASS)) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Invalid TransitionDefaultMinimumObjectSize found: "
                    + minimumSize);
        }
        LifecycleConfiguration configuration = LifecycleConfigurations.parse(request.readSmallBody(MAX_DOCUMENT));
        Map<String, String> documents = new LinkedHashMap<>();
        documents.put(LIFECYCLE, LifecycleConfigurations.stored(configuration));
        documents.put(TRANSITION_DEFAULT, minimumSize);
        bucket.setConfigurations(documents);
        return S3Response.ok().header(TRANSITION_DEFAULT_HEADER, minimumSize);
    }

    S3Response deleteBucketLifecycle(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        Map<String, String> documents = new LinkedHashMap<>();
        documents.put(LIFECYCLE, null);
        documents.put(TRANSITION_DEFAULT, null);
        bucket.setConfigurations(documents);
        return S3Response.noContent();
    }

    private static String transitionDefault(BucketFile bucket) {
        String kept = bucket.configuration(TRANSITION_DEFAULT);
        return kept != null ? kept : DEFAULT_MINIMUM_SIZE;
    }

    /**
     * The bucket's rules, parsed once per document rather than for every request; null for none.
     * A kept document that no longer reads as a configuration (edited in the file by hand) acts as
     * none, and is logged once, rather than failing every request on the bucket.
     */
    LifecycleConfiguration configuration(BucketFile bucket) {
        String document = bucket.configuration(LIFECYCLE);
        if (document == null) {
            return null;
        }
        Parsed known = parsed.get(bucket.name());
        if (known != null && known.document() != document && known.document().equals(document)) {
            // the same document read again (after a reset): kept as this instance, so that later
            // requests compare references, not whole documents
            known = new Parsed(document, known.configuration());
            parsed.put(bucket.name(), known);
        }
        if (known == null || !known.document().equals(document)) {
            LifecycleConfiguration configuration = null;
            try {
                configuration = LifecycleConfigurations.read(document);
            } catch (S3Exception e) {
                LOG.log(Level.WARNING, "The lifecycle configuration kept for bucket " + bucket.name()
                        + " is not valid; its rules are not applied", e);
            }
            known = new Parsed(document, configuration);
            parsed.put(bucket.name(), known);
        }
        return known.configuration();
    }

    /**
     * {@code x-amz-expiration} for the current version {@code info}, when an enabled rule expires
     * it: {@code expiry-date="Fri, 23 Dec 2012 00:00:00 GMT", rule-id="..."}.
     */
    void writeExpiration(S3Response response, BucketFile bucket, ObjectInfo info) {
        LifecycleConfiguration configuration = configuration(bucket);
        if (configuration == null || info.deleteMarker()) {
            return;
        }
        LifecycleConfiguration.Due due = configuration.expiration(info.key(), info.size(), info.tags(),
                info.lastModified());
        if (due != null && !due.at().isAfter(LAST_HTTP_DATE)) {
            response.header("x-amz-expiration", "expiry-date=\"" + HttpDates.format(due.at()) + "\", rule-id=\""
                    + headerRuleId(due.ruleId()) + "\"");
        }
    }

    /** {@code x-amz-abort-date} and {@code x-amz-abort-rule-id}, when an enabled rule aborts the upload. */
    void writeAbort(S3Response response, BucketFile bucket, UploadInfo upload) {
        LifecycleConfiguration configuration = configuration(bucket);
        if (configuration == null) {
            return;
        }
        LifecycleConfiguration.Due due = configuration.abortIncompleteMultipartUpload(upload.key(), upload.initiated());
        if (due != null && !due.at().isAfter(LAST_HTTP_DATE)) {
            response.header("x-amz-abort-date", HttpDates.format(due.at()))
                    .header("x-amz-abort-rule-id", headerRuleId(due.ruleId()));
        }
    }

    /**
     * A rule ID as S3 sends it in a header: as it is (spaces too), unless a header cannot carry it
     * so (a control or non-ASCII character, a quote, a backslash, a space at either end); then
     * URL-encoded, as S3 documents the value.
     */
    static String headerRuleId(String id) {
        boolean plain = !id.startsWith(" ") && !id.endsWith(" ");
        for (int i = 0; plain && i < id.length(); i++) {
            char c = id.charAt(i);
            plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
        }
        return plain ? id : PercentCoding.encodeKey(id);
    }

    /**
     * Applies every bucket's rules as they stand at {@code now}. A bucket that goes away meanwhile,
     * or fails, is passed over (and logged), so that one bucket never keeps the others from their
     * rules.
     */
    LifecycleOutcome apply(Instant now) {
        LifecycleOutcome outcome = LifecycleOutcome.NONE;
        for (BucketInfo listed : store.listBuckets()) {
            try {
                BucketFile bucket = store.bucket(listed.name());
                LifecycleConfiguration configuration = configuration(bucket);
                if (configuration != null) {
                    outcome = outcome.plus(bucket.applyLifecycle(configuration, now));
                }
            } catch (S3Exception e) {
                if (e.error() != S3ErrorCode.NO_SUCH_BUCKET) {
                    LOG.log(Level.WARNING, "Lifecycle rules of bucket " + listed.name() + " not applied", e);
                }
            }
        }
        return outcome;
    }

    /** A bucket's lifecycle document and its rules. */
    private record Parsed(String document, LifecycleConfiguration configuration) {
    }
}
