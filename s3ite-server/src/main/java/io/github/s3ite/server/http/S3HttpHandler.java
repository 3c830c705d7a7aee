package io.github.s3ite.server.http;

import io.github.s3ite.server.auth.Authentication;
import io.github.s3ite.server.auth.SigV4Verifier;
import io.github.s3ite.server.auth.SignedRequest;
import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Undertow entry point: moves the exchange to a worker thread, routes it, verifies its
 * signature, refuses writes on a read-only server, hands it to the {@link OperationHandler} and
 * writes the answer, or S3's XML error body.
 */
public final class S3HttpHandler implements HttpHandler {
    private static final Logger LOG = Logger.getLogger(S3HttpHandler.class.getName());
    private static final HttpString REQUEST_ID = HttpString.tryFromString("x-amz-request-id");
    private static final HttpString ID_2 = HttpString.tryFromString("x-amz-id-2");

    private final S3Router router;
    private final SigV4Verifier verifier;
    private final OperationHandler operations;
    private final boolean readOnly;

    public S3HttpHandler(S3Router router, SigV4Verifier verifier, OperationHandler operations, boolean readOnly) {
        this.router = router;
        this.verifier = verifier;
        this.operations = operations;
        this.readOnly = readOnly;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        exchange.startBlocking();
        String requestId = newRequestId();
        exchange.getResponseHeaders().put(REQUEST_ID, requestId);
        exchange.getResponseHeaders().put(ID_2, requestId);
        exchange.getResponseHeaders().put(HttpString.tryFromString("Server"), "s3ite");
        String method = exchange.getRequestMethod().toString();
        S3Response response;
        try {
            response = handle(exchange, method);
        } catch (S3Exception e) {
            response = errorResponse(e, exchange.getRequestPath(), requestId);
        } catch (UncheckedIOException e) {
            if (e.getCause() != null && isClientGone(e.getCause())) {
                exchange.setPersistent(false);
                exchange.endExchange();
                return;
            }
            LOG.log(Level.WARNING, "Request " + requestId + " failed", e);
            response = errorResponse(new S3Exception(S3ErrorCode.INTERNAL_ERROR), exchange.getRequestPath(), requestId);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Request " + requestId + " failed", e);
            response = errorResponse(new S3Exception(S3ErrorCode.INTERNAL_ERROR), exchange.getRequestPath(), requestId);
        }
        write(exchange, response, "HEAD".equals(method));
    }

    private S3Response handle(HttpServerExchange exchange, String method) {
        String rawQuery = exchange.getQueryString();
        Map<String, String> query = PercentCoding.parseQuery(rawQuery);
        Map<String, List<String>> headers = headers(exchange);
        String host = first(headers, "host");
        S3Route route = router.route(method, host, rawPath(exchange), query, headers.containsKey("x-amz-copy-source"));
        Authentication auth = verifier.verify(new SignedRequest(method, rawPath(exchange), rawQuery, headers));
        if (readOnly && route.operation().isWrite()) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "This s3ite server is read-only.");
        }
        InputStream body = auth.decodedBody(exchange.getInputStream());
        S3Request request = new S3Request(route, query, headers, body, auth.decodedContentLength(),
                auth.accessKey(), auth::trailers);
        return operations.handle(request);
    }

    private static String rawPath(HttpServerExchange exchange) {
        String uri = exchange.getRequestURI();
        int schemeEnd = uri.indexOf("://");
        if (schemeEnd >= 0) {
            int pathStart = uri.indexOf('/', schemeEnd + 3);
            uri = pathStart < 0 ? "/" : uri.substring(pathStart);
        }
        return uri;
    }

    private static Map<String, List<String>> headers(HttpServerExchange exchange) {
        Map<String, List<String>> headers = new HashMap<>();
        for (HeaderValues values : exchange.getRequestHeaders()) {
            String name = values.getHeaderName().toString().toLowerCase(Locale.ROOT);
            headers.computeIfAbsent(name, n -> new ArrayList<>(1)).addAll(values);
        }
        return headers;
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static S3Response errorResponse(S3Exception error, String resource, String requestId) {
        S3ErrorCode code = error.error();
        S3Response response = S3Response.status(code.httpStatus());
        if (code == S3ErrorCode.NOT_MODIFIED) {
            return response;
        }
        return response.header("Content-Type", "application/xml")
                .body(ErrorResponses.body(error, resource, requestId));
    }

    private static void write(HttpServerExchange exchange, S3Response response, boolean head) {
        exchange.setStatusCode(response.status());
        for (String[] header : response.headers()) {
            exchange.getResponseHeaders().add(HttpString.tryFromString(header[0]), header[1]);
        }
        int status = response.status();
        boolean bodyless = head || status == 204 || status == 304;
        if (!bodyless || head) {
            exchange.setResponseContentLength(head && status >= 300 ? 0 : response.contentLength());
        }
        if (bodyless || response.body().length == 0) {
            exchange.endExchange();
            return;
        }
        try (OutputStream out = exchange.getOutputStream()) {
            out.write(response.body());
        } catch (IOException e) {
            exchange.setPersistent(false);
        }
        exchange.endExchange();
    }

    private static boolean isClientGone(Throwable cause) {
        return cause instanceof IOException && !(cause instanceof java.io.FileNotFoundException);
    }

    private static String newRequestId() {
        return String.format("%016X", ThreadLocalRandom.current().nextLong());
    }
}
