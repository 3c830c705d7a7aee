package io.github.s3ite.benchmarks;

import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;

/**
 * The floor of the standalone cold start ({@link StandaloneStartup}): a process that starts Undertow
 * with one handler answering every request {@code 200 ok}, on 127.0.0.1 and an ephemeral port, and
 * prints {@code listening on http://127.0.0.1:PORT} as s3ite does. Nothing else: no argument
 * parsing, no storage, no logging set-up of its own. Runs with Undertow's jars alone on its
 * classpath, until it is killed.
 */
public final class BareUndertowStartup {
    private BareUndertowStartup() {
    }

    public static void main(String[] args) {
        Undertow server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setHandler(exchange -> {
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
                    exchange.getResponseSender().send("ok");
                })
                .build();
        server.start();
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        System.out.println("bare Undertow listening on http://127.0.0.1:" + port);
    }
}
