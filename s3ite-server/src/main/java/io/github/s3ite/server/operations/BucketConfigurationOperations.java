package io.github.s3ite.server.operations;

import static io.github.s3ite.server.operations.ConfigurationDocuments.child;
import static io.github.s3ite.server.operations.ConfigurationDocuments.children;
import static io.github.s3ite.server.operations.ConfigurationDocuments.malformed;
import static io.github.s3ite.server.operations.ConfigurationDocuments.text;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.http.CorsRules;
import io.github.s3ite.server.http.S3Request;
import io.github.s3ite.server.http.S3Response;
import io.github.s3ite.server.http.XmlWriter;
import io.github.s3ite.server.storage.BucketFile;
import io.github.s3ite.server.storage.BucketStore;
import io.github.s3ite.server.storage.Versioning;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * The bucket configurations kept as documents in {@code bucket_configuration}: tagging, logging,
 * request payment, accelerate, website, notification, replication and CORS. Each is validated as S3
 * validates it, kept as S3 answers it, and answered with S3's default where a client never set it.
 * Only CORS is acted on (at the edge, see {@link io.github.s3ite.server.http.CorsRules}): no log is written, no notification sent, nothing replicated or served as a website.
 */
final class BucketConfigurationOperations {
    static final String TAGGING = "tagging";
    static final String LOGGING = "logging";
    static final String REQUEST_PAYMENT = "request-payment";
    static final String ACCELERATE = "accelerate";
    static final String WEBSITE = "website";
    static final String NOTIFICATION = "notification";
    static final String REPLICATION = "replication";
    static final String CORS = "cors";

    /** GetBucketLogging answers in the namespace S3's reference shows for it, not the usual one. */
    private static final String LOGGING_NAMESPACE = "http://doc.s3.amazonaws.com/2006-03-01";
    private static final int MAX_BUCKET_TAGS = 50;
    private static final int MAX_DOCUMENT = 1024 * 1024;

    private final java.util.Map<String, ParsedCors> parsedCors = new java.util.concurrent.ConcurrentHashMap<>();
    private final BucketStore store;

    BucketConfigurationOperations(BucketStore store) {
        this.store = store;
    }

    private static byte[] body(S3Request request) {
        return request.readSmallBody(MAX_DOCUMENT);
    }

    // Tagging

    S3Response getBucketTagging(S3Request request) {
        return kept(request, TAGGING, () -> new S3Exception(S3ErrorCode.NO_SUCH_TAG_SET)
                .with("BucketName", request.bucket()));
    }

    /** Up to 50 tags, each key once; an empty TagSet removes them, as S3 answers NoSuchTagSet after it. */
    S3Response putBucketTagging(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        Element tagging = ConfigurationDocuments.parse(body(request), "Tagging");
        Element tagSet = child(tagging, "TagSet");
        if (tagSet == null) {
            throw malformed();
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (Element tag : children(tagSet, "Tag")) {
            String key = text(tag, "Key");
            String value = text(tag, "Value");
            if (key == null || value == null) {
                throw malformed();
            }
            if (tags.put(key, value) != null) {
                throw new S3Exception(S3ErrorCode.INVALID_TAG, "Cannot provide multiple Tags with the same key");
            }
            if (key.regionMatches(true, 0, "aws:", 0, 4)) {
                throw new S3Exception(S3ErrorCode.INVALID_TAG, "System tags cannot be added/updated by requester");
            }
        }
        if (tags.size() > MAX_BUCKET_TAGS) {
            throw new S3Exception(S3ErrorCode.INVALID_TAG, "Bucket tag count cannot be greater than " + MAX_BUCKET_TAGS);
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (tag.getKey().isEmpty() || tag.getKey().codePointCount(0, tag.getKey().length()) > 128) {
                throw new S3Exception(S3ErrorCode.INVALID_TAG, "The TagKey you have provided is invalid");
            }
            if (tag.getValue().codePointCount(0, tag.getValue().length()) > 256) {
                throw new S3Exception(S3ErrorCode.INVALID_TAG, "The TagValue you have provided is invalid");
            }
        }
        if (tags.isEmpty()) {
            bucket.deleteConfiguration(TAGGING);
            return S3Response.noContent();
        }
        XmlWriter xml = XmlWriter.document("Tagging").start("TagSet");
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            xml.start("Tag").element("Key", tag.getKey()).element("Value", tag.getValue()).end();
        }
        bucket.setConfiguration(TAGGING, ConfigurationDocuments.stored(xml));
        return S3Response.noContent();
    }

