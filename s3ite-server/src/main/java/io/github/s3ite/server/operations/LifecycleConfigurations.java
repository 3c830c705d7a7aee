package io.github.s3ite.server.operations;

import static io.github.s3ite.server.operations.ConfigurationDocuments.child;
import static io.github.s3ite.server.operations.ConfigurationDocuments.children;
import static io.github.s3ite.server.operations.ConfigurationDocuments.malformed;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.http.XmlWriter;
import io.github.s3ite.server.lifecycle.LifecycleConfiguration;
import io.github.s3ite.server.lifecycle.LifecycleFilter;
import io.github.s3ite.server.lifecycle.LifecycleRule;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.w3c.dom.Element;

/**
 * A {@code LifecycleConfiguration} document: validated as PutBucketLifecycleConfiguration (and the
 * legacy PutBucketLifecycle, which sends rule-level prefixes to the same sub-resource) validates
 * it, kept as GetBucketLifecycleConfiguration answers it, and read back into a
 * {@link LifecycleConfiguration}. Structural faults are MalformedXML; bad values InvalidArgument
 * or InvalidRequest, with S3's messages.
 */
final class LifecycleConfigurations {
    static final int MAX_RULES = 1000;
    private static final int MAX_ID = 255;
    /** The largest size a filter may name: S3 refuses sizes beyond 1000 TiB. */
    private static final long MAX_FILTER_SIZE = 1_099_511_627_776_000L;
    private static final Set<String> RULE_ELEMENTS = Set.of("ID", "Prefix", "Filter", "Status", "Expiration",
            "Transition", "NoncurrentVersionTransition", "NoncurrentVersionExpiration", "AbortIncompleteMultipartUpload");
    private static final Set<String> STORAGE_CLASSES = Set.of("GLACIER", "STANDARD_IA", "ONEZONE_IA",
            "INTELLIGENT_TIERING", "DEEP_ARCHIVE", "GLACIER_IR");
    /** The classes S3 transitions objects to only once they are 30 days old. */
    private static final Set<String> INFREQUENT_ACCESS = Set.of("STANDARD_IA", "ONEZONE_IA");

    private LifecycleConfigurations() {
    }

