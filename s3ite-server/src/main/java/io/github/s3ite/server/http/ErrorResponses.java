package io.github.s3ite.server.http;

import io.github.s3ite.server.error.S3Exception;
import java.util.Map;

/** The one place that turns an {@link S3Exception} into S3's XML error body. */
final class ErrorResponses {
    private ErrorResponses() {
    }

    static byte[] body(S3Exception error, String resource, String requestId) {
        XmlWriter xml = XmlWriter.plainDocument("Error")
                .element("Code", error.error().code())
                .element("Message", error.getMessage());
        for (Map.Entry<String, String> detail : error.details().entrySet()) {
            xml.element(detail.getKey(), detail.getValue());
        }
        return xml.element("Resource", resource)
                .element("RequestId", requestId)
                .element("HostId", requestId)
                .toBytes();
    }
}