    S3Response deleteBucketTagging(S3Request request) {
        store.bucket(request.bucket()).deleteConfiguration(TAGGING);
        return S3Response.noContent();
    }

    // Logging

    /** An empty BucketLoggingStatus while logging is off. */
    S3Response getBucketLogging(S3Request request) {
        String document = store.bucket(request.bucket()).configuration(LOGGING);
        return ConfigurationDocuments.answer(document != null ? document
                : "<BucketLoggingStatus xmlns=\"" + LOGGING_NAMESPACE + "\"/>");
    }

    /**
     * A LoggingEnabled element names a target bucket (which must exist) and prefix; a
     * BucketLoggingStatus without one turns logging off.
     */
    S3Response putBucketLogging(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        byte[] body = body(request);
        Element status = ConfigurationDocuments.parse(body, "BucketLoggingStatus");
        Element enabled = child(status, "LoggingEnabled");
        if (enabled == null) {
            bucket.deleteConfiguration(LOGGING);
            return S3Response.ok();
        }
        String targetBucket = text(enabled, "TargetBucket");
        String targetPrefix = text(enabled, "TargetPrefix");
        if (targetBucket == null || targetPrefix == null) {
            throw malformed();
        }
        if (!store.exists(targetBucket)) {
            throw new S3Exception(S3ErrorCode.INVALID_TARGET_BUCKET_FOR_LOGGING).with("TargetBucket", targetBucket);
        }
        bucket.setConfiguration(LOGGING, ConfigurationDocuments.asSent(body, LOGGING_NAMESPACE));
        return S3Response.ok();
    }

    // Request payment

    /** {@code BucketOwner} unless a client said {@code Requester}. */
    S3Response getBucketRequestPayment(S3Request request) {
        String document = store.bucket(request.bucket()).configuration(REQUEST_PAYMENT);
        return ConfigurationDocuments.answer(document != null ? document : requestPayment("BucketOwner"));
    }

    S3Response putBucketRequestPayment(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        String payer = text(ConfigurationDocuments.parse(body(request), "RequestPaymentConfiguration"), "Payer");
        if (!"BucketOwner".equals(payer) && !"Requester".equals(payer)) {
            throw malformed();
        }
        bucket.setConfiguration(REQUEST_PAYMENT, requestPayment(payer));
        return S3Response.ok();
    }

    private static String requestPayment(String payer) {
        return ConfigurationDocuments.stored(XmlWriter.document("RequestPaymentConfiguration").element("Payer", payer));
    }

    // Accelerate

    /** An AccelerateConfiguration without Status for a bucket never configured, as S3 answers. */
    S3Response getBucketAccelerateConfiguration(S3Request request) {
        String document = store.bucket(request.bucket()).configuration(ACCELERATE);
        return ConfigurationDocuments.answer(document != null ? document
                : ConfigurationDocuments.stored(XmlWriter.document("AccelerateConfiguration")));
    }

