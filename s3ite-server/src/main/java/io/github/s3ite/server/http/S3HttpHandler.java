package io.github.s3ite.server.http;

import io.github.s3ite.server.RecordedRequest;
import io.github.s3ite.server.S3Fault;
import io.github.s3ite.server.auth.Authentication;
import io.github.s3ite.server.auth.Authenticator;
import io.github.s3ite.server.auth.PostAuthentication;
import io.github.s3ite.server.auth.SignedRequest;
import io.github.s3ite.server.error.S3ErrorCode;
import io.github.s3ite.server.error.S3Exception;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xnio.IoUtils;

/**
 * The Undertow entry point, and the edge where every limit is kept:
 * <ol>
 * <li>on the IO thread, a connection beyond the connection cap is answered 503 {@code SlowDown}
 *     and closed;</li>
 * <li>on a worker, the request is routed, its signature verified and read-only servers refuse
 *     writes, all before a byte of the body is read; a CORS preflight ({@code OPTIONS}) is answered
 *     from the bucket's {@link CorsRules} right after routing, unsigned, as browsers send it. The
 *     one request verified later is a browser form upload (POST Object), whose signature is in its
 *     body: its POST policy is verified, and the upload authorized, once the form's fields before
 *     the file are read, still here at the edge and before any handler sees it;</li>
 * <li>the body is received without blocking any thread, piece by piece as it arrives, each piece
 *     counted against the server's {@link MemoryBudget}: a slow or silent client holds a
 *     connection and the bytes it sent, never a worker, and no buffer is sized from a declared
 *     length;</li>
 * <li>once the body is whole, a worker hands the request to the {@link OperationHandler};</li>
 * <li>the answer is written without blocking, and the request's budget is given back when the
 *     exchange ends, however it ends.</li>
 * </ol>
 * A request answered before its body was read is answered with {@code Connection: close}; up to
 * 4 MiB more of its body is then read and dropped (so that the client reads the answer rather than
 * a reset connection), and the connection closed.
 */
public final class S3HttpHandler implements HttpHandler {
    private static final Logger LOG = Logger.getLogger(S3HttpHandler.class.getName());
    private static final HttpString REQUEST_ID = HttpString.tryFromString("x-amz-request-id");
    private static final HttpString ID_2 = HttpString.tryFromString("x-amz-id-2");
    private static final HttpString SERVER = HttpString.tryFromString("Server");
    private static final AttachmentKey<Boolean> COUNTED = AttachmentKey.create(Boolean.class);
    /** Request documents (XML) are small; only object and part uploads carry large bodies. */
    private static final long MAX_DOCUMENT_BODY = 8L * 1024 * 1024;
    /** aws-chunked framing adds a little to each chunk; allow it on top of the largest object. */
    private static final long MAX_UPLOAD_BODY = S3Request.MAX_OBJECT_SIZE + S3Request.MAX_OBJECT_SIZE / 8;
    /** Responses go out in slices so that no heap buffer larger than this is handed to the socket. */
    private static final int SLICE = 64 * 1024;
    private static final long BUDGET_RETRY_MILLIS = 20;
    /** How much of an unwanted body is read and dropped before its connection is closed. */
    private static final long MAX_DISCARDED_BODY = 4L * 1024 * 1024;
    /** Ends an answer cut short on purpose: the client sees a connection closed mid-body. */
    private static final IoCallback CLOSE_CONNECTION = new IoCallback() {
        @Override
        public void onComplete(HttpServerExchange exchange, Sender sender) {
            IoUtils.safeClose(exchange.getConnection());
        }

        @Override
        public void onException(HttpServerExchange exchange, Sender sender, IOException exception) {
            IoUtils.safeClose(exchange.getConnection());
        }
    };

