package dev.adapterhub.adapterctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.engine.testkit.RandomAdapters;
import dev.adapterhub.engine.testkit.TinyLlamaGenerator;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import dev.adapterhub.formats.hf.LlamaConfig;
import dev.adapterhub.localstack.ServiceProcess;
import dev.adapterhub.testsupport.RegistryStack;
import dev.adapterhub.testsupport.ServiceProcesses;
import dev.adapterhub.testsupport.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * adapterctl end to end, as a pipeline uses it: against a registry and a training worker running as processes on
 * real PostgreSQL, Kafka and S3. Each call runs the command line in this JVM and checks its exit code, its stdout
 * (JSON with {@code --output json}) and its stderr.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdapterctlST {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEAM = "cli-team";

    private static RegistryStack stack;
    private static ServiceProcess worker;
    private static Path dir;
    private static Path config;
    private static String teamKey;

    record Result(int code, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + out + "\nstderr: " + err, e);
            }
        }
    }

    @BeforeAll
    static void start() throws Exception {
        stack = RegistryStack.start();
        worker = ServiceProcesses.worker(stack, "cli-worker", 8, 5);
        dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "adapterctl-");
        config = dir.resolve("config.json");
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.stop();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void loginKeepsAProfileAndTheAdminSetsUpATeamAndItsKey() {
        Result login = run(Map.of(), "login", "--registry", stack.registryBaseUrl(), "--key", TestKeys.ADMIN,
                "--name", "admin");
        assertEquals(0, login.code(), login.err());
        assertTrue(login.out().contains("service:platform-admin"), login.out());
        assertEquals("service:platform-admin", run(Map.of(), "whoami", "--output", "json").json().get("name")
                .asText());

        assertEquals(0, run(Map.of(), "teams", "create", TEAM).code());
        Result key = run(Map.of(), "keys", "create", "--team", TEAM, "--name", "ci", "--role", "ADMIN");
        assertEquals(0, key.code(), key.err());
        teamKey = key.out().strip();
        assertTrue(teamKey.startsWith("ahk_"), key.out());
        Result listed = run(Map.of(), "keys", "list", "--team", TEAM, "--output", "json");
        assertEquals("ci", listed.json().get(0).get("name").asText());
        assertTrue(!listed.out().contains(teamKey.substring(17)), "the key is never listed");

        Result bad = run(Map.of("ADAPTERHUB_API_KEY", "ahk_nosuchkey000_" + "x".repeat(43)), "--profile", "none",
                "--registry", stack.registryBaseUrl(), "whoami");
        assertEquals(ExitCodes.DENIED, bad.code(), bad.err());
        assertEquals(ExitCodes.USAGE, run(Map.of(), "adapters", "create").code(), "missing options are usage errors");
    }

    @Test
    @Order(2)
    void aTeamRegistersUploadsAndPromotesWithCompareAndSet() throws Exception {
        Path base = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(3), dir.resolve("base"));
        assertEquals(0, run(Map.of(), "base-models", "register", "--name", "cli-tiny", "--revision", "v1",
                base.toString()).code());
        Map<String, String> asTeam = Map.of("ADAPTERHUB_API_KEY", teamKey);
        Result created = run(asTeam, "--registry", stack.registryBaseUrl(), "adapters", "create", "cli-adapter",
                "--base-model", "cli-tiny@v1", "--method", "LORA", "--output", "json");
        assertEquals(0, created.code(), created.err());
        assertEquals(TEAM, created.json().get("team").asText());

        Path peft = RandomAdapters.lora(LlamaConfig.read(base), dir.resolve("peft"), List.of("q_proj", "v_proj"), 2,
                2, 7, "cli-tiny");
        Result upload = run(asTeam, "--registry", stack.registryBaseUrl(), "versions", "upload", "cli-adapter",
                peft.toString(), "--output", "json");
        assertEquals(0, upload.code(), upload.err());
        assertEquals(1, upload.json().get("version").asInt());
        assertTrue(upload.err().contains("upload ["), "a progress bar on stderr: " + upload.err());

        assertEquals(0, run(asTeam, "--registry", stack.registryBaseUrl(), "alias", "set", "cli-adapter", "staging",
                "1").code());
        Result promoted = run(asTeam, "--registry", stack.registryBaseUrl(), "promote", "cli-adapter",
                "--expected-version", "0", "--output", "json");
        assertEquals(0, promoted.code(), promoted.err());
        assertEquals(1, promoted.json().get("version").asInt());
        Result stale = run(asTeam, "--registry", stack.registryBaseUrl(), "alias", "set", "cli-adapter",
                "production", "1", "--expected-version", "5");
        assertEquals(ExitCodes.CONFLICT, stale.code());
        assertTrue(stale.err().contains("points at"), stale.err());
        assertEquals(ExitCodes.NOT_FOUND, run(asTeam, "--registry", stack.registryBaseUrl(), "adapters", "get",
                "no-such-adapter").code());

        Result list = run(asTeam, "--registry", stack.registryBaseUrl(), "adapters", "list", "--alias",
                "production", "--output", "json");
        assertEquals("cli-adapter", list.json().get("items").get(0).get("name").asText());
        Result table = run(asTeam, "--registry", stack.registryBaseUrl(), "adapters", "list");
        assertTrue(table.out().startsWith("name") && table.out().contains("cli-adapter"), table.out());
    }

    @Test
    @Order(3)
    void trainWaitFollowsTheJobAndItsExitCodeSaysHowItEnded() throws Exception {
        Path data = dir.resolve("train.jsonl");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            lines.append("{\"prompt\": \"ticket ").append(i).append(": printer jams\", \"completion\": \"summary ")
                    .append(i).append("\"}\n");
        }
        Files.writeString(data, lines);
        Map<String, String> asTeam = Map.of("ADAPTERHUB_API_KEY", teamKey, "ADAPTERHUB_URL", stack.registryBaseUrl());
        Result trained = run(asTeam, "train", "--adapter", "cli-trained", "--base-model", "cli-tiny@v1",
                "--dataset", data.toString(), "--method", "LORA", "--set", "steps=12", "--set", "rank=2",
                "--set", "batchSize=4", "--no-transfer-kit", "--wait", "--poll", "PT0.5S", "--output", "json");
        assertEquals(0, trained.code(), trained.err());
        assertEquals("SUCCEEDED", trained.json().get("state").asText());
        assertTrue(trained.err().contains("%"), "progress on stderr: " + trained.err());
        String job = trained.json().get("id").asText();
        Result metrics = run(asTeam, "versions", "metrics", "cli-trained", "1", "--output", "json");
        assertEquals(0, metrics.code(), metrics.err());
        assertTrue(metrics.json().isArray() && metrics.json().size() > 0, metrics.out());
        Result events = run(asTeam, "events", "tail", job);
        assertEquals(0, events.code());
        assertTrue(events.out().contains("Published cli-trained@1"), events.out());

        // a job cancelled while followed: exit 4
        String queued = run(asTeam, "train", "--adapter", "cli-trained", "--base-model", "cli-tiny@v1",
                "--dataset", data.toString(), "--method", "LORA", "--set", "steps=400", "--set", "rank=2",
                "--no-transfer-kit").out().strip();
        Result timedOut = run(asTeam, "jobs", "wait", queued, "--timeout", "PT1S", "--poll", "PT0.2S");
        assertEquals(ExitCodes.TIMEOUT, timedOut.code(), timedOut.err());
        assertEquals(0, run(asTeam, "jobs", "cancel", queued, "--reason", "not needed").code());
        assertEquals(ExitCodes.JOB_CANCELLED, run(asTeam, "jobs", "wait", queued).code());
        // a request the registry refuses: exit 9 with its reason
        Result invalid = run(asTeam, "train", "--adapter", "cli-trained", "--base-model", "cli-tiny@v1",
                "--dataset", data.toString(), "--method", "LORA", "--set", "rnak=2", "--wait");
        assertEquals(ExitCodes.REJECTED, invalid.code());
        assertTrue(invalid.err().contains("rnak"), invalid.err());
    }

    @Test
    @Order(4)
    void webhooksAreAddedTestedAndTheirLogRead() throws Exception {
        try (Receiver receiver = new Receiver()) {
            Map<String, String> asTeam = Map.of("ADAPTERHUB_API_KEY", teamKey, "ADAPTERHUB_URL",
                    stack.registryBaseUrl());
            Result added = run(asTeam, "webhooks", "add", "--team", TEAM, "--url", receiver.url(), "--event",
                    "dev.adapterhub.registry.*", "--output", "json");
            assertEquals(0, added.code(), added.err());
            String id = added.json().at("/webhook/id").asText();
            assertTrue(added.json().get("secret").asText().startsWith("whsec_"));
            assertEquals(0, run(asTeam, "webhooks", "test", "--team", TEAM, id).code());
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received() >= 1);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Result delivered = run(asTeam, "webhooks", "deliveries", "--team", TEAM, id, "--state", "DELIVERED",
                        "--output", "json");
                assertEquals(1, delivered.json().get("total").asInt(), "the test event alone: " + delivered.out());
            });
            assertEquals(ExitCodes.REJECTED, run(asTeam, "webhooks", "add", "--team", TEAM, "--url",
                    "http://169.254.169.254/latest", "--event", "*").code(), "the SSRF guard refuses");
        }
    }

    /** A webhook receiver on localhost (the test registry allows it) that counts what it gets. */
    private static final class Receiver implements AutoCloseable {
        private final com.sun.net.httpserver.HttpServer server;
        private final java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();

        Receiver() throws java.io.IOException {
            server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(0), 0);
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                received.incrementAndGet();
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://localhost:" + server.getAddress().getPort() + "/hook";
        }

        int received() {
            return received.get();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> environment = new HashMap<>(env);
        environment.put("ADAPTERCTL_CONFIG", config.toString());
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Adapterctl.run(args, o, e, environment);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
