package dev.adapterhub.reliability.load;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadGeneratorTest {

    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/fixed", exchange -> {
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/chunked", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("x".repeat(10_000).getBytes(StandardCharsets.UTF_8));
            }
        });
        server.createContext("/echo", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            boolean json = "application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"));
            int status = json && new String(body, StandardCharsets.UTF_8).equals("{\"prompt\": \"hi\"}") ? 200 : 400;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.createContext("/busy", exchange -> {
            exchange.getResponseHeaders().add("Retry-After", "1");
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void countsAnswersOfBothBodyFramingsOverKeptAliveConnections() throws Exception {
        for (String path : new String[] {"/fixed", "/chunked"}) {
            LoadGenerator.Result result = LoadGenerator.run(target(path), 2, Duration.ofMillis(200),
                    Duration.ofMillis(500));
            assertTrue(result.requests() > 10, result.line());
            assertEquals(Map.of(200, result.requests()), result.statuses(), result.line());
            assertEquals(0, result.failures(), result.line());
            assertTrue(result.p50Ms() <= result.p99Ms() && result.p99Ms() <= result.maxMs(), result.line());
        }
    }

    @Test
    void errorAnswersAreCountedAsFailures() throws Exception {
        LoadGenerator.Result result = LoadGenerator.run(target("/busy"), 1, Duration.ZERO, Duration.ofMillis(300));
        assertTrue(result.requests() > 0, result.line());
        assertEquals(result.requests(), result.failures(), result.line());
        assertEquals(Map.of(503, result.requests()), result.statuses());
        assertEquals(result.requests(), result.retryAfter());
        assertTrue(Double.isNaN(result.okP99Ms()), "no 2xx answer, no 2xx latency");
    }

    @Test
    void postsSendTheirJsonBody() throws Exception {
        LoadGenerator.Result result = LoadGenerator.run(new LoadGenerator.Target("echo", "127.0.0.1",
                server.getAddress().getPort(), "POST", "/echo", Map.of(), "{\"prompt\": \"hi\"}"), 1, Duration.ZERO,
                Duration.ofMillis(300));
        assertTrue(result.requests() > 0, result.line());
        assertEquals(Map.of(200, result.requests()), result.statuses(), result.line());
        assertTrue(result.okP99Ms() <= result.maxMs(), result.line());
    }

    @Test
    void aRefusedConnectionIsAFailureNotARequest() throws Exception {
        int port = server.getAddress().getPort();
        server.stop(0);
        LoadGenerator.Result result = LoadGenerator.run(new LoadGenerator.Target("gone", "127.0.0.1", port,
                "/fixed", Map.of()), 1, Duration.ZERO, Duration.ofMillis(200));
        assertEquals(0, result.requests());
        assertTrue(result.failures() > 0, result.line());
    }

    @Test
    void parsesChunkedBodiesWithTrailersAndSeesConnectionClose() throws Exception {
        String wire = "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "5;ext=1\r\nhello\r\n0\r\nX-Trailer: y\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n";
        InputStream in = new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1));
        LoadGenerator.Response first = LoadGenerator.Response.read(in);
        assertEquals(201, first.status());
        assertTrue(first.close());
        LoadGenerator.Response second = LoadGenerator.Response.read(in);
        assertEquals(204, second.status());
        assertFalse(second.close());
        assertThrows(IOException.class, () -> LoadGenerator.Response.read(in));
    }

    @Test
    void percentilesAreNearestRank() {
        long[] nanos = new long[100];
        for (int i = 0; i < 100; i++) {
            nanos[i] = (i + 1) * 1_000_000L;
        }
        assertEquals(50.0, LoadGenerator.percentile(nanos, 0.50));
        assertEquals(99.0, LoadGenerator.percentile(nanos, 0.99));
        assertEquals(100.0, LoadGenerator.percentile(nanos, 1.0));
    }

    private LoadGenerator.Target target(String path) {
        return new LoadGenerator.Target(path, "127.0.0.1", server.getAddress().getPort(), path, Map.of());
    }
}
