package io.github.s3ite.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.s3ite.server.RecordedRequest;
import io.github.s3ite.server.S3Fault;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request journal and fault injection over HTTP, for tests written in other languages against
 * the standalone server. Off unless enabled; it lives under {@code /_s3ite/}, which no S3 request
 * can reach (a bucket name cannot start with an underscore). JSON in, JSON out:
 * <ul>
 * <li>{@code GET /_s3ite/requests}: the journal, oldest first; {@code DELETE} clears it;</li>
 * <li>{@code GET /_s3ite/faults}: the faults in force; {@code POST} adds one; {@code DELETE} clears them.</li>
 * </ul>
 * A fault is posted as {@code {"kind": "ERROR", "status": 503, "errorCode": "SlowDown", "operation":
 * "PutObject", "bucket": "b", "keyPrefix": "tmp/", "times": 1, "share": 0.5, "delayMillis": 100}};
 * {@code kind} is one of ERROR, DELAY, CLOSE_CONNECTION, TRUNCATE_BODY and every other field is optional.
 */
public final class AdminEndpoint {
    static final String PREFIX = "/_s3ite/";
    private static final int MAX_BODY = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.Set<String> FIELDS = java.util.Set.of("kind", "status", "errorCode", "message",
            "operation", "bucket", "keyPrefix", "times", "share", "delayMillis");

    private final RequestJournal journal;
    private final FaultInjector faults;

    public AdminEndpoint(RequestJournal journal, FaultInjector faults) {
        this.journal = journal;
        this.faults = faults;
    }

    void handle(HttpServerExchange exchange) {
        String path = exchange.getRequestPath().substring(PREFIX.length());
        boolean get = exchange.getRequestMethod().equals(Methods.GET);
        boolean delete = exchange.getRequestMethod().equals(Methods.DELETE);
        boolean post = exchange.getRequestMethod().equals(Methods.POST);
        if (path.equals("requests") && get) {
            answer(exchange, 200, requestsJson());
        } else if (path.equals("requests") && delete) {
            journal.clear();
            answer(exchange, 204, null);
        } else if (path.equals("faults") && get) {
            List<Object> shown = new ArrayList<>();
            for (S3Fault fault : faults.faults()) {
                shown.add(faultJson(fault));
            }
            answer(exchange, 200, shown);
        } else if (path.equals("faults") && delete) {
            faults.clear();
            answer(exchange, 204, null);
        } else if (path.equals("faults") && post) {
            if (exchange.getRequestContentLength() > MAX_BODY || exchange.getRequestContentLength() < 0) {
                answer(exchange, 400, Map.of("error", "a fault is a JSON object of at most 64 KiB, with Content-Length"));
                return;
            }
            exchange.getRequestReceiver().receiveFullBytes((done, body) -> {
                try {
                    S3Fault fault = parseFault(JSON.readTree(body));
                    FaultInjector.requireKnownOperation(fault);
                    faults.add(fault);
                    answer(done, 204, null);
                } catch (IOException | IllegalArgumentException e) {
                    answer(done, 400, Map.of("error", String.valueOf(e.getMessage())));
                }
            });
        } else {
            answer(exchange, 404, Map.of("error", "no such admin resource: " + exchange.getRequestMethod() + " "
                    + exchange.getRequestPath()));
        }
    }

    private List<Object> requestsJson() {
        List<Object> requests = new ArrayList<>();
        for (RecordedRequest request : journal.requests()) {
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("requestId", request.requestId());
            shown.put("operation", request.operation());
            shown.put("method", request.method());
            shown.put("path", request.path());
            shown.put("secureTransport", request.secureTransport());
            shown.put("bucket", request.bucket());
            shown.put("key", request.key());
            shown.put("versionId", request.versionId());
            shown.put("status", request.status());
            shown.put("errorCode", request.errorCode());
            shown.put("headers", request.headers());
            shown.put("query", request.query());
            shown.put("requestBytes", request.requestBytes());
            shown.put("responseBytes", request.responseBytes());
            shown.put("time", request.time().toString());
            shown.put("durationMillis", request.duration().toMillis());
            shown.put("fault", request.fault() == null ? null : faultJson(request.fault()));
            requests.add(shown);
        }
        return requests;
    }

    private static Map<String, Object> faultJson(S3Fault fault) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("kind", fault.kind().name());
        if (fault.kind() == S3Fault.Kind.ERROR) {
            shown.put("status", fault.status());
            shown.put("errorCode", fault.errorCode());
            shown.put("message", fault.message());
        }
        shown.put("operation", fault.operation());
        shown.put("bucket", fault.bucket());
        shown.put("keyPrefix", fault.keyPrefix());
        shown.put("times", fault.times());
        shown.put("share", fault.share());
        shown.put("delayMillis", fault.delay().toMillis());
        return shown;
    }

    static S3Fault parseFault(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("a fault is a JSON object");
        }
        java.util.Iterator<String> names = json.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field " + name + "; a fault has " + FIELDS);
            }
        }
        String kind = json.path("kind").asText("ERROR");
        if (kind.equals("DELAY") && !json.hasNonNull("delayMillis")) {
            throw new IllegalArgumentException("a DELAY fault needs delayMillis");
        }
        Duration delay = Duration.ofMillis(json.path("delayMillis").asLong(0));
        S3Fault fault = switch (kind) {
            case "ERROR" -> json.hasNonNull("message")
                    ? S3Fault.error(json.path("status").asInt(503), json.path("errorCode").asText("SlowDown"),
                            json.path("message").asText())
                    : S3Fault.error(json.path("status").asInt(503), json.path("errorCode").asText("SlowDown"));
            case "DELAY" -> S3Fault.delay(delay);
            case "CLOSE_CONNECTION" -> S3Fault.closeConnection();
            case "TRUNCATE_BODY" -> S3Fault.truncateBody();
            default -> throw new IllegalArgumentException("kind must be ERROR, DELAY, CLOSE_CONNECTION or TRUNCATE_BODY: " + kind);
        };
        fault = fault.after(delay);
        if (json.hasNonNull("operation")) {
            fault = fault.on(json.get("operation").asText());
        }
        if (json.hasNonNull("bucket")) {
            fault = fault.inBucket(json.get("bucket").asText());
        }
        if (json.hasNonNull("keyPrefix")) {
            fault = fault.withKeyPrefix(json.get("keyPrefix").asText());
        }
        if (json.hasNonNull("times")) {
            fault = fault.times(json.get("times").asInt());
        }
        if (json.hasNonNull("share")) {
            fault = fault.share(json.get("share").asDouble());
        }
        return fault;
    }

    private static void answer(HttpServerExchange exchange, int status, Object body) {
        exchange.setStatusCode(status);
        if (body == null) {
            exchange.endExchange();
            return;
        }
        try {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.getResponseSender().send(JSON.writeValueAsString(body));
        } catch (IOException e) {
            exchange.setStatusCode(500);
            exchange.endExchange();
        }
    }
}
