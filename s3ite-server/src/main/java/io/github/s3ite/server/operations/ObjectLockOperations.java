package io.github.s3ite.server.operations;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.http.S3Request;
import io.github.s3ite.server.http.S3Response;
import io.github.s3ite.server.http.XmlWriter;
import io.github.s3ite.server.storage.BucketFile;
import io.github.s3ite.server.storage.BucketStore;
import io.github.s3ite.server.storage.ObjectInfo;
import io.github.s3ite.server.storage.ObjectLock;
import io.github.s3ite.server.storage.ObjectLockConfiguration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * PutObjectLockConfiguration, GetObjectLockConfiguration, PutObjectRetention, GetObjectRetention,
 * PutObjectLegalHold, GetObjectLegalHold, and the object lock headers of PUT, copy and multipart.
 */
final class ObjectLockOperations {
    private final BucketStore store;

    ObjectLockOperations(BucketStore store) {
        this.store = store;
    }

    S3Response putObjectLockConfiguration(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        RequestDocuments.ObjectLockConfiguration document = RequestDocuments.parse(request.readSmallBody(64 * 1024),
                RequestDocuments.ObjectLockConfiguration.class);
        if (!"Enabled".equals(document.objectLockEnabled)) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        ObjectLockConfiguration configuration = ObjectLockConfiguration.ENABLED;
        if (document.rule != null) {
            RequestDocuments.DefaultRetention retention = document.rule.defaultRetention;
            if (retention == null) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML);
            }
            ObjectLock.Mode mode = ObjectLock.Mode.fromName(retention.mode);
            if (mode == null) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML);
            }
            if ((retention.days == null) == (retention.years == null)) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML);
            }
            int days = retention.days == null ? 0 : retention.days;
            int years = retention.years == null ? 0 : retention.years;
            if (days < 0 || years < 0 || days == 0 && years == 0) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Default retention period must be a positive integer value")
                        .with("ArgumentName", retention.days != null ? "Days" : "Years");
            }
            configuration = new ObjectLockConfiguration(mode, days, years);
        }
        bucket.setObjectLockConfiguration(configuration);
        return S3Response.ok();
    }

    S3Response getObjectLockConfiguration(S3Request request) {
        ObjectLockConfiguration configuration = store.bucket(request.bucket()).objectLockConfiguration();
        if (configuration == null) {
            throw new S3Exception(S3ErrorCode.OBJECT_LOCK_CONFIGURATION_NOT_FOUND).with("BucketName", request.bucket());
        }
        XmlWriter xml = XmlWriter.document("ObjectLockConfiguration").element("ObjectLockEnabled", "Enabled");
        if (configuration.defaultMode() != null) {
            xml.start("Rule").start("DefaultRetention").element("Mode", configuration.defaultMode().name());
            if (configuration.years() > 0) {
                xml.element("Years", configuration.years());
            } else {
                xml.element("Days", configuration.days());
            }
            xml.end().end();
        }
        return S3Response.xml(xml);
    }

    S3Response putObjectRetention(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        String versionId = Versions.versionId(request);
        RequestDocuments.Retention document = RequestDocuments.parse(request.readSmallBody(64 * 1024),
                RequestDocuments.Retention.class);
        ObjectLock.Mode mode = null;
        Instant until = null;
        if (document.mode != null || document.retainUntilDate != null) {
            mode = ObjectLock.Mode.fromName(document.mode);
            if (mode == null || document.retainUntilDate == null) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML);
            }
            until = parseDate(document.retainUntilDate, "RetainUntilDate");
            if (!until.isAfter(Instant.now())) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The retain until date must be in the future!");
            }
        }
        ObjectInfo version = target(bucket, request, versionId, "PUT");
        bucket.putRetention(request.key(), version.versionId(), mode, until, bypassGovernance(request));
        S3Response response = S3Response.ok();
        Versions.writeVersionId(response, bucket, version.versionId());
        return response;
    }

    S3Response getObjectRetention(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        ObjectInfo version = target(bucket, request, Versions.versionId(request), "GET");
        ObjectLock lock = bucket.objectLock(request.key(), version.versionId());
        if (lock.mode() == null) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_OBJECT_LOCK_CONFIGURATION);
        }
        return S3Response.xml(XmlWriter.document("Retention")
                .element("Mode", lock.mode().name())
                .element("RetainUntilDate", lock.retainUntil()));
    }

    S3Response putObjectLegalHold(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        String versionId = Versions.versionId(request);
        RequestDocuments.LegalHold document = RequestDocuments.parse(request.readSmallBody(64 * 1024),
                RequestDocuments.LegalHold.class);
        if (!"ON".equals(document.status) && !"OFF".equals(document.status)) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        ObjectInfo version = target(bucket, request, versionId, "PUT");
        bucket.putLegalHold(request.key(), version.versionId(), "ON".equals(document.status));
        S3Response response = S3Response.ok();
        Versions.writeVersionId(response, bucket, version.versionId());
        return response;
    }

    S3Response getObjectLegalHold(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        ObjectInfo version = target(bucket, request, Versions.versionId(request), "GET");
        ObjectLock lock = bucket.objectLock(request.key(), version.versionId());
        if (lock.legalHold() == null) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_OBJECT_LOCK_CONFIGURATION);
        }
        return S3Response.xml(XmlWriter.document("LegalHold").element("Status", lock.held() ? "ON" : "OFF"));
    }

    /** The version a retention or legal hold request is about; the bucket must have object lock. */
    private static ObjectInfo target(BucketFile bucket, S3Request request, String versionId, String method) {
        if (bucket.objectLockConfiguration() == null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Bucket is missing Object Lock Configuration");
        }
        ObjectInfo info = bucket.describe(request.key(), versionId);
        if (info.deleteMarker()) {
            throw Versions.deleteMarker(info, versionId != null, method);
        }
        return info;
    }

    static boolean bypassGovernance(S3Request request) {
        return "true".equalsIgnoreCase(request.header("x-amz-bypass-governance-retention"));
    }

    /**
     * The lock the x-amz-object-lock-* headers of PutObject, CopyObject or CreateMultipartUpload ask
     * for; null when they name none.
     */
    static ObjectLock fromHeaders(S3Request request) {
        String modeName = request.header("x-amz-object-lock-mode");
        String untilText = request.header("x-amz-object-lock-retain-until-date");
        String hold = request.header("x-amz-object-lock-legal-hold");
        if (modeName == null && untilText == null && hold == null) {
            return null;
        }
        if ((modeName == null) != (untilText == null)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied");
        }
        ObjectLock.Mode mode = null;
        Instant until = null;
        if (modeName != null) {
            mode = ObjectLock.Mode.fromName(modeName);
            if (mode == null) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Unknown wormMode directive.")
                        .with("ArgumentName", "x-amz-object-lock-mode").with("ArgumentValue", modeName);
            }
            until = parseDate(untilText, "x-amz-object-lock-retain-until-date");
            if (!until.isAfter(Instant.now())) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The retain until date must be in the future!");
            }
        }
        Boolean legalHold = null;
        if (hold != null) {
            if (!hold.equals("ON") && !hold.equals("OFF")) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Legal Hold must be either of 'ON' or 'OFF'")
                        .with("ArgumentName", "x-amz-object-lock-legal-hold").with("ArgumentValue", hold);
            }
            legalHold = hold.equals("ON");
        }
        return new ObjectLock(mode, until, legalHold);
    }

    /** GetObject and HeadObject name a version's lock in headers. */
    static void writeHeaders(S3Response response, ObjectLock lock) {
        if (lock.mode() != null) {
            response.header("x-amz-object-lock-mode", lock.mode().name())
                    .header("x-amz-object-lock-retain-until-date", lock.retainUntil().toString());
        }
        if (lock.legalHold() != null) {
            response.header("x-amz-object-lock-legal-hold", lock.held() ? "ON" : "OFF");
        }
    }

    private static Instant parseDate(String text, String name) {
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text.trim());
            } catch (DateTimeParseException again) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The retain until date is not a valid date")
                        .with("ArgumentName", name).with("ArgumentValue", text);
            }
        }
    }
}
