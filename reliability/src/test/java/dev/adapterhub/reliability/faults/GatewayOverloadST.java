package dev.adapterhub.reliability.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.localstack.ServiceProcess;
import dev.adapterhub.reliability.load.LoadGenerator;
import dev.adapterhub.reliability.support.Figures;
import dev.adapterhub.reliability.support.Seed;
import dev.adapterhub.testsupport.RegistryStack;
import dev.adapterhub.testsupport.ServiceProcesses;
import dev.adapterhub.testsupport.TestKeys;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway past its capacity and its adapter cache under churn (issue 13), as a process. Overload: requests
 * arriving at twice the rate it serves (open loop: arrivals do not wait for answers), for a minute: the surplus
 * gets 503 with Retry-After, admitted requests keep a bounded p99, memory stays bounded, and clients that hang up
 * free their slots. Churn: 512 adapters with weights of their own through a 32-entry cache, 10,000 requests: the
 * engine holds the same tensors (DJL's count) after the first pass and at the end; RSS and memory outside the JVM
 * heaps are recorded at both points. Figures go to {@code target/reliability/gateway-overload.json}.
 */
@Tag("faults")
class GatewayOverloadST {

    private static final int SLOTS = 8;
    private static final int ADAPTERS = Integer.getInteger("faults.churn-adapters", 512);
    private static final int CHURN_REQUESTS = Integer.getInteger("faults.churn-requests", 10_000);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void overloadIsShedAndTheCacheDoesNotGrow() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "gateway-overload");
        try (RegistryStack stack = RegistryStack.start()) {
            ServiceProcess gateway = ServiceProcesses.gateway(stack, Map.of(
                    "ADAPTERHUB_GATEWAY_MAX_IN_FLIGHT_REQUESTS", String.valueOf(SLOTS),
                    "ADAPTERHUB_GATEWAY_CACHE_MAX_ADAPTERS", "32"));
            try {
                Seed seed = Seed.start(stack, dir);
                for (int i = 0; i < ADAPTERS; i++) {
                    seed.adapterWithOwnWeights(String.format("churn-%03d", i), 1000 + i);
                }
                URI uri = URI.create(gateway.service().baseUrl());
                Map<String, String> auth = Map.of("Authorization", "Bearer " + seed.teamKey());
                String body = "{\"model\": \"churn-000\", \"prompt\": \"12=\", \"max_tokens\": 16, \"temperature\": 0}";
                LoadGenerator.Target completion = new LoadGenerator.Target("completions", uri.getHost(), uri.getPort(),
                        "POST", "/v1/completions", auth, body);
                long pid = gateway.process().pid();

                LoadGenerator.Result capacity = LoadGenerator.run(completion, SLOTS, Duration.ofSeconds(10),
                        Duration.ofSeconds(20));
                System.out.println("[gateway-overload] " + capacity.line());
                long rssBefore = rssKb(pid);
                double offered = 2 * capacity.requestsPerSecond();
                OpenLoop overload = OpenLoop.run(uri.resolve("/v1/completions"), seed.teamKey(), body, offered,
                        Duration.ofSeconds(60));
                long rssAfterOverload = rssKb(pid);

                long freedMs = hangUpsFreeTheirSlots(uri, seed.teamKey());

                long[][] churn = churn(uri, seed.teamKey(), pid);
                JsonNode cache = admin(uri, "/admin/v1/cache");

                long shed = overload.statuses().getOrDefault(503, 0L);
                long admitted = overload.statuses().getOrDefault(200, 0L);
                double admittedP99 = overload.p99Ms(200);
                Figures figures = new Figures("gateway-overload")
                        .put("slots", SLOTS)
                        .put("capacityRequestsPerSecond", Math.round(capacity.requestsPerSecond()))
                        .put("capacityP99Ms", capacity.okP99Ms())
                        .put("overloadOfferedRequestsPerSecond", Math.round(offered))
                        .put("overloadSeconds", 60)
                        .put("overloadStatuses", overload.statuses())
                        .put("admittedRequestsPerSecond", Math.round(admitted / 60.0))
                        .put("shedWithRetryAfter", overload.retryAfter())
                        .put("admittedP50Ms", overload.p50Ms(200))
                        .put("admittedP99Ms", admittedP99)
                        .put("shedP99Ms", overload.p99Ms(503))
                        .put("rssKbBeforeOverload", rssBefore)
                        .put("rssKbAfterOverload", rssAfterOverload)
                        .put("msUntilHungUpSlotsAreFree", freedMs)
                        .put("churnAdapters", ADAPTERS)
                        .put("churnRequests", CHURN_REQUESTS)
                        .put("cacheEntries", cache.path("adapters").asInt())
                        .put("cacheEvictions", cache.path("evictions").asLong())
                        .put("rssKbAfterFirstPass", churn[0][0])
                        .put("rssKbAfterChurn", churn[1][0])
                        .put("outsideJvmHeapsKbAfterFirstPass", churn[0][1])
                        .put("outsideJvmHeapsKbAfterChurn", churn[1][1])
                        .put("engineTensorsAfterFirstPass", churn[0][2])
                        .put("engineTensorsAfterChurn", churn[1][2])
                        .put("engineTensorBytesAfterFirstPass", churn[0][3])
                        .put("engineTensorBytesAfterChurn", churn[1][3]);
                figures.write();
                assertTrue(shed > 0 && admitted > 0, "some shed, some served: " + overload.statuses());
                assertEquals(shed, overload.retryAfter(), "every 503 says when to retry");
                assertTrue(admittedP99 < 10 * Math.max(capacity.okP99Ms(), 50),
                        "admitted requests keep a bounded p99: " + admittedP99);
                assertTrue(freedMs >= 0, "hung-up clients freed their slots");
                assertTrue(cache.path("adapters").asInt() <= 32, "the cache holds at most 32 adapters");
                assertTrue(churn[0][2] > 0, "the engine reports its tensors");
                assertEquals(churn[0][2], churn[1][2], "engine tensors after the first pass and after the churn");
                assertEquals(churn[0][3], churn[1][3], "engine tensor bytes after the first pass and after the churn");
            } finally {
                gateway.stop();
            }
        }
    }

    /** Requests sent at a fixed rate whatever the answers, with each answer's status and latency. */
    private record OpenLoop(Map<Integer, Long> statuses, Map<Integer, List<Long>> nanos, long retryAfter) {

        static OpenLoop run(URI url, String key, String body, double perSecond, Duration duration)
                throws InterruptedException {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                return send(HttpClient.newBuilder().executor(pool).build(), url, key, body, perSecond, duration);
            } finally {
                pool.shutdownNow();
            }
        }

        private static OpenLoop send(HttpClient client, URI url, String key, String body, double perSecond,
                                     Duration duration) {
            HttpRequest request = HttpRequest.newBuilder(url).header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(120))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            Map<Integer, List<Long>> nanos = new ConcurrentHashMap<>();
            AtomicLong retryAfter = new AtomicLong();
            List<CompletableFuture<?>> calls = new ArrayList<>();
            long interval = (long) (1e9 / perSecond);
            long start = System.nanoTime();
            for (long next = start; next < start + duration.toNanos(); next += interval) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                long sent = System.nanoTime();
                calls.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, e) -> {
                    int status = e != null ? -1 : response.statusCode();
                    if (e == null && response.headers().firstValue("Retry-After").isPresent()) {
                        retryAfter.incrementAndGet();
                    }
                    nanos.computeIfAbsent(status, k -> Collections.synchronizedList(new ArrayList<>()))
                            .add(System.nanoTime() - sent);
                    return null;
                }));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                    .join();
            Map<Integer, Long> statuses = new TreeMap<>();
            nanos.forEach((status, list) -> statuses.put(status, (long) list.size()));
            System.out.println("[gateway-overload] open loop at " + Math.round(perSecond) + " req/s: " + statuses);
            return new OpenLoop(statuses, nanos, retryAfter.get());
        }

        double p50Ms(int status) {
            return percentile(status, 0.50);
        }

        double p99Ms(int status) {
            return percentile(status, 0.99);
        }

        private double percentile(int status, double quantile) {
            long[] sorted = nanos.getOrDefault(status, List.of()).stream().mapToLong(Long::longValue).sorted()
                    .toArray();
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int index = Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1));
            return Math.round(sorted[index] / 1e4) / 100.0;
        }
    }

    /** Fills every slot with long streams, hangs them up, and returns how long until a request is admitted. */
    private static long hangUpsFreeTheirSlots(URI uri, String key) throws Exception {
        List<Socket> streams = new ArrayList<>();
        String body = "{\"model\": \"churn-001\", \"prompt\": \"1=\", \"max_tokens\": 2000, \"stream\": true}";
        for (int i = 0; i < SLOTS; i++) {
            Socket socket = new Socket(uri.getHost(), uri.getPort());
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8)
                    .length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            in.read(new byte[256]);
            streams.add(socket);
        }
        long hungUp = System.nanoTime();
        for (Socket socket : streams) {
            socket.close();
        }
        await("every slot free again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> inFlight(uri) == 0);
        return (System.nanoTime() - hungUp) / 1_000_000;
    }

    /**
     * Round-robin requests over every adapter: a first pass over all of them, then the rest. After each, with
     * nothing in flight: RSS, the same less the JVM's committed heaps (what the engine and libtorch hold
     * natively), and the tensors the engine holds by DJL's count.
     */
    private static long[][] churn(URI uri, String key, long pid) throws Exception {
        Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
        long[][] after = new long[2][];
        int[] ends = {ADAPTERS, CHURN_REQUESTS};
        AtomicInteger next = new AtomicInteger();
        for (int pass = 0; pass < 2; pass++) {
            int end = ends[pass];
            Runnable worker = () -> {
                for (int n = next.getAndIncrement(); n < end; n = next.getAndIncrement()) {
                    String body = String.format("{\"model\": \"churn-%03d\", \"prompt\": \"%d=\", \"max_tokens\": 1}",
                            n % ADAPTERS, n % 100);
                    statuses.computeIfAbsent(post(uri, key, body), s -> new AtomicInteger()).incrementAndGet();
                }
            };
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < SLOTS / 2; t++) {
                Thread thread = new Thread(worker);
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            next.set(end);
            long rss = rssKb(pid);
            long[] jvm = jvmCommittedKb(uri);
            JsonNode base = admin(uri, "/admin/v1/cache").path("baseModels").path(0);
            after[pass] = new long[] {rss, rss - jvm[0] - jvm[1], base.path("tensors").asLong(),
                base.path("tensorBytes").asLong()};
            System.out.printf("[gateway-overload] after %d requests: RSS %d kB, JVM committed heap / non-heap %s kB, "
                    + "engine tensors %d (%d bytes)%n", end, rss, Arrays.toString(jvm), after[pass][2],
                    after[pass][3]);
        }
        System.out.println("[gateway-overload] churn statuses " + statuses);
        assertEquals(CHURN_REQUESTS, statuses.getOrDefault("200", new AtomicInteger()).get(),
                "every churn request served: " + statuses);
        return after;
    }

    /** Requests the gateway holds now, queued or generating, over its base models. */
    private static int inFlight(URI uri) throws Exception {
        int total = 0;
        for (JsonNode base : admin(uri, "/admin/v1/cache").path("baseModels")) {
            total += base.path("queuedRequests").asInt() + base.path("runningRequests").asInt();
        }
        return total;
    }

    /** The answer's status, and for an error its OpenAI error code: {@code 200}, {@code 503 overloaded}, … */
    private static String post(URI uri, String key, String body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri.resolve("/v1/completions"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? "200"
                    : response.statusCode() + " " + JSON.readTree(response.body()).path("error").path("code").asText();
        } catch (java.io.IOException e) {
            return "failed: " + e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static JsonNode admin(URI uri, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri.resolve(path))
                .header("Authorization", "Bearer " + TestKeys.ADMIN).build();
        return JSON.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    /** The JVM's committed heap and non-heap memory in kB, from the gateway's Prometheus metrics. */
    private static long[] jvmCommittedKb(URI uri) {
        double heap = 0;
        double nonHeap = 0;
        try {
            HttpRequest request = HttpRequest.newBuilder(uri.resolve("/q/metrics")).build();
            for (String line : HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body().split("\n")) {
                if (line.startsWith("jvm_memory_committed_bytes{")) {
                    double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    if (line.contains("area=\"heap\"")) {
                        heap += value;
                    } else {
                        nonHeap += value;
                    }
                }
            }
        } catch (Exception e) {
            return new long[] {-1, -1};
        }
        return new long[] {(long) (heap / 1024), (long) (nonHeap / 1024)};
    }

    /** Resident memory of a process, from /proc (Linux). */
    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return -1;
    }
}
