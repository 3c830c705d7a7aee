package io.github.s3ite.benchmarks;

import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The floor of the wrk part: a bare Undertow handler that keeps bodies in a map, by path. PUT stores
 * the body (read without blocking, on the IO thread), GET answers it; nothing is parsed, checked,
 * dispatched to a worker or written to disk. What a server of ours costs per request above this is
 * ours. Same IO thread count as s3ite's. Runs as its own process: {@code FloorServer}, then prints
 * {@code listening on http://127.0.0.1:PORT} and serves until it is killed.
 */
public final class FloorServer {
    private FloorServer() {
    }

    public static void main(String[] args) {
        Map<String, byte[]> objects = new ConcurrentHashMap<>();
        Undertow server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(Math.max(1, Runtime.getRuntime().availableProcessors() / 2))
                .setHandler(exchange -> handle(exchange, objects))
                .build();
        server.start();
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        System.out.println("floor listening on http://127.0.0.1:" + port);
    }

    private static void handle(HttpServerExchange exchange, Map<String, byte[]> objects) {
        String path = exchange.getRequestPath();
        if (exchange.getRequestMethod().equals(Methods.PUT)) {
            exchange.getRequestReceiver().receiveFullBytes((done, body) -> {
                objects.put(path, body);
                done.endExchange();
            });
            return;
        }
        byte[] body = objects.get(path);
        if (body == null) {
            exchange.setStatusCode(404);
            exchange.endExchange();
            return;
        }
        exchange.setResponseContentLength(body.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }
}