    private final S3Router router;
    private final Authenticator authenticator;
    private final OperationHandler operations;
    private final boolean readOnly;
    private final MemoryBudget budget;
    private final int maxConnections;
    private final RequestJournal journal;
    private final FaultInjector faults;
    private final AdminEndpoint admin;
    private final CorsLookup cors;
    private final boolean permissiveCors;
    private final AtomicInteger openConnections = new AtomicInteger();

    /**
     * @param admin          the admin endpoint under {@code /_s3ite/}, or null when it is off
     * @param cors           where buckets' CORS rules are found
     * @param permissiveCors whether a bucket without CORS rules allows every origin, method and header
     */
    public S3HttpHandler(S3Router router, Authenticator authenticator, OperationHandler operations, boolean readOnly,
                         MemoryBudget budget, int maxConnections, RequestJournal journal, FaultInjector faults,
                         AdminEndpoint admin, CorsLookup cors, boolean permissiveCors) {
        this.router = router;
        this.authenticator = authenticator;
        this.operations = operations;
        this.readOnly = readOnly;
        this.budget = budget;
        this.maxConnections = maxConnections;
        this.journal = journal;
        this.faults = faults;
        this.admin = admin;
        this.cors = cors;
        this.permissiveCors = permissiveCors;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (!admit(exchange.getConnection())) {
            Exchange refused = new Exchange(exchange, newRequestId(), new RequestMemory(budget));
            exchange.setPersistent(false);
            refused.respondError(new S3Exception(S3ErrorCode.SLOW_DOWN,
                    "Please reduce your request rate: the server has reached its connection limit."));
            return;
        }
        exchange.dispatch(this::begin);
    }

    /** Counts each connection once, at its first request; it leaves the count when it closes. */
    private boolean admit(ServerConnection connection) {
        if (connection.getAttachment(COUNTED) != null) {
            return true;
        }
        connection.putAttachment(COUNTED, Boolean.TRUE);
        connection.addCloseListener(closed -> openConnections.decrementAndGet());
        return openConnections.incrementAndGet() <= maxConnections;
    }

    /** On a worker: everything that needs only the request head, then the body. */
    private void begin(HttpServerExchange httpExchange) {
        if (admin != null && httpExchange.getRequestPath().startsWith(AdminEndpoint.PREFIX)
                && !router.namesBucket(httpExchange.getRequestHeaders().getFirst(Headers.HOST))) {
            admin.handle(httpExchange);
            return;
        }
        Exchange exchange = new Exchange(httpExchange, newRequestId(), new RequestMemory(budget));
        try {
            Head head = exchange.verifyHead();
            if (head.route().operation() == S3Operation.CORS_PREFLIGHT) {
                exchange.respond(exchange.preflight());
                return;
            }
            if (httpExchange.isRequestComplete()) {
                exchange.process(head, ReceivedBody.EMPTY);
            } else {
                // on the IO thread, outside this call: every callback of the receive, and every pause
                // and resume, then happens on that one thread, and a receive that waits for budget
                // does not count as a handler that returned without answering
                httpExchange.dispatch(httpExchange.getIoThread(), () -> exchange.receive(head));
            }
        } catch (RuntimeException e) {
            exchange.respondError(e);
        }
    }

    /**
     * What the request head says, verified: who asks for what, and how its body is to be read
     * ({@code auth} null for a preflight, which has no body, and for a browser form upload, which
     * is verified from its body).
     */
    private record Head(S3Route route, Map<String, String> query, Map<String, List<String>> headers,
                        Authentication auth, AccessCheck access) {
    }

    private static boolean carriesObject(S3Operation operation) {
        return operation == S3Operation.PUT_OBJECT || operation == S3Operation.UPLOAD_PART
                || operation == S3Operation.POST_OBJECT;
    }

    private static long bodyLimit(S3Operation operation) {
        return carriesObject(operation) ? MAX_UPLOAD_BODY : MAX_DOCUMENT_BODY;
    }

