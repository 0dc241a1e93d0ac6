package dev.adapterhub.registry.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.adapterhub.formats.digest.DigestMismatchException;
import dev.adapterhub.formats.digest.Sha256;
import dev.adapterhub.registry.client.model.Heartbeat;
import dev.adapterhub.registry.client.model.StoredFile;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a tiny local HTTP server that answers what each test needs, including what the real registry
 * never sends (corrupted bytes, 5xx); the contract with the real registry is {@link RegistryClientContractIT}.
 */
class RegistryClientTest {

    private static final String PROBLEM = "application/problem+json";

    @TempDir
    Path dir;

    private HttpServer server;
    private final ConcurrentHashMap<String, Reply> replies = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    private record Reply(int status, String contentType, byte[] body) {
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            exchange.getRequestBody().readAllBytes();
            Reply reply = replies.get(path);
            if (reply == null) {
                byte[] body = ("no reply for " + path).getBytes(StandardCharsets.UTF_8);
                reply(exchange, new Reply(599, "text/plain", body));
                return;
            }
            calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            reply(exchange, reply);
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void acceptsTheServiceUrlWithOrWithoutTheApiPrefix() {
        assertEquals("http://r:8080/api/v1", RegistryClient.apiUrl("http://r:8080"));
        assertEquals("http://r:8080/api/v1", RegistryClient.apiUrl("http://r:8080/"));
        assertEquals("http://r:8080/api/v1", RegistryClient.apiUrl("http://r:8080/api/v1/"));
    }

    @Test
    void backoffDoublesUpToItsMaximum() {
        RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(300));
        assertEquals(Duration.ofMillis(100), policy.backoff(1));
        assertEquals(Duration.ofMillis(200), policy.backoff(2));
        assertEquals(Duration.ofMillis(300), policy.backoff(3));
        assertEquals(Duration.ofMillis(300), policy.backoff(4));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO));
    }

    @Test
    void problemJsonBecomesTypedExceptions() {
        UUID job = UUID.randomUUID();
        answer("/api/v1/training-jobs/" + job + "/heartbeat", 409, PROBLEM, problem(409, "lease-lost", "gone"));
        answer("/api/v1/training-jobs/" + job + "/claim", 409, PROBLEM, problem(409, "conflict", "taken"));
        answer("/api/v1/resolve/bad%20ref", 400, PROBLEM, problem(400, "invalid-request", "bad characters"));
        answer("/api/v1/base-models/nope", 404, PROBLEM, problem(404, "not-found", "no such model"));
        answer("/api/v1/adapters/nope/versions", 404, "text/plain", "not here");
        RegistryClient client = client(RetryPolicy.none());

        RegistryConflictException lost = assertThrows(RegistryConflictException.class,
                () -> client.heartbeat(job, Heartbeat.renew("t")));
        assertTrue(lost.isLeaseLost());
        assertEquals("urn:adapterhub:problem:lease-lost", lost.problemType());
        assertTrue(lost.getMessage().contains("gone"), lost.getMessage());
        RegistryConflictException taken = assertThrows(RegistryConflictException.class,
                () -> client.claim(job, "w", 1));
        assertFalse(taken.isLeaseLost());
        RegistryRejectedException bad = assertThrows(RegistryRejectedException.class, () -> client.resolve("bad ref"));
        assertEquals(400, bad.status());
        assertEquals("bad characters", bad.problem().detail());

        assertTrue(client.findBaseModel("nope").isEmpty(), "find... answers 404 with an empty Optional");
        RegistryNotFoundException notFound = assertThrows(RegistryNotFoundException.class,
                () -> client.listVersions("nope", 0, 10));
        assertEquals(null, notFound.problem(), "a body that is not problem+json is kept as the message only");
        assertTrue(notFound.getMessage().contains("not here"), notFound.getMessage());
    }

    @Test
    void idempotentCallsAreRetriedWhileTheRegistryIsUnavailableOthersAreNot() {
        UUID job = UUID.randomUUID();
        answer("/api/v1/base-models/flaky", 503, PROBLEM, problem(503, "storage-unavailable", "later"));
        answer("/api/v1/training-jobs/" + job + "/claim", 500, PROBLEM, problem(500, "internal-error", "boom"));
        RegistryClient client = client(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5)));

        RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class,
                () -> client.findBaseModel("flaky"));
        assertEquals(503, e.status());
        assertEquals(3, calls.get("/api/v1/base-models/flaky").get());

        assertThrows(RegistryUnavailableException.class, () -> client.claim(job, "w", 1));
        assertEquals(1, calls.get("/api/v1/training-jobs/" + job + "/claim").get(), "a claim is never repeated");
    }

    @Test
    void anUnreachableRegistryIsUnavailable() {
        server.stop(0);
        RegistryClient client = client(RetryPolicy.none());
        RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class,
                () -> client.findAdapter("a"));
        assertEquals(0, e.status());
    }

    @Test
    void downloadsAreVerifiedAgainstTheRegistrysSha256() throws IOException {
        byte[] bytes = "the adapter's weights".getBytes(StandardCharsets.UTF_8);
        answer("/api/v1/adapters/a/versions/1/files/adapter_model.safetensors", 200, "application/octet-stream",
                bytes);
        answer("/api/v1/base-models/b%40r1/files/model.safetensors", 200, "application/octet-stream",
                "corrupted on the way".getBytes(StandardCharsets.UTF_8));
        RegistryClient client = client(RetryPolicy.none());
        String sha = Sha256.hex(bytes);

        Path good = dir.resolve("a").resolve("adapter_model.safetensors");
        assertEquals(sha, client.downloadVersionFile("a", 1,
                new StoredFile("adapter_model.safetensors", bytes.length, sha, null), good));
        assertEquals(sha, Sha256.hex(good));

        Path bad = dir.resolve("b").resolve("model.safetensors");
        DigestMismatchException e = assertThrows(DigestMismatchException.class, () -> client.downloadBaseModelFile(
                "b@r1", new StoredFile("model.safetensors", bytes.length, sha, null), bad));
        assertEquals("model.safetensors", e.what());
        assertEquals(sha, e.expected());
        assertFalse(Files.exists(bad));
        try (Stream<Path> left = Files.list(bad.getParent())) {
            assertEquals(List.of(), left.toList(), "the temporary file is deleted");
        }
        assertEquals(1, calls.get("/api/v1/base-models/b%40r1/files/model.safetensors").get(),
                "a mismatch is not a transport failure: not retried");
    }

    @Test
    void unreadableAnswersAreUnavailable() {
        answer("/api/v1/adapters/a", 200, "application/json", "{not json");
        RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class,
                () -> client(RetryPolicy.none()).findAdapter("a"));
        assertInstanceOf(IOException.class, e.getCause());
    }

    private RegistryClient client(RetryPolicy retry) {
        return RegistryClient.builder().setUrl("http://127.0.0.1:" + server.getAddress().getPort())
                .optTimeout(Duration.ofSeconds(5)).optRetry(retry).build();
    }

    private static String problem(int status, String slug, String detail) {
        return "{\"type\":\"urn:adapterhub:problem:" + slug + "\",\"title\":\"t\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\",\"extra\":1}";
    }

    private void answer(String path, int status, String contentType, String body) {
        answer(path, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Answers {@code path} (as sent, still percent-encoded); the calls are counted. */
    private void answer(String path, int status, String contentType, byte[] body) {
        replies.put(path, new Reply(status, contentType, body));
    }

    private static void reply(HttpExchange exchange, Reply reply) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", reply.contentType());
        exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply.body());
        }
    }
}
