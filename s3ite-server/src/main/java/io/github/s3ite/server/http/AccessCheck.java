package io.github.s3ite.server.http;

import java.util.List;
import java.util.Map;

/**
 * What authorization knows of a request before its body is read.
 *
 * @param accessKey the access key that signed it, or null for an anonymous request
 * @param query     decoded query parameters
 * @param headers   headers, lower-case names
 * @param secure    whether it came over TLS
 * @param sourceIp  the client's address
 * @param authType  how it was signed, in the words of S3's {@code s3:authType} condition key:
 *                  {@code REST-HEADER}, {@code REST-QUERY-STRING}, {@code POST}, or null when unsigned
 */
public record AccessCheck(S3Route route, String accessKey, Map<String, String> query,
                          Map<String, List<String>> headers, boolean secure, String sourceIp, String authType) {

    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
