package io.github.s3ite.server.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A small streaming writer for S3's XML responses: elements, escaped text, nothing else. Faster
 * and plainer than an object mapper for the fixed shapes S3 answers with.
 */
public final class XmlWriter {
    /** The namespace of every S3 response document. */
    public static final String S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final StringBuilder out = new StringBuilder(512);
    private final Deque<String> open = new ArrayDeque<>();

    private XmlWriter() {
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }

    /** Starts a document whose root element is in the S3 namespace. */
    public static XmlWriter document(String root) {
        XmlWriter writer = new XmlWriter();
        writer.out.append('<').append(root).append(" xmlns=\"").append(S3_NAMESPACE).append("\">");
        writer.open.push(root);
        return writer;
    }

    /** Starts a document whose root element has no namespace (S3's error body). */
    public static XmlWriter plainDocument(String root) {
        XmlWriter writer = new XmlWriter();
        writer.out.append('<').append(root).append('>');
        writer.open.push(root);
        return writer;
    }

    public XmlWriter start(String name) {
        out.append('<').append(name).append('>');
        open.push(name);
        return this;
    }

    /** Starts an element with attributes given as written, e.g. {@code xsi:type="Group"}: constants only, never escaped. */
    public XmlWriter start(String name, String attributes) {
        out.append('<').append(name).append(' ').append(attributes).append('>');
        open.push(name);
        return this;
    }

    public XmlWriter end() {
        out.append("</").append(open.pop()).append('>');
        return this;
    }

    /** Writes {@code <name>text</name>}; an empty element for "", nothing at all for null. */
    public XmlWriter element(String name, String text) {
        if (text == null) {
            return this;
        }
        out.append('<').append(name).append('>');
        escape(text);
        out.append("</").append(name).append('>');
        return this;
    }

    /** Writes escaped text inside the element that is open. */
    public XmlWriter text(String text) {
        escape(text);
        return this;
    }

    public XmlWriter element(String name, long value) {
        return element(name, Long.toString(value));
    }

    public XmlWriter element(String name, boolean value) {
        return element(name, Boolean.toString(value));
    }

    public XmlWriter element(String name, Instant time) {
        return element(name, time == null ? null : ISO_MILLIS.format(time));
    }

    /** Closes every open element and returns the UTF-8 document. */
    public byte[] toBytes() {
        while (!open.isEmpty()) {
            end();
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void escape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '\r' -> out.append("&#13;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        out.append("&#").append((int) c).append(';');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
