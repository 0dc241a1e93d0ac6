package dev.adapterhub.transfer;

import dev.adapterhub.testsupport.TestKeys;
import dev.adapterhub.engine.testkit.RandomAdapters;
import dev.adapterhub.engine.testkit.TinyLlamaGenerator;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import dev.adapterhub.formats.hf.LlamaConfig;
import dev.adapterhub.testsupport.KafkaTopicProbe;
import dev.adapterhub.testsupport.RegistryStackTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/**
 * The transfer service against a real registry (its packaged application on real PostgreSQL, Kafka and S3): a
 * supersede plans one TRANSFER per served version, production first, and a redelivered event plans nothing twice;
 * transfers on demand, listing, cancelling, and the registry's refusals passed on. No worker runs here, so the
 * planned jobs stay QUEUED (training-worker's end-to-end test runs them).
 */
@QuarkusTest
@WithTestResource(value = RegistryStackTestResource.class, scope = TestResourceScope.GLOBAL)
class TransferServiceIT {

    private static final String REGISTRY_EVENTS = "adapterhub.registry.events.v1";
    private static Path dir;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @BeforeAll
    static void scratch() throws Exception {
        dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "transfer-tests"));
        registry().contentType(ContentType.JSON).body(Map.of("name", "nlp")).post("/teams")
                .then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(201),
                        org.hamcrest.Matchers.is(409)));
    }

    @Test
    void aSupersedePlansOneTransferPerServedVersionProductionFirstAndOnlyOnce() throws Exception {
        String old = base("old", 1);
        String next = base("next", 2);
        String a = adapterWithVersions(old, 2);
        String b = adapterWithVersions(old, 1);
        alias(a, "staging", 2);
        alias(a, "production", 1);
        alias(b, "canary", 1);
        String unserved = adapterWithVersions(old, 1);

        try (KafkaTopicProbe events = KafkaTopicProbe.mark(bootstrapServers, REGISTRY_EVENTS)) {
            registry().contentType(ContentType.JSON).body(Map.of("supersededBy", next))
                    .post("/base-models/" + old + "/supersede").then().statusCode(200);
            await("three transfers planned").atMost(Duration.ofSeconds(60)).until(() ->
                    transfers(a).size() + transfers(b).size() == 3);
            List<Map<String, Object>> ofA = transfers(a);
            assertThat(ofA.stream().map(t -> (String) t.get("sourceVersion")).sorted().toList(),
                    contains(a + "@1", a + "@2"));
            assertThat(transfers(b).get(0).get("promoteAliases"), is(List.of("canary")));
            assertThat(transfers(unserved), hasSize(0));
            // production first: its job was submitted before the others.
            List<Map<String, Object>> all = given().queryParam("size", 100).get("/api/v1/transfers").then()
                    .statusCode(200).extract().jsonPath().getList("items");
            List<String> order = all.stream().map(t -> (String) t.get("sourceVersion"))
                    .filter(v -> v.equals(a + "@1") || v.equals(a + "@2") || v.equals(b + "@1")).toList();
            assertThat("newest first, so production is last", order.get(order.size() - 1), is(a + "@1"));
            Map<String, Object> production = ofA.stream().filter(t -> (a + "@1").equals(t.get("sourceVersion")))
                    .findFirst().orElseThrow();
            assertThat(production.get("state"), is("QUEUED"));
            assertThat(production.get("kitStatus"), is("NONE"));
            assertThat(production.get("targetBaseModel"), is(next));

            // Redelivery: the same event again plans nothing new.
            ConsumerRecord<String, String> superseded = events.awaitRecords(
                    r -> r.value().contains("\"type\":\"dev.adapterhub.registry.base-model.superseded\"")
                            && r.value().contains(old.split("@")[0]), 1, Duration.ofSeconds(30)).get(0);
            String marker = a;
            publish(superseded.key(), superseded.value());
            publish("ignored", "{\"not\": \"a cloud event\"");
            // A later supersede of another base is planned too: proves the consumer read past the redelivery.
            String other = base("other", 3);
            String c = adapterWithVersions(other, 1);
            alias(c, "production", 1);
            registry().contentType(ContentType.JSON).body(Map.of("supersededBy", next))
                    .post("/base-models/" + other + "/supersede").then().statusCode(200);
            await("the later supersede planned").atMost(Duration.ofSeconds(60)).until(() -> transfers(c).size() == 1);
            assertThat(transfers(marker), hasSize(2));
            assertThat(transfers(b), hasSize(1));
        }
    }

    @Test
    void transfersOnDemandCanBeFollowedCancelledAndAreRefusedWithTheRegistrysReason() throws Exception {
        String from = base("from", 4);
        String to = base("to", 5);
        String a = adapterWithVersions(from, 1);
        alias(a, "production", 1);
        String noAlias = adapterWithVersions(from, 1);

        JsonPath plan = given().contentType(ContentType.JSON)
                .body(Map.of("targetBaseModel", to, "adapters", List.of(a, noAlias), "idempotencyKey", "k-" + a))
                .post("/api/v1/transfers").then().statusCode(201).extract().jsonPath();
        assertThat(plan.getList("planned"), hasSize(1));
        assertThat(plan.getList("refused"), hasSize(0));
        String id = plan.getString("planned[0].id");
        // Same key: the same transfer, not a second one.
        given().contentType(ContentType.JSON).body(Map.of("targetBaseModel", to, "adapters", List.of(a),
                "idempotencyKey", "k-" + a)).post("/api/v1/transfers").then().statusCode(201)
                .body("planned[0].id", equalTo(id));
        // Without a key, but while that transfer is live: still the same one (one transfer per version at a time).
        given().contentType(ContentType.JSON).body(Map.of("targetBaseModel", to, "adapters", List.of(a)))
                .post("/api/v1/transfers").then().statusCode(201).body("planned[0].id", equalTo(id));
        given().get("/api/v1/transfers/" + id).then().statusCode(200).body("sourceVersion", equalTo(a + "@1"))
                .body("state", equalTo("QUEUED")).body("promoteAliases", equalTo(List.of("production")))
                .body("percent", equalTo(0.0f));
        given().contentType(ContentType.JSON).body(Map.of("note", "not now"))
                .post("/api/v1/transfers/" + id + "/cancel").then().statusCode(200).body("state", equalTo("CANCELLED"));
        problem(given().contentType(ContentType.JSON).post("/api/v1/transfers/" + id + "/cancel").then()
                .extract().response().statusCode(), 409);
        problem(given().contentType(ContentType.JSON).post("/api/v1/transfers/" + id + "/promote").then()
                .extract().response().statusCode(), 409);
        // Once it ended, a new request plans a new transfer, with the settings it asks for.
        String again = given().contentType(ContentType.JSON).body(Map.of("targetBaseModel", to, "adapters",
                List.of(a), "goal", 40, "gateMargin", 0.05, "copyFirst", true)).post("/api/v1/transfers").then()
                .statusCode(201).body("planned[0].goal", equalTo(40)).extract().path("planned[0].id");
        assertThat(again.equals(id), is(false));
        JsonPath job = registry().get("/training-jobs/" + again).then().extract().jsonPath();
        assertThat(job.getFloat("transfer.gateMargin"), is(0.05f));
        assertThat(job.getBoolean("transfer.copyFirst"), is(true));
        given().contentType(ContentType.JSON).body(Map.of("targetBaseModel", to, "adapters", List.of(a), "goal", 0))
                .post("/api/v1/transfers").then().statusCode(400).body("detail", containsString("goal"));

        // Already on that base: the registry's 409 comes back per version, nothing is planned.
        JsonPath same = given().contentType(ContentType.JSON)
                .body(Map.of("targetBaseModel", from, "adapters", List.of(a))).post("/api/v1/transfers").then()
                .statusCode(201).extract().jsonPath();
        assertThat(same.getList("planned"), hasSize(0));
        assertThat(same.getString("refused[0].reason"), containsString("already on"));

        given().get("/api/v1/transfers/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        given().get("/api/v1/transfers/not-a-uuid").then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("adapters", List.of(a))).post("/api/v1/transfers").then()
                .statusCode(400).body("detail", containsString("targetBaseModel"));
        given().contentType(ContentType.JSON).body(Map.of("targetBaseModel", to, "adapters", List.of("nobody")))
                .post("/api/v1/transfers").then().statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of("targetBaseModel", to, "adapters", List.of(a),
                "team", "nlp")).post("/api/v1/transfers").then().statusCode(400);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void everyCallIsTheRegistrysCallerActingWithinItsRole() throws Exception {
        String from = base("authfrom", 6);
        String to = base("authto", 7);
        String a = adapterWithVersions(from, 1);
        alias(a, "production", 1);
        String reader = teamKey("nlp", "READER");
        String writer = teamKey("nlp", "WRITER");
        String outsider = teamKey(ensureTeam("elsewhere"), "ADMIN");
        Map<String, Object> plan = Map.of("targetBaseModel", to, "adapters", List.of(a));

        given().auth().none().get("/api/v1/transfers").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", containsString("Bearer"));
        given().auth().oauth2("ahk_nosuchkey000_" + "x".repeat(43)).get("/api/v1/transfers").then().statusCode(401);
        // another team's private adapter does not exist for the caller; a reader may not plan
        given().auth().oauth2(outsider).contentType(ContentType.JSON).body(plan).post("/api/v1/transfers")
                .then().statusCode(404);
        given().auth().oauth2(reader).contentType(ContentType.JSON).body(plan).post("/api/v1/transfers")
                .then().statusCode(403).contentType("application/problem+json");
        String id = given().auth().oauth2(writer).contentType(ContentType.JSON).body(plan)
                .post("/api/v1/transfers").then().statusCode(201).extract().path("planned[0].id");
        // the registry records who asked, through the transfer service's account
        registry().get("/training-jobs/" + id).then()
                .body("createdBy", equalTo("service:transfer-service for key:nlp/writer-" + writerSuffix));
        given().auth().oauth2(outsider).get("/api/v1/transfers/" + id).then().statusCode(404);
        assertThat(given().auth().oauth2(outsider).queryParam("adapter", a).get("/api/v1/transfers").then()
                .statusCode(200).extract().<Integer>path("total"), is(0));
        // what the caller changes, the registry decides as the caller: a reader may not cancel
        given().auth().oauth2(reader).contentType(ContentType.JSON).post("/api/v1/transfers/" + id + "/cancel")
                .then().statusCode(403);
        given().auth().oauth2(writer).contentType(ContentType.JSON).post("/api/v1/transfers/" + id + "/cancel")
                .then().statusCode(200).body("state", equalTo("CANCELLED"));
    }

    /**
     * Every transfer endpoint × anonymous, an admin of another team, the owning team's reader, writer and admin, a
     * service account that is not the transfer service's, and the platform admin; a refused call changes no transfer.
     */
    @Test
    void everyEndpointAnswersEveryCallerAsTheRolesSay() throws Exception {
        String from = base("mxfrom", 8);
        String to = base("mxto", 9);
        String a = adapterWithVersions(from, 1);
        alias(a, "production", 1);
        String outsider = teamKey(ensureTeam("elsewhere"), "ADMIN");
        List<String> callers = List.of("anonymous", "other", "reader", "writer", "admin", "worker", "platform");
        Map<String, String> keyOf = new java.util.HashMap<>();
        keyOf.put("other", outsider);
        keyOf.put("reader", teamKey("nlp", "READER"));
        keyOf.put("writer", teamKey("nlp", "WRITER"));
        keyOf.put("admin", teamKey("nlp", "ADMIN"));
        keyOf.put("worker", dev.adapterhub.testsupport.TestKeys.WORKER);
        keyOf.put("platform", TestKeys.ADMIN);
        Map<String, Object> plan = Map.of("targetBaseModel", to, "adapters", List.of(a));
        java.util.function.Supplier<String> live = () -> given().contentType(ContentType.JSON).body(plan)
                .post("/api/v1/transfers").then().statusCode(201).extract().path("planned[0].id");

        record Row(String method, java.util.function.Supplier<String> path, Object body, int... expected) {
        }
        List<Row> rows = List.of(
                new Row("GET", () -> "/api/v1/transfers", null, 401, 200, 200, 200, 200, 200, 200),
                new Row("GET", () -> "/api/v1/transfers/" + live.get(), null, 401, 404, 200, 200, 200, 200, 200),
                new Row("POST", () -> "/api/v1/transfers", plan, 401, 404, 403, 201, 201, 403, 201),
                new Row("POST", () -> "/api/v1/transfers/" + live.get() + "/cancel", Map.of(),
                        401, 404, 403, 200, 200, 403, 200),
                // not awaiting a review: the callers allowed to review reach that rule
                new Row("POST", () -> "/api/v1/transfers/" + live.get() + "/promote", Map.of(),
                        401, 404, 403, 403, 409, 403, 409),
                new Row("POST", () -> "/api/v1/transfers/" + live.get() + "/reject", Map.of(),
                        401, 404, 403, 403, 409, 403, 409));
        List<String> mismatches = new java.util.ArrayList<>();
        for (Row row : rows) {
            for (int i = 0; i < callers.size(); i++) {
                String path = row.path().get();
                String before = transfersOf(a);
                RequestSpecification request = callers.get(i).equals("anonymous") ? given().auth().none()
                        : given().auth().oauth2(keyOf.get(callers.get(i)));
                if (row.body() != null) {
                    request.contentType(ContentType.JSON).body(row.body());
                }
                int status = request.request(row.method(), path).statusCode();
                if (status != row.expected()[i]) {
                    mismatches.add(row.method() + " " + path + " as " + callers.get(i) + ": " + status + " (expected "
                            + row.expected()[i] + ")");
                } else if (status >= 400 && !before.equals(transfersOf(a))) {
                    mismatches.add(row.method() + " " + path + " as " + callers.get(i) + " was refused but changed "
                            + "the transfers");
                }
            }
        }
        assertThat(String.join("\n", mismatches), mismatches, hasSize(0));
    }

    /** The adapter's transfers and their states, as the registry holds them. */
    private static String transfersOf(String adapter) {
        return registry().get("/training-jobs?kind=TRANSFER&size=100&adapter=" + adapter).then().statusCode(200)
                .extract().jsonPath().getList("items.collect { it.id + ':' + it.state }").toString();
    }

    private int keys;
    private String writerSuffix;

    private String teamKey(String team, String role) {
        String name = role.toLowerCase() + "-" + (++keys);
        if (role.equals("WRITER")) {
            writerSuffix = String.valueOf(keys);
        }
        return registry().contentType(ContentType.JSON).body(Map.of("name", name, "role", role))
                .post("/teams/" + team + "/api-keys").then().statusCode(201).extract().path("key");
    }

    private static String ensureTeam(String team) {
        registry().contentType(ContentType.JSON).body(Map.of("name", team)).post("/teams")
                .then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(201),
                        org.hamcrest.Matchers.is(409)));
        return team;
    }

    @Test
    void aVersionPromotedOntoABaseSupersededMeanwhileMovesOn() throws Exception {
        String from = base("first", 6);
        String middle = base("middle", 7);
        String last = base("last", 8);
        String a = adapterWithVersions(from, 1);
        alias(a, "production", 1);
        String id = given().contentType(ContentType.JSON).body(Map.of("targetBaseModel", middle, "adapters",
                List.of(a))).post("/api/v1/transfers").then().statusCode(201).extract().path("planned[0].id");
        // The middle base is superseded while the transfer waits: nothing of this adapter is served there yet.
        registry().contentType(ContentType.JSON).body(Map.of("supersededBy", last))
                .post("/base-models/" + middle + "/supersede").then().statusCode(200);

        // Play the worker: claim, hand in a version that passes the gate.
        String token = registry().contentType(ContentType.JSON).body(Map.of("workerId", "it-worker", "attempt", 1))
                .post("/training-jobs/" + id + "/claim").then().statusCode(200).extract().path("leaseToken");
        Path peft = RandomAdapters.lora(LlamaConfig.read(dir.resolve(middle.split("@")[0])), dir.resolve(a + "-moved"),
                List.of("q_proj", "v_proj"), 2, 2, 9, middle);
        RequestSpecification complete = registry().multiPart("leaseToken", token)
                .multiPart("transferMethod", "TRANS_LORA").multiPart("metrics", "["
                        + "{\"name\": \"transfer_source_exact_match\", \"value\": 0.5, \"split\": \"eval\"},"
                        + "{\"name\": \"transfer_target_base_exact_match\", \"value\": 0.1, \"split\": \"eval\"},"
                        + "{\"name\": \"eval_exact_match\", \"value\": 0.6, \"split\": \"eval\"}]");
        for (String f : List.of("adapter_config.json", "adapter_model.safetensors")) {
            complete.multiPart("file", f, Files.readAllBytes(peft.resolve(f)), "application/octet-stream");
        }
        complete.post("/training-jobs/" + id + "/complete").then().statusCode(200)
                .body("job.gate.decision", equalTo("PROMOTED"));

        await("the promoted version moves on").atMost(Duration.ofSeconds(60)).until(() -> transfers(a).size() == 2);
        Map<String, Object> onward = transfers(a).get(0);
        assertThat(onward.get("sourceVersion"), is(a + "@2"));
        assertThat(onward.get("targetBaseModel"), is(last));
        assertThat(onward.get("promoteAliases"), is(List.of("production")));
    }

    private static void problem(int status, int expected) {
        assertThat(status, is(expected));
    }

    private List<Map<String, Object>> transfers(String adapter) {
        return given().queryParam("adapter", adapter).get("/api/v1/transfers").then().statusCode(200).extract()
                .jsonPath().getList("items");
    }

    private void publish(String key, String value) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(REGISTRY_EVENTS, key, value)).get();
        }
    }

    private static RequestSpecification registry() {
        return given().baseUri(RegistryStackTestResource.registryUrl()).auth().oauth2(TestKeys.ADMIN);
    }

    /** A tiny random base model registered under a fresh name; returns name@v1. */
    private static String base(String prefix, long seed) throws Exception {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        Path checkpoint = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(seed), dir.resolve(name));
        RequestSpecification r = registry().multiPart("name", name).multiPart("revision", "v1");
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json")) {
            r.multiPart("file", f, Files.readAllBytes(checkpoint.resolve(f)), "application/octet-stream");
        }
        r.when().post("/base-models").then().statusCode(201);
        return name + "@v1";
    }

    /** An adapter on {@code base} with {@code versions} uploaded LoRA versions (no transfer kit). */
    private static String adapterWithVersions(String base, int versions) throws Exception {
        String name = "a-" + UUID.randomUUID().toString().substring(0, 8);
        registry().contentType(ContentType.JSON).body(Map.of("name", name, "team", "nlp", "baseModel", base,
                "method", "LORA")).post("/adapters").then().statusCode(201);
        LlamaConfig config = LlamaConfig.read(dir.resolve(base.split("@")[0]));
        for (int v = 1; v <= versions; v++) {
            Path peft = RandomAdapters.lora(config, dir.resolve(name + "-" + v), List.of("q_proj", "v_proj"), 2, 2,
                    v, base);
            RequestSpecification r = registry();
            for (String f : List.of("adapter_config.json", "adapter_model.safetensors")) {
                r.multiPart("file", f, Files.readAllBytes(peft.resolve(f)), "application/octet-stream");
            }
            r.post("/adapters/" + name + "/versions").then().statusCode(201);
        }
        return name;
    }

    private static void alias(String adapter, String alias, int version) {
        registry().contentType(ContentType.JSON).body(Map.of("version", String.valueOf(version)))
                .put("/adapters/" + adapter + "/aliases/" + alias).then().statusCode(201);
    }
}
