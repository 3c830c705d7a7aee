package io.github.s3ite.server.operations;

import static io.github.s3ite.server.operations.ConfigurationDocuments.children;
import static io.github.s3ite.server.operations.ConfigurationDocuments.malformed;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.http.CorsRules;
import io.github.s3ite.server.http.XmlWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * A {@code CORSConfiguration} document: validated as PutBucketCors validates it, and read back
 * into {@link CorsRules} for the edge to evaluate.
 */
final class CorsConfigurations {
    static final int MAX_RULES = 100;
    private static final int MAX_ID = 255;
    private static final Set<String> RULE_ELEMENTS = Set.of("ID", "AllowedOrigin", "AllowedMethod", "AllowedHeader",
            "ExposeHeader", "MaxAgeSeconds");

    private CorsConfigurations() {
    }

    /** The rules of a document, refused as S3 refuses it (MalformedXML, InvalidRequest). */
    static CorsRules parse(byte[] body) {
        Element configuration = ConfigurationDocuments.parse(body, "CORSConfiguration");
        List<Element> ruleElements = children(configuration, null);
        if (ruleElements.isEmpty()) {
            throw malformed();
        }
        if (ruleElements.size() > MAX_RULES) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "The number of CORS rules should not exceed allowed limit of " + MAX_RULES + " rules.");
        }
        List<CorsRules.Rule> rules = new ArrayList<>();
        for (Element rule : ruleElements) {
            if (!"CORSRule".equals(rule.getLocalName())) {
                throw malformed();
            }
            for (Element child : children(rule, null)) {
                if (!RULE_ELEMENTS.contains(child.getLocalName())) {
                    throw malformed();
                }
            }
            String id = ConfigurationDocuments.text(rule, "ID");
            List<String> origins = texts(rule, "AllowedOrigin");
            List<String> methods = texts(rule, "AllowedMethod");
            List<String> headers = texts(rule, "AllowedHeader");
            List<String> exposed = texts(rule, "ExposeHeader");
            String maxAge = ConfigurationDocuments.text(rule, "MaxAgeSeconds");
            if (origins.isEmpty() || methods.isEmpty()) {
                throw malformed();
            }
            if (id != null && id.length() > MAX_ID) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The ID of a CORS rule must not exceed "
                        + MAX_ID + " characters.").with("ArgumentName", "ID").with("ArgumentValue", id);
            }
            for (String method : methods) {
                if (!CorsRules.METHODS.contains(method)) {
                    throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                            "Found unsupported HTTP method in CORS config. Unsupported method is " + method);
                }
            }
            oneWildcard("AllowedOrigin", origins);
            oneWildcard("AllowedHeader", headers);
            Integer seconds = null;
            if (maxAge != null) {
                try {
                    seconds = Integer.valueOf(maxAge.strip());
                } catch (NumberFormatException e) {
                    throw malformed();
                }
            }
            rules.add(new CorsRules.Rule(id, origins, methods, headers, exposed, seconds));
        }
        return CorsRules.of(rules);
    }

    /** The document GetBucketCors answers for {@code rules}, as kept in the bucket file. */
    static String stored(CorsRules rules) {
        XmlWriter xml = XmlWriter.document("CORSConfiguration");
        for (CorsRules.Rule rule : rules.rules()) {
            xml.start("CORSRule");
            if (rule.id() != null) {
                xml.element("ID", rule.id());
            }
            rule.allowedHeaders().forEach(header -> xml.element("AllowedHeader", header));
            rule.allowedMethods().forEach(method -> xml.element("AllowedMethod", method));
            rule.allowedOrigins().forEach(origin -> xml.element("AllowedOrigin", origin));
            rule.exposeHeaders().forEach(header -> xml.element("ExposeHeader", header));
            if (rule.maxAgeSeconds() != null) {
                xml.element("MaxAgeSeconds", rule.maxAgeSeconds());
            }
            xml.end();
        }
        return ConfigurationDocuments.stored(xml);
    }

    /** The rules of a kept document. */
    static CorsRules read(String document) {
        return parse(document.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> texts(Element parent, String name) {
        List<String> values = new ArrayList<>();
        for (Element element : children(parent, name)) {
            values.add(element.getTextContent().strip());
        }
        return values;
    }

    private static void oneWildcard(String element, List<String> values) {
        for (String value : values) {
            if (value.indexOf('*') != value.lastIndexOf('*')) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        element + " \"" + value + "\" can not have more than one wildcard.");
            }
        }
    }
}