    /** The rules of a document, refused as S3 refuses it; a rule without an ID gets one, as S3 gives it. */
    static LifecycleConfiguration parse(byte[] body) {
        Element configuration = ConfigurationDocuments.parse(body, "LifecycleConfiguration");
        List<Element> ruleElements = children(configuration, null);
        for (Element rule : ruleElements) {
            if (!"Rule".equals(rule.getLocalName())) {
                throw malformed();
            }
        }
        if (ruleElements.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "At least one lifecycle rule must be specified.");
        }
        if (ruleElements.size() > MAX_RULES) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "The number of lifecycle rules must not exceed the allowed limit of " + MAX_RULES + " rules.");
        }
        Set<String> ids = new HashSet<>();
        for (Element rule : ruleElements) {
            String id = text(rule, "ID");
            if (id == null || id.isEmpty()) {
                continue;
            }
            if (id.length() > MAX_ID) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "ID length should not exceed allowed limit of " + MAX_ID);
            }
            if (!ids.add(id)) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                        "Rule ID must be unique. Found same ID for more than one rule");
            }
        }
        // the first rule decides the form: a Filter makes it "Lifecycle V2", a rule-level Prefix the legacy form
        boolean v2 = child(ruleElements.get(0), "Filter") != null;
        List<LifecycleRule> rules = new ArrayList<>();
        for (Element rule : ruleElements) {
            rules.add(rule(rule, v2));
        }
        if (!v2) {
            refuseOverlappingPrefixes(rules);
        }
        return new LifecycleConfiguration(rules);
    }

    private static LifecycleRule rule(Element rule, boolean v2) {
        for (Element element : children(rule, null)) {
            if (!RULE_ELEMENTS.contains(element.getLocalName())) {
                throw malformed();
            }
        }
        String status = text(rule, "Status");
        if (!"Enabled".equals(status) && !"Disabled".equals(status)) {
            throw malformed();
        }
        Element filterElement = child(rule, "Filter");
        String prefix = text(rule, "Prefix");
        if ((filterElement == null) == (prefix == null)) {
            throw malformed();
        }
        if (prefix != null && v2) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "Base level prefix cannot be used in Lifecycle V2, prefixes are only supported in the Filter.");
        }
        if (filterElement != null && !v2) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Filter element can only be used in Lifecycle V2.");
        }
        LifecycleFilter filter = filterElement == null ? null : filter(filterElement);
        Element expirationElement = child(rule, "Expiration");
        List<Element> transitionElements = children(rule, "Transition");
        List<Element> noncurrentTransitionElements = children(rule, "NoncurrentVersionTransition");
        Element noncurrentElement = child(rule, "NoncurrentVersionExpiration");
        Element abortElement = child(rule, "AbortIncompleteMultipartUpload");
        if (expirationElement == null && transitionElements.isEmpty() && noncurrentTransitionElements.isEmpty()
                && noncurrentElement == null && abortElement == null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "At least one action needs to be specified in a rule");
        }
        LifecycleRule.Expiration expiration = expirationElement == null ? null : expiration(expirationElement);
        LifecycleRule.NoncurrentVersionExpiration noncurrent = noncurrentElement == null ? null
                : noncurrentExpiration(noncurrentElement, v2);
        Integer abortDays = null;
        if (abortElement != null) {
            onlyChildren(abortElement, Set.of("DaysAfterInitiation"));
            abortDays = positive(required(abortElement, "DaysAfterInitiation"),
                    "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer");
        }
        boolean tags = filter != null && filter.usesTags();
        boolean sizes = filter != null && filter.usesSizes();
        if (expiration != null && expiration.expiredObjectDeleteMarker() != null) {
            if (tags) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "ExpiredObjectDeleteMarker cannot be specified with Tags.");
            }
            if (sizes) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "ExpiredObjectDeleteMarker cannot be specified with Object Size.");
            }
        }
        if (abortDays != null && tags) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "AbortIncompleteMultipartUpload cannot be specified with Tags.");
        }
        if (abortDays != null && sizes) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "AbortIncompleteMultipartUpload cannot be specified with Object Size.");
        }
        List<LifecycleRule.Transition> transitions = new ArrayList<>();
        for (Element transition : transitionElements) {
            transitions.add(transition(transition));
        }
        List<LifecycleRule.NoncurrentVersionTransition> noncurrentTransitions = new ArrayList<>();
        for (Element transition : noncurrentTransitionElements) {
            noncurrentTransitions.add(noncurrentTransition(transition, v2));
        }
        String id = text(rule, "ID");
        if (id == null || id.isEmpty()) {
            id = generatedId();
        }
        return new LifecycleRule(id, "Enabled".equals(status), prefix, filter, expiration, transitions,
                noncurrentTransitions, noncurrent, abortDays);
    }

    /** S3 names a rule sent without an ID with the base64 of a random UUID, 48 characters. */
    private static String generatedId() {
        return Base64.getEncoder().encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** A Filter holds at most one predicate; several go inside And, which must hold two or more. */
    private static LifecycleFilter filter(Element filter) {
        List<Element> predicates = children(filter, null);
        if (predicates.isEmpty()) {
            return LifecycleFilter.ALL;
        }
        if (predicates.size() > 1) {
            throw malformed();
        }
        Element predicate = predicates.get(0);
        switch (predicate.getLocalName()) {
            case "Prefix":
                return new LifecycleFilter(predicate.getTextContent(), List.of(), null, null, false);
            case "Tag":
                return new LifecycleFilter(null, List.of(tag(predicate)), null, null, false);
            case "ObjectSizeGreaterThan":
                return new LifecycleFilter(null, List.of(), greaterThan(predicate), null, false);
            case "ObjectSizeLessThan":
                return new LifecycleFilter(null, List.of(), null, lessThan(predicate), false);
            case "And":
                return and(predicate);
            default:
                throw malformed();
        }
    }

    private static LifecycleFilter and(Element and) {
        List<Element> predicates = children(and, null);
        onlyChildren(and, Set.of("Prefix", "Tag", "ObjectSizeGreaterThan", "ObjectSizeLessThan"));
        if (predicates.size() < 2) {
            throw malformed();
        }
        Element prefix = child(and, "Prefix");
        Element greater = child(and, "ObjectSizeGreaterThan");
        Element less = child(and, "ObjectSizeLessThan");
        List<LifecycleFilter.Tag> tags = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (Element tag : children(and, "Tag")) {
            LifecycleFilter.Tag parsed = tag(tag);
            if (!keys.add(parsed.key())) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Duplicate Tag Keys are not allowed.");
            }
            tags.add(parsed);
        }
        Long greaterThan = greater == null ? null : greaterThan(greater);
        Long lessThan = less == null ? null : lessThan(less);
        if (greaterThan != null && lessThan != null && greaterThan >= lessThan) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "'ObjectSizeLessThan' has to be a value greater than 'ObjectSizeGreaterThan'.");
        }
        return new LifecycleFilter(prefix == null ? null : prefix.getTextContent(), tags, greaterThan, lessThan, true);
    }

    private static LifecycleFilter.Tag tag(Element tag) {
        onlyChildren(tag, Set.of("Key", "Value"));
        String key = text(tag, "Key");
        if (key == null || key.isEmpty()) {
            throw malformed();
        }
        return new LifecycleFilter.Tag(key, text(tag, "Value"));
    }

    private static long greaterThan(Element size) {
        long value = longValue(size.getTextContent());
        if (value < 0 || value > MAX_FILTER_SIZE) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "'ObjectSizeGreaterThan' should be between 0 and " + MAX_FILTER_SIZE + ".");
        }
        return value;
    }

    private static long lessThan(Element size) {
        long value = longValue(size.getTextContent());
        if (value < 1 || value > MAX_FILTER_SIZE) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "'ObjectSizeLessThan' should be between 1 and " + MAX_FILTER_SIZE + ".");
        }
        return value;
    }

    /** Exactly one of Days, Date and ExpiredObjectDeleteMarker. */
    private static LifecycleRule.Expiration expiration(Element expiration) {
        onlyChildren(expiration, Set.of("Days", "Date", "ExpiredObjectDeleteMarker"));
        if (children(expiration, null).size() != 1) {
            throw malformed();
        }
        String days = text(expiration, "Days");
        String date = text(expiration, "Date");
        String marker = text(expiration, "ExpiredObjectDeleteMarker");
        if (days != null) {
            return new LifecycleRule.Expiration(positive(days, "'Days' for Expiration action must be a positive integer"),
                    null, null);
        }
        if (date != null) {
            return new LifecycleRule.Expiration(null, midnight(date), null);
        }
        String flag = marker.strip();
        if (!flag.equals("true") && !flag.equals("false")) {
            throw malformed();
        }
        return new LifecycleRule.Expiration(null, null, Boolean.valueOf(flag));
    }

    private static LifecycleRule.NoncurrentVersionExpiration noncurrentExpiration(Element expiration, boolean v2) {
        onlyChildren(expiration, Set.of("NoncurrentDays", "NewerNoncurrentVersions"));
        int days = positive(required(expiration, "NoncurrentDays"),
                "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer");
        return new LifecycleRule.NoncurrentVersionExpiration(days, newerNoncurrentVersions(expiration, v2,
                "NoncurrentVersionExpiration"));
    }

    private static Integer newerNoncurrentVersions(Element action, boolean v2, String actionName) {
        String newer = text(action, "NewerNoncurrentVersions");
        if (newer == null) {
            return null;
        }
        if (!v2) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "NewerNoncurrentVersions element can only be used in Lifecycle V2.");
        }
        int versions = positive(newer, "'NewerNoncurrentVersions' for " + actionName + " action must be a positive integer");
        if (versions > MAX_NEWER_NONCURRENT_VERSIONS) {
            // S3 keeps at most 100 noncurrent versions by this rule
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "'NewerNoncurrentVersions' for " + actionName
                    + " action must not be greater than " + MAX_NEWER_NONCURRENT_VERSIONS);
        }
        return versions;
    }

    private static LifecycleRule.Transition transition(Element transition) {
        onlyChildren(transition, Set.of("Days", "Date", "StorageClass"));
        String storageClass = storageClass(transition);
        String days = text(transition, "Days");
        String date = text(transition, "Date");
        if ((days == null) == (date == null)) {
            throw malformed();
        }
        if (date != null) {
            return new LifecycleRule.Transition(null, midnight(date), storageClass);
        }
        int count = integer(days);
        if (count < 0) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "'Days' for Transition action must be a positive integer");
        }
        atLeast30(count, "Transition", "Days", storageClass);
        return new LifecycleRule.Transition(count, null, storageClass);
    }

    private static LifecycleRule.NoncurrentVersionTransition noncurrentTransition(Element transition, boolean v2) {
        onlyChildren(transition, Set.of("NoncurrentDays", "NewerNoncurrentVersions", "StorageClass"));
        String storageClass = storageClass(transition);
        int days = integer(required(transition, "NoncurrentDays"));
        if (days < 0) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "'NoncurrentDays' for NoncurrentVersionTransition action must be a positive integer");
        }
        atLeast30(days, "NoncurrentVersionTransition", "NoncurrentDays", storageClass);
        return new LifecycleRule.NoncurrentVersionTransition(days,
                newerNoncurrentVersions(transition, v2, "NoncurrentVersionTransition"), storageClass);
    }

    private static void atLeast30(int days, String action, String element, String storageClass) {
        if (days < 30 && INFREQUENT_ACCESS.contains(storageClass)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "'" + element + "' in " + action
                    + " action must be greater than or equal to 30 for storageClass '" + storageClass + "'");
        }
    }

    private static String storageClass(Element transition) {
        String storageClass = text(transition, "StorageClass");
        if (storageClass == null || !STORAGE_CLASSES.contains(storageClass.strip())) {
            throw malformed();
        }
        return storageClass.strip();
    }

    /**
     * In a legacy configuration (rule-level prefixes), no two rules whose prefixes overlap (one
     * begins the other) may take the same kind of action.
     */
    private static void refuseOverlappingPrefixes(List<LifecycleRule> rules) {
        String[] kinds = {"Expiration", "Transition", "NoncurrentVersionTransition", "NoncurrentVersionExpiration",
            "AbortIncompleteMultipartUpload"};
        for (String kind : kinds) {
            TreeSet<String> prefixes = new TreeSet<>();
            for (LifecycleRule rule : rules) {
                boolean takes = switch (kind) {
                    case "Expiration" -> rule.expiration() != null;
                    case "Transition" -> !rule.transitions().isEmpty();
                    case "NoncurrentVersionTransition" -> !rule.noncurrentVersionTransitions().isEmpty();
                    case "NoncurrentVersionExpiration" -> rule.noncurrentVersionExpiration() != null;
                    default -> rule.abortIncompleteMultipartUploadDays() != null;
                };
                if (!takes) {
                    continue;
                }
                if (!prefixes.add(rule.prefix())) {
                    throw overlapping(rule.prefix(), rule.prefix(), kind);
                }
            }
            String previous = null;
            for (String prefix : prefixes) {
                if (previous != null && prefix.startsWith(previous)) {
                    throw overlapping(previous, prefix, kind);
                }
                previous = prefix;
            }
        }
    }

    private static S3Exception overlapping(String first, String second, String kind) {
        return new S3Exception(S3ErrorCode.INVALID_REQUEST,
                "Found overlapping prefixes '" + first + "' and '" + second + "' for same action type '" + kind + "'");
    }

    /** A Date: ISO 8601, at midnight UTC. */
    private static Instant midnight(String text) {
        Instant date = date(text.strip());
        if (date.getEpochSecond() % 86_400 != 0 || date.getNano() != 0) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "'Date' must be at midnight GMT");
        }
        return date;
    }

    private static Instant date(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notWithOffset) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException notADate) {
                    throw malformed();
                }
            }
        }
    }

    private static final int MAX_NEWER_NONCURRENT_VERSIONS = 100;

    private static int positive(String text, String message) {
        int value = integer(text);
        if (value <= 0) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, message);
        }
        return value;
    }

    private static int integer(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw malformed();
        }
    }

    private static long longValue(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw malformed();
        }
    }

    private static String required(Element parent, String name) {
        String value = text(parent, name);
        if (value == null) {
            throw malformed();
        }
        return value;
    }

    private static String text(Element parent, String name) {
        return ConfigurationDocuments.text(parent, name);
    }

    private static void onlyChildren(Element parent, Set<String> names) {
        for (Element element : children(parent, null)) {
            if (!names.contains(element.getLocalName())) {
                throw malformed();
            }
        }
    }

    /** The document GetBucketLifecycleConfiguration answers for {@code configuration}, as kept in the bucket file. */
    static String stored(LifecycleConfiguration configuration) {
        XmlWriter xml = XmlWriter.document("LifecycleConfiguration");
        for (LifecycleRule rule : configuration.rules()) {
            xml.start("Rule").element("ID", rule.id());
            if (rule.prefix() != null) {
                xml.element("Prefix", rule.prefix());
            } else {
                writeFilter(xml, rule.filter());
            }
            xml.element("Status", rule.enabled() ? "Enabled" : "Disabled");
            LifecycleRule.Expiration expiration = rule.expiration();
            if (expiration != null) {
                xml.start("Expiration");
                if (expiration.days() != null) {
                    xml.element("Days", expiration.days());
                }
                xml.element("Date", expiration.date());
                if (expiration.expiredObjectDeleteMarker() != null) {
                    xml.element("ExpiredObjectDeleteMarker", expiration.expiredObjectDeleteMarker());
                }
                xml.end();
            }
            for (LifecycleRule.Transition transition : rule.transitions()) {
                xml.start("Transition");
                if (transition.days() != null) {
                    xml.element("Days", transition.days());
                }
                xml.element("Date", transition.date()).element("StorageClass", transition.storageClass()).end();
            }
            for (LifecycleRule.NoncurrentVersionTransition transition : rule.noncurrentVersionTransitions()) {
                xml.start("NoncurrentVersionTransition").element("NoncurrentDays", transition.noncurrentDays());
                if (transition.newerNoncurrentVersions() != null) {
                    xml.element("NewerNoncurrentVersions", transition.newerNoncurrentVersions());
                }
                xml.element("StorageClass", transition.storageClass()).end();
            }
            LifecycleRule.NoncurrentVersionExpiration noncurrent = rule.noncurrentVersionExpiration();
            if (noncurrent != null) {
                xml.start("NoncurrentVersionExpiration").element("NoncurrentDays", noncurrent.noncurrentDays());
                if (noncurrent.newerNoncurrentVersions() != null) {
                    xml.element("NewerNoncurrentVersions", noncurrent.newerNoncurrentVersions());
                }
                xml.end();
            }
            if (rule.abortIncompleteMultipartUploadDays() != null) {
                xml.start("AbortIncompleteMultipartUpload")
                        .element("DaysAfterInitiation", rule.abortIncompleteMultipartUploadDays()).end();
            }
            xml.end();
        }
        return ConfigurationDocuments.stored(xml);
    }

    private static void writeFilter(XmlWriter xml, LifecycleFilter filter) {
        xml.start("Filter");
        if (filter.and()) {
            xml.start("And");
        }
        xml.element("Prefix", filter.prefix());
        for (LifecycleFilter.Tag tag : filter.tags()) {
            xml.start("Tag").element("Key", tag.key()).element("Value", tag.value()).end();
        }
        if (filter.objectSizeGreaterThan() != null) {
            xml.element("ObjectSizeGreaterThan", filter.objectSizeGreaterThan());
        }
        if (filter.objectSizeLessThan() != null) {
            xml.element("ObjectSizeLessThan", filter.objectSizeLessThan());
        }
        if (filter.and()) {
            xml.end();
        }
        xml.end();
    }

    /** The configuration of a kept document. */
    static LifecycleConfiguration read(String document) {
        return parse(document.getBytes(StandardCharsets.UTF_8));
    }
}
