package dev.adapterhub.registry.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver for tests, on loopback: each path answers from a script (status codes in order, the last one
 * repeating; {@code SLOW} sleeps past the sender's timeout) and keeps every request it got.
 */
final class Receiver implements AutoCloseable {

    /** A scripted answer that takes longer than the sender waits. */
    static final int SLOW = -1;

    record Request(String path, Map<String, String> headers, String body, Instant at) {
        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    private final HttpServer server;
    private final Map<String, List<Integer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, String> extraHeaders = new ConcurrentHashMap<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    /** {@code http://localhost:<port><path>}: "localhost" is the one target the test profile allows. */
    String url(String path) {
        return "http://localhost:" + server.getAddress().getPort() + path;
    }

    /** The same receiver by its loopback address, which stays refused. */
    String loopbackUrl(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    void script(String path, Integer... statuses) {
        scripts.put(path, List.of(statuses));
    }

    void header(String path, String header) {
        extraHeaders.put(path, header);
    }

    List<Request> requests(String path) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.path().equals(path)).toList();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new java.util.HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
        requests.add(new Request(path, headers, body, Instant.now()));
        List<Integer> script = scripts.getOrDefault(path, List.of(204));
        int call = calls.computeIfAbsent(path, p -> new AtomicInteger()).getAndIncrement();
        int status = script.get(Math.min(call, script.size() - 1));
        if (status == SLOW) {
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            status = 200;
        }
        if (extraHeaders.containsKey(path)) {
            String[] header = extraHeaders.get(path).split(":", 2);
            exchange.getResponseHeaders().add(header[0].strip(), header[1].strip());
        }
        byte[] answer = ("answer " + status + " to call " + (call + 1)).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
