package io.github.s3ite.server.http;

import java.util.ArrayList;
import java.util.List;

/**
 * What an operation answers: status, headers and body bytes. The HTTP layer adds the request id
 * and writes it out.
 */
public final class S3Response {
    private final int status;
    private final List<String[]> headers = new ArrayList<>(16);
    private byte[] body = new byte[0];
    private long contentLength = -1;

    private S3Response(int status) {
        this.status = status;
    }

    public static S3Response status(int status) {
        return new S3Response(status);
    }

    public static S3Response ok() {
        return new S3Response(200);
    }

    public static S3Response noContent() {
        return new S3Response(204);
    }

    public static S3Response xml(XmlWriter document) {
        S3Response response = new S3Response(200);
        response.body = document.toBytes();
        response.header("Content-Type", "application/xml");
        return response;
    }

    /** Adds a header unless the value is null. */
    public S3Response header(String name, String value) {
        if (value != null) {
            headers.add(new String[] {name, value});
        }
        return this;
    }

    public S3Response body(byte[] bytes) {
        this.body = bytes;
        return this;
    }

    /** For HEAD: the length to announce while no body is sent. */
    public S3Response contentLength(long length) {
        this.contentLength = length;
        return this;
    }

    public int status() {
        return status;
    }

    public List<String[]> headers() {
        return headers;
    }

    public byte[] body() {
        return body;
    }

    /** The Content-Length to send: the announced one if set, else the body's. */
    public long contentLength() {
        return contentLength >= 0 ? contentLength : body.length;
    }
}
