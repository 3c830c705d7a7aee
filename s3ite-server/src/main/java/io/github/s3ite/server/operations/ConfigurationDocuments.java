package io.github.s3ite.server.operations;

import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.github.s3ite.server.http.S3Response;
import io.github.s3ite.server.http.XmlWriter;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The bucket configuration documents clients send (website, notification, replication, ...), read
 * as DOM trees to validate, and kept as text to answer. DTDs and external entities are off.
 */
final class ConfigurationDocuments {
    private static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    private static final Pattern LEADING_DECLARATION = Pattern.compile("^\\uFEFF?\\s*(<\\?xml[^>]*\\?>)?\\s*");
    private static final Pattern ROOT_START = Pattern.compile("^<([A-Za-z_][\\w.:-]*)((?:\\s+[^>]*?)?)(/?)>");
    private static final Pattern XMLNS = Pattern.compile("\\sxmlns\\s*=\\s*(\"[^\"]*\"|'[^']*')");

    private static final String MAX_ELEMENT_DEPTH = "http://www.oracle.com/xml/jaxp/properties/maxElementDepth";

    private ConfigurationDocuments() {
    }

    /** The root element of {@code body}, which must be a well-formed document with root {@code root}. */
    static Element parse(byte[] body, String root) {
        if (body.length == 0) {
            throw malformed();
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            // no configuration nests deeper than a few levels; reading a deeper one (getTextContent
            // recurses) would overflow the stack
            factory.setAttribute(MAX_ELEMENT_DEPTH, 64);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            Element element = builder.parse(new ByteArrayInputStream(body)).getDocumentElement();
            if (!root.equals(element.getLocalName())) {
                throw malformed();
            }
            return element;
        } catch (S3Exception e) {
            throw e;
        } catch (Exception e) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML, S3ErrorCode.MALFORMED_XML.defaultMessage(), e);
        }
    }

    static S3Exception malformed() {
        return new S3Exception(S3ErrorCode.MALFORMED_XML);
    }

    /** The child elements of {@code parent} named {@code name} (every child element for null). */
    static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && (name == null || name.equals(element.getLocalName()))) {
                found.add(element);
            }
        }
        return found;
    }

    /** The one child element named {@code name}, or null; more than one is MalformedXML. */
    static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        if (found.size() > 1) {
            throw malformed();
        }
        return found.isEmpty() ? null : found.get(0);
    }

    /** The text of the one child element named {@code name}, or null when there is none. */
    static String text(Element parent, String name) {
        Element element = child(parent, name);
        return element == null ? null : element.getTextContent();
    }

    /**
     * The document as sent, to be answered as it is: without its XML declaration, the root element
     * in {@code namespace}.
     */
    static String asSent(byte[] body, String namespace) {
        String text = new String(body, StandardCharsets.UTF_8);
        text = LEADING_DECLARATION.matcher(text).replaceFirst("").strip();
        Matcher root = ROOT_START.matcher(text);
        if (!root.find()) {
            throw malformed();
        }
        String attributes = XMLNS.matcher(root.group(2)).replaceFirst("");
        String start = "<" + root.group(1) + " xmlns=\"" + namespace + "\"" + attributes + root.group(3) + ">";
        return start + text.substring(root.end());
    }

    /** The document {@code xml} writes, without the XML declaration, as kept in the bucket file. */
    static String stored(XmlWriter xml) {
        String text = new String(xml.toBytes(), StandardCharsets.UTF_8);
        return text.startsWith(DECLARATION) ? text.substring(DECLARATION.length()) : text;
    }

    /** A 200 answering a kept document. */
    static S3Response answer(String document) {
        return S3Response.ok()
                .header("Content-Type", "application/xml")
                .body((DECLARATION + document).getBytes(StandardCharsets.UTF_8));
    }
}