    private static S3Exception tooLarge(S3Operation operation, long size) {
        return carriesObject(operation) ? entityTooLarge(size)
                : new S3Exception(S3ErrorCode.MAX_MESSAGE_LENGTH_EXCEEDED);
    }

    private static S3Exception entityTooLarge(long size) {
        return new S3Exception(S3ErrorCode.ENTITY_TOO_LARGE)
                .with("ProposedSize", Long.toString(size))
                .with("MaxSizeAllowed", Long.toString(S3Request.MAX_OBJECT_SIZE));
    }

    /** One request on its way through the edge. */
    private final class Exchange {
        private final HttpServerExchange exchange;
        private final String requestId;
        private final RequestMemory memory;
        private final long started = System.nanoTime();
        private final Instant time = Instant.now();
        private volatile boolean receiving;
        private volatile boolean answered;
        private final java.util.concurrent.atomic.AtomicBoolean answering = new java.util.concurrent.atomic.AtomicBoolean();
        private long discarded;
        private Map<String, String> query = Map.of();
        private Map<String, List<String>> headers = Map.of();
        private S3Route route;
        private List<CorsRules.Header> corsHeaders = List.of();
        private long received;
        private String errorCode;
        private S3Fault fault;

        Exchange(HttpServerExchange exchange, String requestId, RequestMemory memory) {
            this.exchange = exchange;
            this.requestId = requestId;
            this.memory = memory;
            exchange.addExchangeCompleteListener((ended, next) -> {
                memory.releaseAll();
                next.proceed();
            });
            exchange.getResponseHeaders().put(REQUEST_ID, requestId);
            exchange.getResponseHeaders().put(ID_2, requestId);
            exchange.getResponseHeaders().put(SERVER, "s3ite");
        }

        Head verifyHead() {
            String method = exchange.getRequestMethod().toString();
            String rawQuery = exchange.getQueryString();
            query = PercentCoding.parseQuery(rawQuery);
            headers = headers(exchange);
            String host = first(headers, "host");
            String path = rawPath(exchange);
            route = router.route(method, host, path, query, headers.containsKey("x-amz-copy-source"),
                    first(headers, "content-type"));
            if (route.operation() == S3Operation.CORS_PREFLIGHT) {
                // browsers never sign a preflight: it is answered from the rules alone
                return new Head(route, query, headers, null, null);
            }
            corsHeaders = actualCors(method);
            Authentication auth = null;
            AccessCheck access = null;
            if (route.operation() != S3Operation.POST_OBJECT) {
                auth = authenticator.verify(new SignedRequest(method, path, rawQuery, headers,
                        router.namesBucket(host) ? route.bucket() : null));
                access = new AccessCheck(route, auth.accessKey(), query, headers, secureTransport(), sourceIp(),
                        authType(auth, headers));
                operations.authorize(access);
            }
            // else a browser form upload: its signature is in the form, verified by formUpload
            if (readOnly && route.operation().isWrite()) {
                throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "This s3ite server is read-only.");
            }
            long decoded = auth == null ? -1 : auth.decodedContentLength();
            if (carriesObject(route.operation()) && decoded > S3Request.MAX_OBJECT_SIZE) {
                throw entityTooLarge(decoded);
            }
            long declared = exchange.getRequestContentLength();
            if (declared > bodyLimit(route.operation())) {
                throw tooLarge(route.operation(), declared);
            }
            long payload = Math.max(declared, decoded);
            if (carriesObject(route.operation()) && 2 * payload > budget.limit()) {
                // received, then decoded into the object SQLite stores: it can never fit, so no waiting
                throw entityTooLarge(payload).with("Detail", "An upload needs twice its size of this server's memory"
                        + " budget (" + budget.limit() + " bytes) while it is stored.");
            }
            return new Head(route, query, headers, auth, access);
        }

        private String sourceIp() {
            java.net.InetSocketAddress source = exchange.getSourceAddress();
            return source == null || source.getAddress() == null ? null : source.getAddress().getHostAddress();
        }