    S3Response putBucketAccelerateConfiguration(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        String status = text(ConfigurationDocuments.parse(body(request), "AccelerateConfiguration"), "Status");
        if (!"Enabled".equals(status) && !"Suspended".equals(status)) {
            throw malformed();
        }
        if (request.bucket().contains(".")) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "S3 Transfer Acceleration is not supported for buckets with periods (.) in their names");
        }
        bucket.setConfiguration(ACCELERATE,
                ConfigurationDocuments.stored(XmlWriter.document("AccelerateConfiguration").element("Status", status)));
        return S3Response.ok();
    }

    // Website

    S3Response getBucketWebsite(S3Request request) {
        return kept(request, WEBSITE, () -> new S3Exception(S3ErrorCode.NO_SUCH_WEBSITE_CONFIGURATION)
                .with("BucketName", request.bucket()));
    }

    /**
     * Either RedirectAllRequestsTo (with a HostName) and nothing else, or an IndexDocument whose
     * Suffix is neither empty nor holds a slash, with an optional ErrorDocument and RoutingRules.
     */
    S3Response putBucketWebsite(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        byte[] body = body(request);
        Element website = ConfigurationDocuments.parse(body, "WebsiteConfiguration");
        Element redirectAll = child(website, "RedirectAllRequestsTo");
        Element index = child(website, "IndexDocument");
        Element error = child(website, "ErrorDocument");
        Element rules = child(website, "RoutingRules");
        if (redirectAll != null) {
            if (text(redirectAll, "HostName") == null || text(redirectAll, "HostName").isBlank()) {
                throw malformed();
            }
            String protocol = text(redirectAll, "Protocol");
            if (protocol != null && !protocol.equals("http") && !protocol.equals("https")) {
                throw invalidArgument("Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.",
                        "Protocol", protocol);
            }
            if (index != null || error != null || rules != null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "RedirectAllRequestsTo cannot be provided in conjunction with other Routing/Redirect configurations.");
            }
        } else {
            String suffix = index == null ? null : text(index, "Suffix");
            if (suffix == null) {
                throw invalidArgument("A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty",
                        "IndexDocument", null);
            }
            if (suffix.isEmpty() || suffix.contains("/")) {
                throw invalidArgument("The IndexDocument Suffix is not well formed", "IndexDocument", suffix);
            }
            if (error != null && (text(error, "Key") == null || text(error, "Key").isEmpty())) {
                throw invalidArgument("The ErrorDocument Key is not well formed", "ErrorDocument", text(error, "Key"));
            }
            if (rules != null) {
                for (Element rule : children(rules, null)) {
                    if (!"RoutingRule".equals(rule.getLocalName()) || child(rule, "Redirect") == null) {
                        throw malformed();
                    }
                }
            }
        }
        bucket.setConfiguration(WEBSITE, ConfigurationDocuments.asSent(body, XmlWriter.S3_NAMESPACE));
        return S3Response.ok();
    }

    S3Response deleteBucketWebsite(S3Request request) {
        store.bucket(request.bucket()).deleteConfiguration(WEBSITE);
        return S3Response.noContent();
    }

    // Notification

    /** An empty NotificationConfiguration while none is set. */
    S3Response getBucketNotificationConfiguration(S3Request request) {
        String document = store.bucket(request.bucket()).configuration(NOTIFICATION);
        return ConfigurationDocuments.answer(document != null ? document
                : ConfigurationDocuments.stored(XmlWriter.document("NotificationConfiguration")));
    }

    /**
     * Each topic, queue and Lambda function configuration names its destination and at least one
     * {@code s3:} event; an empty configuration turns notifications off. Destinations cannot be
     * checked here (there is no SNS, SQS or Lambda to ask), so they are kept as sent.
     */
    S3Response putBucketNotificationConfiguration(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        byte[] body = body(request);
        Element configuration = ConfigurationDocuments.parse(body, "NotificationConfiguration");
        List<Element> entries = children(configuration, null);
        for (Element entry : entries) {
            String destination = switch (entry.getLocalName()) {
                case "TopicConfiguration" -> "Topic";
                case "QueueConfiguration" -> "Queue";
                case "CloudFunctionConfiguration" -> "CloudFunction";
                case "EventBridgeConfiguration" -> null;
                default -> throw malformed();
            };
            if (destination == null) {
                continue;
            }
            String arn = text(entry, destination);
            List<Element> events = children(entry, "Event");
            if (arn == null || events.isEmpty()) {
                throw malformed();
            }
            for (Element event : events) {
                String name = event.getTextContent();
                if (!name.startsWith("s3:")) {
                    throw invalidArgument("The event is not supported for notifications", "Event", name);
                }
            }
        }
        if (entries.isEmpty()) {
            bucket.deleteConfiguration(NOTIFICATION);
        } else {
            bucket.setConfiguration(NOTIFICATION, ConfigurationDocuments.asSent(body, XmlWriter.S3_NAMESPACE));
        }
        return S3Response.ok();
    }

    // Replication

    S3Response getBucketReplication(S3Request request) {
        return kept(request, REPLICATION, () -> new S3Exception(S3ErrorCode.REPLICATION_CONFIGURATION_NOT_FOUND)
                .with("BucketName", request.bucket()));
    }

    /** A Role and 1 to 1,000 rules, each with a Status and a destination bucket; versioning must be enabled. */
    S3Response putBucketReplication(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        byte[] body = body(request);
        Element configuration = ConfigurationDocuments.parse(body, "ReplicationConfiguration");
        List<Element> rules = children(configuration, "Rule");
        if (text(configuration, "Role") == null || rules.isEmpty() || rules.size() > 1000) {
            throw malformed();
        }
        for (Element rule : rules) {
            String status = text(rule, "Status");
            Element destination = child(rule, "Destination");
            if (!"Enabled".equals(status) && !"Disabled".equals(status)) {
                throw malformed();
            }
            if (destination == null || text(destination, "Bucket") == null) {
                throw malformed();
            }
        }
        if (bucket.versioning().status() != Versioning.Status.ENABLED) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "Versioning must be 'Enabled' on the bucket to apply a replication configuration");
        }
        bucket.setConfiguration(REPLICATION, ConfigurationDocuments.asSent(body, XmlWriter.S3_NAMESPACE));
        return S3Response.ok();
    }

    S3Response deleteBucketReplication(S3Request request) {
        store.bucket(request.bucket()).deleteConfiguration(REPLICATION);
        return S3Response.noContent();
    }

    // CORS

    S3Response getBucketCors(S3Request request) {
        return kept(request, CORS, () -> new S3Exception(S3ErrorCode.NO_SUCH_CORS_CONFIGURATION)
                .with("BucketName", request.bucket()));
    }

    /** 1 to 100 CORSRules, each with an AllowedOrigin and an AllowedMethod; kept as GetBucketCors answers it. */
    S3Response putBucketCors(S3Request request) {
        BucketFile bucket = store.bucket(request.bucket());
        CorsRules rules = CorsConfigurations.parse(body(request));
        bucket.setConfiguration(CORS, CorsConfigurations.stored(rules));
        return S3Response.ok();
    }

    S3Response deleteBucketCors(S3Request request) {
        store.bucket(request.bucket()).deleteConfiguration(CORS);
        return S3Response.noContent();
    }

    /** The bucket's CORS rules, or null for none; NoSuchBucket when there is no such bucket. */
    CorsRules corsRules(String bucketName) {
        String document = store.bucket(bucketName).configuration(CORS);
        if (document == null) {
            return null;
        }
        ParsedCors parsed = parsedCors.get(bucketName);
        if (parsed == null || !parsed.document().equals(document)) {
            parsed = new ParsedCors(document, CorsConfigurations.read(document));
            parsedCors.put(bucketName, parsed);
        }
        return parsed.rules();
    }

    /** A bucket's CORS document and its rules, parsed once rather than for every request with an Origin. */
    private record ParsedCors(String document, CorsRules rules) {
    }

    private S3Response kept(S3Request request, String name, java.util.function.Supplier<S3Exception> none) {
        String document = store.bucket(request.bucket()).configuration(name);
        if (document == null) {
            throw none.get();
        }
        return ConfigurationDocuments.answer(document);
    }

    private static S3Exception invalidArgument(String message, String name, String value) {
        S3Exception error = new S3Exception(S3ErrorCode.INVALID_ARGUMENT, message).with("ArgumentName", name);
        return value == null ? error : error.with("ArgumentValue", value);
    }
}
