package dev.adapterhub.reliability.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.engine.testkit.TinyLlamaGenerator;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import dev.adapterhub.localstack.ServiceProcess;
import dev.adapterhub.reliability.support.Figures;
import dev.adapterhub.reliability.support.Seed;
import dev.adapterhub.testsupport.RegistryStack;
import dev.adapterhub.testsupport.ServiceProcesses;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backends fail under the running services (issue 13): Kafka stopped during a burst of alias moves, PostgreSQL
 * restarted under read load, S3 stopped mid-upload and mid-download. The services are never restarted
 * themselves. Figures go to {@code target/reliability/kafka-outage.json}, {@code postgres-restart.json} and
 * {@code s3-outage.json}.
 */
@Tag("faults")
class BackendOutagesST {

    private static final String TOPIC = "adapterhub.registry.events.v1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * 1,000 alias moves over 10 adapters; Kafka is down from the 300th to past the last. Every move must arrive
     * once Kafka is back, in order per adapter; duplicates are allowed (at least once) and counted.
     */
    @Test
    void eventsWrittenWhileKafkaIsDownArriveAfterwardsInOrder() throws Exception {
        int adapters = 10;
        int moves = Integer.getInteger("faults.burst", 1000);
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "kafka-outage");
        try (RegistryStack stack = RegistryStack.start()) {
            Seed seed = Seed.start(stack, dir);
            for (int a = 0; a < adapters; a++) {
                seed.adapterWithVersion("burst-" + a);
                seed.uploadVersion("burst-" + a);
            }
            List<JsonNode> received = new CopyOnWriteArrayList<>();
            AtomicBoolean consuming = new AtomicBoolean(true);
            Thread consumer = consume(stack.backends().kafka().bootstrapServers(), received, consuming);
            Map<String, List<Integer>> sent = new LinkedHashMap<>();
            long outageStart = 0;
            long outageEnd;
            List<Integer> healthDuringOutage = new ArrayList<>();
            try {
                for (int i = 0; i < moves; i++) {
                    if (i == moves * 3 / 10) {
                        stack.backends().stopKafka();
                        outageStart = System.nanoTime();
                    }
                    String adapter = "burst-" + (i % adapters);
                    int version = (i / adapters) % 2 == 0 ? 2 : 1;
                    seed.team().sendJson("PUT", "/adapters/" + adapter + "/aliases/staging", Map.of("version", version));
                    sent.computeIfAbsent(adapter, k -> new ArrayList<>()).add(version);
                    if (outageStart != 0 && i % 100 == 0) {
                        healthDuringOutage.add(status(stack.registryBaseUrl() + "/q/health/ready"));
                    }
                }
                Thread.sleep(5_000);
                stack.backends().startKafka();
                outageEnd = System.nanoTime();
                await("every move delivered").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> distinctMoves(received).size() >= moves);
            } finally {
                consuming.set(false);
                consumer.join(10_000);
            }
            Set<String> seen = new HashSet<>();
            int duplicates = 0;
            Map<String, List<Integer>> arrived = new LinkedHashMap<>();
            for (JsonNode event : moves(received)) {
                if (!seen.add(event.path("id").asText())) {
                    duplicates++;
                    continue;
                }
                arrived.computeIfAbsent(event.path("data").path("adapterName").asText(), k -> new ArrayList<>())
                        .add(event.path("data").path("version").asInt());
            }
            int outOfOrder = 0;
            String firstDifference = null;
            for (Map.Entry<String, List<Integer>> adapter : sent.entrySet()) {
                List<Integer> got = arrived.getOrDefault(adapter.getKey(), List.of());
                if (!adapter.getValue().equals(got)) {
                    outOfOrder++;
                    if (firstDifference == null) {
                        firstDifference = adapter.getKey() + ": sent " + adapter.getValue() + ", arrived " + got;
                    }
                }
            }
            Figures figures = new Figures("kafka-outage")
                    .put("changes", moves)
                    .put("changesWhileKafkaWasDown", moves - moves * 3 / 10)
                    .put("outageSeconds", Math.round((outageEnd - outageStart) / 1e8) / 10.0)
                    .put("eventsDelivered", seen.size())
                    .put("lost", moves - seen.size())
                    .put("duplicates", duplicates)
                    .put("adaptersOutOfOrder", outOfOrder)
                    .put("registryReadinessDuringOutage", healthDuringOutage);
            figures.write();
            assertEquals(moves, seen.size(), "every change delivered");
            assertEquals(0, outOfOrder, "per-aggregate order kept; first difference: " + firstDifference);
        }
    }

    /**
     * Reads against the registry (and the gateway's model list) while PostgreSQL restarts: the services must come
     * back without a restart of their own, and say they are not ready meanwhile.
     */
    @Test
    void servicesRecoverFromAPostgresRestartOnTheirOwn() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "postgres-restart");
        try (RegistryStack stack = RegistryStack.start()) {
            ServiceProcess gateway = ServiceProcesses.gateway(stack);
            try {
                Seed seed = Seed.start(stack, dir);
                seed.adapterWithVersion("steady");
                String adapterUrl = stack.registryApiUrl() + "/adapters/steady";
                Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
                Map<Long, String> timeline = new ConcurrentHashMap<>();
                AtomicBoolean running = new AtomicBoolean(true);
                long begin = System.nanoTime();
                List<Thread> readers = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    Thread reader = new Thread(() -> {
                        while (running.get()) {
                            int status = get(adapterUrl, seed.teamKey());
                            outcomes.computeIfAbsent(String.valueOf(status), k -> new AtomicInteger()).incrementAndGet();
                            timeline.merge((System.nanoTime() - begin) / 1_000_000_000L, String.valueOf(status),
                                    (a, b) -> a.contains(b) ? a : a + "," + b);
                        }
                    });
                    reader.start();
                    readers.add(reader);
                }
                Thread.sleep(3_000);
                long pid = gateway.process().pid();
                stack.backends().stopPostgres();
                long stopped = System.nanoTime();
                List<Integer> readiness = new ArrayList<>();
                List<Integer> gatewayReadiness = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    Thread.sleep(1_000);
                    readiness.add(status(stack.registryBaseUrl() + "/q/health/ready"));
                    gatewayReadiness.add(status(gateway.service().baseUrl() + "/q/health/ready"));
                }
                stack.backends().startPostgres();
                long restarted = System.nanoTime();
                long[] recovered = {0};
                await("reads succeed again").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            boolean ok = get(adapterUrl, seed.teamKey()) == 200;
                            if (ok) {
                                recovered[0] = System.nanoTime();
                            }
                            return ok;
                        });
                await("ready again").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250))
                        .until(() -> status(stack.registryBaseUrl() + "/q/health/ready") == 200);
                Thread.sleep(2_000);
                running.set(false);
                for (Thread reader : readers) {
                    reader.join(10_000);
                }
                seed.uploadVersion("steady");
                seed.team().sendJson("PUT", "/adapters/steady/aliases/staging", Map.of("version", 2));
                int modelsAfter = get(gateway.service().baseUrl() + "/v1/models", seed.teamKey());
                Figures figures = new Figures("postgres-restart")
                        .put("outageSeconds", Math.round((restarted - stopped) / 1e8) / 10.0)
                        .put("secondsFromRestartToFirstRead", Math.round((recovered[0] - restarted) / 1e8) / 10.0)
                        .put("readOutcomes", outcomes)
                        .put("registryReadinessDuringOutage", readiness)
                        .put("gatewayReadinessDuringOutage", gatewayReadiness)
                        .put("writesAfterRecovery", "ok")
                        .put("gatewayModelsAfterRecovery", modelsAfter)
                        .put("gatewayRestarted", gateway.process().pid() != pid || !gateway.process().isAlive());
                figures.write();
                assertTrue(readiness.contains(503), "the registry said it was not ready: " + readiness);
                assertTrue(outcomes.keySet().stream().allMatch(status -> status.equals("200")
                        || status.equals("503")), "reads during the outage: 200, or 503 with Retry-After: " + outcomes);
                assertEquals(200, modelsAfter);
                assertTrue(gateway.process().isAlive(), "the gateway kept running");
            } finally {
                gateway.stop();
            }
        }
    }

    /**
     * S3 stopped in the middle of a 200 MB base model upload and in the middle of its download: the upload is
     * refused with a problem and leaves nothing; the download never completes as a wrong file; once S3 is back
     * both work.
     */
    @Test
    void anS3OutageMidUploadOrDownloadLeavesNothingWrong() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "s3-outage");
        try (RegistryStack stack = RegistryStack.start(Map.of("QUARKUS_HTTP_LIMITS_MAX_BODY_SIZE", "1G"))) {
            Seed seed = Seed.start(stack, dir);
            Path big = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(5)
                    .withSize(8, 768, 2048, 8, 4, 259), dir.resolve("big"));
            List<Path> files;
            try (var listing = Files.list(big)) {
                files = listing.filter(Files::isRegularFile).sorted().toList();
            }
            long total = 0;
            for (Path file : files) {
                total += Files.size(file);
            }
            // mid-upload: the body is spooled to disk, then streamed to S3; stop S3 somewhere in between
            AtomicLong sent = new AtomicLong();
            CompletableFuture<JsonNode> upload = CompletableFuture.supplyAsync(() -> seed.admin().upload(
                    "/base-models", Map.of("name", "big", "revision", "v1"), "file", files, sent::set));
            long threshold = total * 9 / 10;
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(5))
                    .until(() -> sent.get() >= threshold || upload.isDone());
            stack.backends().stopS3();
            String uploadOutcome = upload.handle((ok, failed) -> failed == null ? "stored"
                    : failed.getCause() != null ? failed.getCause().getMessage() : failed.getMessage()).get();
            int health = status(stack.registryBaseUrl() + "/q/health/ready");
            boolean storedDuringOutage = seed.exists("/base-models/big@v1");
            stack.backends().startS3();
            if (!storedDuringOutage) {
                seed.admin().upload("/base-models", Map.of("name", "big", "revision", "v1"), "file", files,
                        bytes -> { });
            }
            // mid-download: read a fifth of model.safetensors, stop S3, read on
            JsonNode base = seed.admin().getJson("/base-models/big@v1");
            JsonNode model = null;
            for (JsonNode file : base.path("files")) {
                if (file.path("name").asText().equals("model.safetensors")) {
                    model = file;
                }
            }
            String url = stack.registryBaseUrl() + model.path("downloadPath").asText();
            String expected = model.path("sha256").asText();
            String cutDownload = download(url, seed, 0.2, stack);
            String afterwards = download(url, seed, 2.0, stack);
            Figures figures = new Figures("s3-outage")
                    .put("uploadBytes", total)
                    .put("uploadWhenS3Stopped", uploadOutcome)
                    .put("registryReadinessDuringOutage", health)
                    .put("uploadStoredDespiteTheOutage", storedDuringOutage)
                    .put("downloadWhenS3Stopped", cutDownload.equals(expected) ? "completed intact" : cutDownload)
                    .put("downloadAfterRestart", afterwards.equals(expected) ? "intact" : afterwards);
            figures.write();
            assertTrue(storedDuringOutage == uploadOutcome.equals("stored"),
                    "an upload is stored exactly when it was answered as stored: " + uploadOutcome);
            assertEquals(expected, afterwards, "the download after the outage is intact");
            assertTrue(cutDownload.equals(expected) || !cutDownload.matches("[0-9a-f]{64}"),
                    "a cut download never ends as a complete wrong file: " + cutDownload);
        }
    }

    /**
     * Downloads {@code url}, stopping S3 after {@code stopAt} of the bytes (S3 is started again afterwards); the
     * SHA-256 of a download that ended cleanly with every byte, else what went wrong.
     */
    private static String download(String url, Seed seed, double stopAt, RegistryStack stack) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + seed.teamKey()).build();
        HttpResponse<java.io.InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        long read = 0;
        boolean stopped = false;
        try (java.io.InputStream in = response.body()) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
                read += n;
                if (!stopped && length > 0 && read >= stopAt * length) {
                    stack.backends().stopS3();
                    stopped = true;
                }
            }
        } catch (java.io.IOException cut) {
            return "cut after " + read + " of " + length + " bytes (" + cut.getClass().getSimpleName() + ")";
        } finally {
            if (stopped) {
                stack.backends().startS3();
            }
        }
        if (response.statusCode() != 200 || (length >= 0 && read != length)) {
            return "status " + response.statusCode() + ", " + read + " of " + length + " bytes";
        }
        return java.util.HexFormat.of().formatHex(sha.digest());
    }

    private static Thread consume(String bootstrap, List<JsonNode> received, AtomicBoolean consuming) {
        Thread thread = new Thread(() -> {
            Properties properties = new Properties();
            properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            properties.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
                List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                while (consuming.get()) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        try {
                            received.add(JSON.readTree(record.value()));
                        } catch (java.io.IOException unreadable) {
                            throw new IllegalStateException("an unreadable event", unreadable);
                        }
                    }
                }
            }
        }, "burst-consumer");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static List<JsonNode> moves(List<JsonNode> received) {
        return received.stream().filter(e -> e.path("type").asText().endsWith("alias.moved")
                && e.path("data").path("alias").asText().equals("staging")
                && e.path("data").path("adapterName").asText().startsWith("burst-")).toList();
    }

    private static Set<String> distinctMoves(List<JsonNode> received) {
        Set<String> ids = new HashSet<>();
        moves(received).forEach(e -> ids.add(e.path("id").asText()));
        return ids;
    }

    private static int status(String url) {
        return get(url, null);
    }

    private static int get(String url, String key) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
            if (key != null) {
                request.header("Authorization", "Bearer " + key);
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
