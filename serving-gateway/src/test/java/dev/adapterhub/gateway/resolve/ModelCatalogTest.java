package dev.adapterhub.gateway.resolve;

import com.sun.net.httpserver.HttpServer;
import dev.adapterhub.registry.client.RegistryClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The model list's snapshot: shared while fresh, read again after the TTL or any registry event. */
class ModelCatalogTest {

    private HttpServer registry;
    private final AtomicInteger baseModelReads = new AtomicInteger();
    private volatile String adapterName = "first";

    @BeforeEach
    void start() throws IOException {
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        registry.createContext("/api/v1/base-models", exchange -> {
            baseModelReads.incrementAndGet();
            answer(exchange, "{\"items\": [{\"id\": \"b1\", \"name\": \"base\", \"revision\": \"v1\", "
                    + "\"status\": \"ACTIVE\"}], \"page\": 0, \"size\": 100, \"total\": 1}");
        });
        registry.createContext("/api/v1/adapters", exchange -> answer(exchange, "{\"items\": [{\"name\": \""
                + adapterName + "\", \"latestVersion\": 1}], \"page\": 0, \"size\": 100, \"total\": 1}"));
        registry.start();
    }

    @AfterEach
    void stop() {
        registry.stop(0);
    }

    @Test
    void aSnapshotIsSharedUntilItsTtlEnds() {
        MutableClock clock = new MutableClock();
        ModelCatalog catalog = new ModelCatalog(client(), Duration.ofSeconds(1), clock);
        for (int i = 0; i < 5; i++) {
            assertEquals("first", catalog.snapshot().adaptersByBase().get("b1").get(0).name());
        }
        assertEquals(1, baseModelReads.get());
        adapterName = "second";
        clock.now = clock.now.plusSeconds(1);
        assertEquals("second", catalog.snapshot().adaptersByBase().get("b1").get(0).name());
        assertEquals(2, baseModelReads.get());
    }

    @Test
    void anInvalidationIsSeenByTheNextListing() {
        ModelCatalog catalog = new ModelCatalog(client(), Duration.ofMinutes(10), new MutableClock());
        catalog.snapshot();
        adapterName = "moved";
        catalog.invalidate();
        assertEquals("moved", catalog.snapshot().adaptersByBase().get("b1").get(0).name());
        assertEquals(2, baseModelReads.get());
    }

    @Test
    void aZeroTtlReadsEveryTime() {
        ModelCatalog catalog = new ModelCatalog(client(), Duration.ZERO, new MutableClock());
        catalog.snapshot();
        catalog.snapshot();
        assertEquals(2, baseModelReads.get());
    }

    private RegistryClient client() {
        return RegistryClient.builder().setUrl("http://127.0.0.1:" + registry.getAddress().getPort() + "/api/v1")
                .build();
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
