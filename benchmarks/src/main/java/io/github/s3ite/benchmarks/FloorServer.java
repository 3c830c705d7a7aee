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
 *
 * <p>{@code FloorServer handover}: the same, with each request handed to a worker and back as s3ite
 * hands it (s3ite keeps SQLite, which may block, off the IO threads): the IO thread dispatches to one
 * of as many workers as s3ite has, the worker touches the map, and the answer is sent from the IO
 * thread again. What this costs above the floor is the hand-over alone.
 */
public final class FloorServer {
    private FloorServer() {
    }

    public static void main(String[] args) {
        Map<String, byte[]> objects = new ConcurrentHashMap<>();
        boolean handOver = args.length > 0 && args[0].equals("handover");
        Undertow server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                // as s3ite's S3iteServer sets them
                .setIoThreads(Math.max(1, Runtime.getRuntime().availableProcessors() / 2))
                .setWorkerThreads(Math.max(4, Runtime.getRuntime().availableProcessors() * 2))
                .setHandler(handOver ? exchange -> handOver(exchange, objects) : exchange -> handle(exchange, objects))
                .build();
        server.start();
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        System.out.println("floor listening on http://127.0.0.1:" + port);
    }

    /** To a worker and back: the worker reads or writes the map, the IO thread answers. */
    private static void handOver(HttpServerExchange exchange, Map<String, byte[]> objects) {
        String path = exchange.getRequestPath();
        if (exchange.getRequestMethod().equals(Methods.PUT)) {
            exchange.getRequestReceiver().receiveFullBytes((received, body) -> received.dispatch(worker -> {
                objects.put(path, body);
                worker.dispatch(worker.getIoThread(), HttpServerExchange::endExchange);
            }));
            return;
        }
        exchange.dispatch(worker -> {
            byte[] body = objects.get(path);
            worker.dispatch(worker.getIoThread(), io -> answer(io, body));
        });
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
        answer(exchange, objects.get(path));
    }

    private static void answer(HttpServerExchange exchange, byte[] body) {
        if (body == null) {
            exchange.setStatusCode(404);
            exchange.endExchange();
            return;
        }
        exchange.setResponseContentLength(body.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }
}
