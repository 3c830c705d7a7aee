package io.github.s3ite.server.operations;

import io.github.s3ite.server.http.XmlWriter;

/** The one owner of every bucket and object of a server, as listings show it. */
record Owner(String id, String displayName) {

    void write(XmlWriter xml, String element) {
        xml.start(element).element("ID", id).element("DisplayName", displayName).end();
    }
}