        private static String authType(Authentication auth, Map<String, List<String>> headers) {
            if (auth.accessKey() == null) {
                return null;
            }
            return headers.containsKey("authorization") ? "REST-HEADER" : "REST-QUERY-STRING";
        }

        /**
         * The answer to an {@code OPTIONS} preflight, from the bucket's CORS rules (or the permissive
         * ones where it has none and the server allows it), refused as S3 refuses it.
         */
        S3Response preflight() {
            String origin = first(headers, "origin");
            if (origin == null) {
                throw new S3Exception(S3ErrorCode.BAD_REQUEST);
            }
            String method = first(headers, "access-control-request-method");
            if (method == null || !CorsRules.METHODS.contains(method)) {
                throw new S3Exception(S3ErrorCode.BAD_REQUEST, "Invalid Access-Control-Request-Method: " + method);
            }
            String resourceType = route.key() == null ? "BUCKET" : "OBJECT";
            CorsRules rules = null;
            boolean bucketFound = route.bucket() != null;
            if (bucketFound) {
                try {
                    rules = cors.rules(route.bucket());
                } catch (S3Exception e) {
                    if (e.error() != S3ErrorCode.NO_SUCH_BUCKET && e.error() != S3ErrorCode.INVALID_BUCKET_NAME) {
                        throw e;
                    }
                    bucketFound = false;
                }
            }
            if (rules == null && permissiveCors) {
                rules = CorsRules.PERMISSIVE;
            }
            if (rules == null) {
                throw new S3Exception(S3ErrorCode.ACCESS_FORBIDDEN, bucketFound
                        ? "CORSResponse: CORS is not enabled for this bucket." : "CORSResponse: Bucket not found")
                        .with("Method", method).with("ResourceType", resourceType);
            }
            List<CorsRules.Header> allowed = rules.preflight(origin, method,
                    String.join(",", headers.getOrDefault("access-control-request-headers", List.of())));
            if (allowed == null) {
                throw new S3Exception(S3ErrorCode.ACCESS_FORBIDDEN)
                        .with("Method", method).with("ResourceType", resourceType);
            }
            S3Response response = S3Response.ok();
            for (CorsRules.Header header : allowed) {
                response.header(header.name(), header.value());
            }
            return response;
        }

        /**
         * The CORS headers an actual request with an {@code Origin} is answered with, whatever the
         * answer: none without an Origin, a bucket, or (unless permissive) rules.
         */
        private List<CorsRules.Header> actualCors(String method) {
            String origin = first(headers, "origin");
            if (origin == null || route.bucket() == null) {
                return List.of();
            }
            CorsRules rules;
            try {
                rules = cors.rules(route.bucket());
            } catch (RuntimeException e) {
                // no such bucket, or rules that cannot be read: the request's own answer says what is wrong
                rules = null;
            }
            if (rules == null) {
                rules = permissiveCors ? CorsRules.PERMISSIVE : null;
            }
            return rules == null ? List.of() : rules.actual(origin, method);
        }

        /** Receives the body without blocking; the request is processed on a worker once it is whole. */
        void receive(Head head) {
            ReceivedBody body = new ReceivedBody(memory);
            long limit = bodyLimit(head.route().operation());
            receiving = true;
            exchange.getRequestReceiver().receivePartialBytes((ignored, piece, last) -> {
                if (answered) {
                    discard(piece.length, last);
                } else if ((piece.length == 0 || accept(head, body, piece, limit)) && last) {
                    exchange.dispatch((HttpHandler) ended -> process(head, body));
                }
            }, (ignored, error) -> {
                if (answered) {
                    IoUtils.safeClose(exchange.getConnection());
                } else {
                    memory.releaseAll();
                    respondError(new S3Exception(S3ErrorCode.INCOMPLETE_BODY));
                }
            });
        }

