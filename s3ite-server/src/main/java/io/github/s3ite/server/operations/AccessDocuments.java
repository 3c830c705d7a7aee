package io.github.s3ite.server.operations;

import io.github.s3ite.server.access.ObjectOwnership;
import io.github.s3ite.server.access.PublicAccessBlock;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.http.XmlWriter;
import java.nio.charset.StandardCharsets;
import org.w3c.dom.Element;

/**
 * The PublicAccessBlockConfiguration and OwnershipControls documents: validated as S3 validates
 * them, kept as S3 answers them.
 */
final class AccessDocuments {
    private AccessDocuments() {
    }

    static PublicAccessBlock parsePublicAccessBlock(byte[] body) {
        Element root = ConfigurationDocuments.parse(body, "PublicAccessBlockConfiguration");
        for (Element child : ConfigurationDocuments.children(root, null)) {
            switch (child.getLocalName()) {
                case "BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets" -> { }
                default -> throw ConfigurationDocuments.malformed();
            }
        }
        return new PublicAccessBlock(flag(root, "BlockPublicAcls"), flag(root, "IgnorePublicAcls"),
                flag(root, "BlockPublicPolicy"), flag(root, "RestrictPublicBuckets"));
    }

    static PublicAccessBlock readPublicAccessBlock(String document) {
        return parsePublicAccessBlock(document.getBytes(StandardCharsets.UTF_8));
    }

    static String write(PublicAccessBlock block) {
        XmlWriter xml = XmlWriter.document("PublicAccessBlockConfiguration")
                .element("BlockPublicAcls", block.blockPublicAcls())
                .element("IgnorePublicAcls", block.ignorePublicAcls())
                .element("BlockPublicPolicy", block.blockPublicPolicy())
                .element("RestrictPublicBuckets", block.restrictPublicBuckets());
        return ConfigurationDocuments.stored(xml);
    }

    private static boolean flag(Element root, String name) {
        String text = ConfigurationDocuments.text(root, name);
        if (text == null) {
            return false;
        }
        return switch (text.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ConfigurationDocuments.malformed();
        };
    }

    /** @throws S3Exception MalformedXML unless exactly one rule names one of S3's three settings */
    static ObjectOwnership parseOwnership(byte[] body) {
        Element root = ConfigurationDocuments.parse(body, "OwnershipControls");
        java.util.List<Element> rules = ConfigurationDocuments.children(root, "Rule");
        if (rules.size() != 1 || ConfigurationDocuments.children(root, null).size() != 1) {
            throw ConfigurationDocuments.malformed();
        }
        String setting = ConfigurationDocuments.text(rules.get(0), "ObjectOwnership");
        ObjectOwnership ownership = setting == null ? null : ObjectOwnership.parse(setting.strip());
        if (ownership == null) {
            throw ConfigurationDocuments.malformed();
        }
        return ownership;
    }

    static ObjectOwnership readOwnership(String document) {
        return parseOwnership(document.getBytes(StandardCharsets.UTF_8));
    }

    static String write(ObjectOwnership ownership) {
        XmlWriter xml = XmlWriter.document("OwnershipControls").start("Rule")
                .element("ObjectOwnership", ownership.name()).end();
        return ConfigurationDocuments.stored(xml);
    }
}