        /** Takes a piece into the body if the limits allow; false when it answered or must wait. */
        private boolean accept(Head head, ReceivedBody body, byte[] piece, long limit) {
            received = body.length() + piece.length;
            if (body.length() + piece.length > limit) {
                memory.releaseAll();
                respondError(tooLarge(head.route().operation(), body.length() + piece.length));
                return false;
            }
            if (!memory.tryReserve(piece.length)) {
                exchange.getRequestReceiver().pause();
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(budget.waitMillis());
                exchange.dispatch(SameThreadExecutor.INSTANCE, () -> awaitBudget(body, piece, deadline));
                return false;
            }
            body.add(piece);
            return true;
        }

        /** On the IO thread, without blocking it: retries a piece that did not fit until the deadline. */
        private void awaitBudget(ReceivedBody body, byte[] piece, long deadline) {
            if (answered) {
                return;
            }
            if (memory.tryReserve(piece.length)) {
                body.add(piece);
                exchange.getIoThread().execute(() -> exchange.getRequestReceiver().resume());
            } else if (System.nanoTime() - deadline > 0 || !exchange.getConnection().isOpen()) {
                memory.releaseAll();
                respondError(MemoryBudget.slowDown());
            } else {
                exchange.getIoThread().executeAfter(() -> awaitBudget(body, piece, deadline),
                        BUDGET_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
        }

        void process(Head head, ReceivedBody body) {
            try {
                carryOut(head, body);
            } catch (Throwable e) {
                // an exchange must never be left open: whatever went wrong is answered (and logged)
                respondError(e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e));
            }
        }

        private void carryOut(Head head, ReceivedBody body) {
            received = body.length();
            S3Request form;
            try {
                form = head.route().operation() == S3Operation.POST_OBJECT ? formUpload(head, body) : null;
            } catch (RuntimeException e) {
                respondError(e);
                return;
            }
            S3Route routed = form != null ? route : head.route();
            fault = faults.meet(routed.operation().s3Name(), routed.bucket(), routed.key());
            if (fault != null && fault.kind() == S3Fault.Kind.ERROR) {
                later(() -> respond(injectedError()));
                return;
            }
            if (fault != null && fault.kind() == S3Fault.Kind.CLOSE_CONNECTION) {
                later(() -> {
                    answered = true;
                    record(0, 0);
                    IoUtils.safeClose(exchange.getConnection());
                });
                return;
            }
            S3Response response;
            try {
                S3Request request = form;
                if (request == null) {
                    InputStream payload = head.auth().decodedBody(body.stream());
                    request = new S3Request(routed, head.query(), head.headers(), payload,
                            head.auth().decodedContentLength(), body.length(), head.auth().accessKey(),
                            secureTransport(), head.auth()::trailers, memory, head.access(), null);
                }
                response = operations.handle(request);
            } catch (RuntimeException e) {
                respondError(e);
                return;
            }
            later(() -> respond(response));
        }

        /** Whether the request came over the HTTPS listener. */
        private boolean secureTransport() {
            return exchange.getConnection().getSslSessionInfo() != null;
        }

        /**
         * A browser form upload (POST Object), made a verified request: the form's fields read up to
         * its file (bounded as S3 bounds them), its POST policy verified and the upload authorized as
         * a PutObject of its key by the policy's signer (or anonymous), all before a byte of the
         * file is read. The file then streams from the received body into the handler, its length
         * checked against the policy as it goes.
         */
        private S3Request formUpload(Head head, ReceivedBody body) {
            String bucket = head.route().bucket();
            PostForm form = PostForm.read(body.stream(), first(headers, "content-type"), bucketUrl(bucket));
            route = new S3Route(S3Operation.POST_OBJECT, bucket, form.key());
            PostAuthentication auth = authenticator.verifyPost(bucket, form.key(), form.fields());
            Map<String, List<String>> objectHeaders = form.objectHeaders();
            Map<String, List<String>> asked = new HashMap<>(headers);
            asked.putAll(objectHeaders);
            AccessCheck access = new AccessCheck(route, auth.accessKey(), head.query(), asked, secureTransport(),
                    sourceIp(), auth.accessKey() == null ? null : "POST");
            operations.authorize(access);
            return new S3Request(route, head.query(), objectHeaders, auth.checkedFile(form.file()), -1,
                    body.length() - form.fileOffset(), auth.accessKey(), secureTransport(), Map::of, memory, access,
                    form);
        }

        /** The bucket's URL as the client addressed it: path-style, or virtual-hosted by its host. */
        private String bucketUrl(String bucket) {
            String host = first(headers, "host");
            if (host == null) {
                host = exchange.getHostAndPort();
            }
            String base = exchange.getRequestScheme() + "://" + host;
            return router.namesBucket(host) ? base : base + "/" + PercentCoding.encodeComponent(bucket);
        }

        /** Runs {@code answer} now, or after the delay of the fault this request met, without holding a thread meanwhile. */
        private void later(Runnable answer) {
            if (fault == null || fault.delay().isZero()) {
                answer.run();
                return;
            }
            exchange.dispatch(SameThreadExecutor.INSTANCE, () -> exchange.getIoThread().executeAfter(answer,
                    fault.delay().toMillis(), TimeUnit.MILLISECONDS));
        }

        void respondError(RuntimeException failure) {
            S3Exception error;
            if (failure instanceof S3Exception s3 && s3.error() != S3ErrorCode.INTERNAL_ERROR) {
                error = s3;
            } else {
                LOG.log(Level.WARNING, "Request " + requestId + " (" + exchange.getRequestMethod() + " "
                        + exchange.getRequestPath() + ") failed", failure);
                // never a library's message text in an answer: the log has it, with the request id
                error = new S3Exception(S3ErrorCode.INTERNAL_ERROR);
            }
            S3ErrorCode code = error.error();
            errorCode = code.code();
            S3Response response = S3Response.status(code.httpStatus());
            for (Map.Entry<String, String> header : error.headers().entrySet()) {
                response.header(header.getKey(), header.getValue());
            }
            if (code != S3ErrorCode.NOT_MODIFIED) {
                response.header("Content-Type", "application/xml")
                        .body(ErrorResponses.body(error, exchange.getRequestPath(), requestId));
            }
            respond(response);
        }

        /** The error body of an injected fault: its own status and code, which need not be one of ours. */
        private S3Response injectedError() {
            errorCode = fault.errorCode();
            byte[] body = XmlWriter.plainDocument("Error")
                    .element("Code", fault.errorCode())
                    .element("Message", fault.message())
                    .element("Resource", exchange.getRequestPath())
                    .element("RequestId", requestId)
                    .element("HostId", requestId)
                    .toBytes();
            return S3Response.status(fault.status()).header("Content-Type", "application/xml").body(body);
        }

        /** Puts the request in the journal, as it is about to be answered. */
        private void record(int status, long responseBytes) {
            if (!journal.isOn()) {
                return;
            }
            S3Operation operation = route == null ? null : route.operation();
            journal.record(new RecordedRequest(requestId, operation == null ? null : operation.s3Name(),
                    exchange.getRequestMethod().toString(), rawPath(exchange), secureTransport(),
                    route == null ? null : route.bucket(), route == null ? null : route.key(),
                    query.get("versionId"), status, errorCode, JournalMasking.headers(headers),
                    JournalMasking.query(query), received, responseBytes, time,
                    Duration.ofNanos(System.nanoTime() - started), fault));
        }

        void respond(S3Response response) {
            if (!answering.compareAndSet(false, true)) {
                return;
            }
            answered = true;
            boolean truncated = fault != null && fault.kind() == S3Fault.Kind.TRUNCATE_BODY && response.body().length >= 2;
            record(response.status(), truncated ? response.body().length / 2 : response.body().length);
            boolean unread = !exchange.isRequestComplete();
            if (unread && receiving) {
                exchange.getRequestReceiver().pause();
            }
            exchange.setStatusCode(response.status());
            for (String[] header : response.headers()) {
                exchange.getResponseHeaders().add(HttpString.tryFromString(header[0]), header[1]);
            }
            for (CorsRules.Header header : corsHeaders) {
                exchange.getResponseHeaders().put(HttpString.tryFromString(header.name()), header.value());
            }
            if (unread) {
                // the rest of the body is not wanted: the connection cannot carry another request
                exchange.getResponseHeaders().put(Headers.CONNECTION, "close");
            }
            boolean head = exchange.getRequestMethod().equalToString("HEAD");
            int status = response.status();
            boolean bodyless = head || status == 204 || status == 304;
            if (!bodyless || head) {
                exchange.setResponseContentLength(head && status >= 300 ? 0 : response.contentLength());
            }
            byte[] body = response.body();
            if (bodyless || body.length == 0) {
                if (unread) {
                    exchange.getResponseSender().close(afterSending(unread));
                } else {
                    exchange.endExchange();
                }
                return;
            }
            if (truncated) {
                sendFrom(exchange.getResponseSender(), body, 0, body.length / 2, CLOSE_CONNECTION);
            } else {
                sendFrom(exchange.getResponseSender(), body, 0, body.length, afterSending(unread));
            }
        }

        /** Sends {@code body[position..end)} slice by slice, then hands over to {@code then}. */
        private void sendFrom(Sender sender, byte[] body, int position, int end, IoCallback then) {
            int length = Math.min(SLICE, end - position);
            int next = position + length;
            if (length == 0) {
                then.onComplete(exchange, sender);
                return;
            }
            sender.send(ByteBuffer.wrap(body, position, length), next < end ? new IoCallback() {
                @Override
                public void onComplete(HttpServerExchange ignored, Sender same) {
                    sendFrom(same, body, next, end, then);
                }

                @Override
                public void onException(HttpServerExchange failed, Sender same, IOException exception) {
                    IoUtils.safeClose(failed.getConnection());
                }
            } : then);
        }

        /** Ends the exchange once the answer is out; with a body still unread, discards a bounded part of it first. */
        private IoCallback afterSending(boolean unread) {
            return new IoCallback() {
                @Override
                public void onComplete(HttpServerExchange ended, Sender sender) {
                    if (!unread) {
                        ended.endExchange();
                    } else {
                        // on the IO thread, as every receive callback is, never inside one
                        ended.getIoThread().execute(() -> {
                            if (receiving) {
                                ended.getRequestReceiver().resume();
                            } else if (ended.isRequestChannelAvailable()) {
                                // (else Undertow ended the exchange first, and drains the body itself)
                                receiving = true;
                                ended.getRequestReceiver().receivePartialBytes(
                                        (ignored, piece, last) -> discard(piece.length, last),
                                        (ignored, error) -> IoUtils.safeClose(ended.getConnection()));
                            }
                        });
                    }
                }

                @Override
                public void onException(HttpServerExchange failed, Sender sender, IOException exception) {
                    // the client went away mid-answer; closing the connection ends the exchange
                    IoUtils.safeClose(failed.getConnection());
                }
            };
        }

        /**
         * Reads and drops what the client still sends of a body nobody wants, so that closing the
         * connection does not reset it before the client has read the answer; a client that sends
         * more than a bounded amount is cut off.
         */
        private void discard(int length, boolean last) {
            discarded += length;
            if (last) {
                exchange.setPersistent(false);
                exchange.endExchange();
            } else if (discarded > MAX_DISCARDED_BODY) {
                IoUtils.safeClose(exchange.getConnection());
            }
        }
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

    private static String newRequestId() {
        return String.format("%016X", ThreadLocalRandom.current().nextLong());
    }
}
