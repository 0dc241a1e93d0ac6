package dev.adapterhub.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adapterhub.formats.digest.Sha256;
import dev.adapterhub.registry.storage.ObjectStorage;
import dev.adapterhub.registry.support.Api;
import dev.adapterhub.registry.support.EventAssertions;
import dev.adapterhub.registry.support.Fixtures;
import dev.adapterhub.registry.support.Jobs;
import dev.adapterhub.registry.support.State;
import dev.adapterhub.testsupport.BackendsTestResource;
import dev.adapterhub.testsupport.KafkaTopicProbe;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Datasets and training jobs: validation, idempotency, the state machine, leases, and their events. */
@QuarkusTest
@WithTestResource(value = BackendsTestResource.class, scope = TestResourceScope.GLOBAL)
class TrainingJobIT {

    @Inject
    DataSource dataSource;

    @Inject
    ObjectStorage storage;

    @Test
    void datasetsAreStoredOncePerDigest() {
        byte[] bytes = Jobs.jsonl(25);
        String expected = "sha256:" + Sha256.hex(bytes);
        Response first = Jobs.uploadDataset(bytes);
        first.then().statusCode(201).body("digest", equalTo(expected)).body("exampleCount", equalTo(25))
                .body("sizeBytes", equalTo(bytes.length)).body("createdBy", equalTo(Api.ADMIN));
        assertTrue(storage.exists(ObjectStorage.blobKey(Sha256.hex(bytes))));
        String id = first.path("id");

        Jobs.uploadDataset(bytes).then().statusCode(200).body("id", equalTo(id));
        given().get("/api/v1/datasets/" + expected).then().statusCode(200).body("id", equalTo(id));
        given().get("/api/v1/datasets/" + id).then().statusCode(200).body("digest", equalTo(expected));
        Api.assertProblem(given().get("/api/v1/datasets/sha256:" + "0".repeat(64)), 404);
        Api.assertProblem(given().get("/api/v1/datasets/not-a-digest"), 400);
    }

    @Test
    void malformedDatasetsAreRejectedAndNothingIsStored() {
        State before = State.take(dataSource, storage);
        Map<String, Long> rows = Jobs.rows(dataSource);
        String bad = "{\"prompt\": \"a\", \"completion\": \"b\"}\n"
                + "not json\n"
                + "\n"
                + "[1, 2]\n"
                + "{\"prompt\": 3, \"completion\": \"b\"}\n"
                + "{\"prompt\": \"a\", \"completion\": \"\"}\n";
        Api.assertProblem(Jobs.uploadDataset(bad.getBytes(StandardCharsets.UTF_8)), 422)
                .then().body("violations", equalTo(List.of("line 2: not valid JSON", "line 4: not a JSON object",
                        "line 5: \"prompt\" must be a string", "line 6: \"completion\" must be a non-empty string")));
        Api.assertProblem(Jobs.uploadDataset("\n\n".getBytes(StandardCharsets.UTF_8)), 422)
                .then().body("violations", hasItem("the file holds no examples"));
        Api.assertProblem(Jobs.uploadDataset(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}', '\n'}), 422)
                .then().body("violations", hasItem(containsString("not valid UTF-8")));
        Api.assertProblem(given().multiPart("other", "x").post("/api/v1/datasets"), 400);
        assertEquals(before, State.take(dataSource, storage));
        assertEquals(rows, Jobs.rows(dataSource));
    }

    @Test
    void invalidSubmissionsAreRejectedAndNothingIsPersisted() {
        String base = Api.registerTinyBase();
        String dataset = Jobs.dataset(20);
        String loraAdapter = Api.createAdapter(base, "LORA");
        EventAssertions.awaitDrained(dataSource);
        Map<String, Long> before = Jobs.rows(dataSource);

        Api.assertProblem(Jobs.submit(Jobs.request(Api.unique("nobase") + "@v1", dataset, "LORA",
                Api.unique("a"))), 404).then().body("detail", containsString("Base model"));
        Api.assertProblem(Jobs.submit(Jobs.request(base, "sha256:" + "1".repeat(64), "LORA", Api.unique("a"))), 404)
                .then().body("detail", containsString("Dataset"));
        Api.assertProblem(Jobs.submit(Jobs.request(base, "bad", "LORA", Api.unique("a"))), 400);
        Api.assertProblem(Jobs.submit(Jobs.request(base, dataset, "DORA", Api.unique("a"))), 400);
        Api.assertProblem(Jobs.submit(Jobs.request(base, dataset, "LORA", "bad name")), 400);
        Map<String, Object> noTeam = Jobs.request(base, dataset, "LORA", Api.unique("a"));
        noTeam.remove("team");
        Api.assertProblem(Jobs.submit(noTeam), 400).then().body("detail", containsString("team"));
        Api.assertProblem(Jobs.submit(Jobs.request(base, dataset, "SHIRA", loraAdapter)), 409)
                .then().body("detail", containsString("method"));

        Map<String, Object> bad = Jobs.request(base, dataset, "LORA", Api.unique("a"));
        Map<String, Object> hp = new LinkedHashMap<>();
        hp.put("rank", 0);
        hp.put("learningRate", 5.0);
        hp.put("targetModules", List.of("q_proj", "nonexistent_proj"));
        hp.put("shiraMaskType", "SNIP");
        hp.put("steps", 10);
        hp.put("epochs", 2);
        bad.put("hyperparameters", hp);
        Api.assertProblem(Jobs.submit(bad), 400).then()
                .body("type", equalTo("urn:adapterhub:problem:invalid-request"))
                .body("violations", hasItem(containsString("hyperparameters.rank")))
                .body("violations", hasItem(containsString("hyperparameters.learningRate")))
                .body("violations", hasItem(containsString("nonexistent_proj")))
                .body("violations", hasItem(containsString("shiraMaskType: applies to SHIRA only")))
                .body("violations", hasItem(containsString("steps or epochs")));
        Map<String, Object> tooHighRank = Jobs.request(base, dataset, "LORA", Api.unique("a"));
        tooHighRank.put("hyperparameters", Map.of("rank", 12, "targetModules", List.of("k_proj")));
        Api.assertProblem(Jobs.submit(tooHighRank), 400)
                .then().body("violations", hasItem(containsString("exceeds min(in, out) = 8 of k_proj")));
        Api.assertProblem(given().contentType(ContentType.JSON).body("{\"baseModel\": ")
                .post("/api/v1/training-jobs"), 400);
        Api.assertProblem(given().get("/api/v1/training-jobs/not-a-uuid"), 400);
        Api.assertProblem(given().get("/api/v1/training-jobs/" + java.util.UUID.randomUUID()), 404);
        Api.assertProblem(given().get("/api/v1/training-jobs?state=DONE"), 400);

        EventAssertions.awaitDrained(dataSource);
        assertEquals(before, Jobs.rows(dataSource));
    }

    @Test
    void anIdempotencyKeyReturnsTheFirstJob() {
        String base = Api.registerTinyBase();
        String dataset = Jobs.dataset(16);
        Map<String, Object> body = Jobs.request(base, dataset, "LORA_GA", Api.unique("ga"));
        String key = Api.unique("key");
        body.put("idempotencyKey", key);
        KafkaTopicProbe dispatch = Jobs.mark(dataSource, Jobs.DISPATCH_TOPIC);

        String id = Jobs.submit(body).then().statusCode(201).header("Location", containsString("/api/v1/training-jobs/"))
                .body("state", equalTo("QUEUED")).body("attempt", equalTo(1))
                .body("hyperparameters.loraGaGradientBatches", equalTo(8))
                .body("hyperparameters.alpha", equalTo(16.0f))
                .body("idempotencyKey", equalTo(key)).extract().path("id");
        Jobs.submit(body).then().statusCode(200).body("id", equalTo(id));
        Map<String, Object> changed = new LinkedHashMap<>(body);
        changed.put("hyperparameters", Map.of("rank", 4));
        Api.assertProblem(Jobs.submit(changed), 422)
                .then().body("type", equalTo("urn:adapterhub:problem:idempotency-key-reused"));

        List<JsonNode> dispatched = Jobs.assertEvents(dispatch, dataSource, "dev.adapterhub.training.job.dispatched",
                id, 1);
        assertEquals(1, dispatched.get(0).get("attempt").asInt());
        assertEquals(dataset, dispatched.get(0).get("datasetDigest").asText());
        given().get("/api/v1/training-jobs?adapter=" + body.get("adapterName")).then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].id", equalTo(id));
        // Leave nothing leased behind for other tests.
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/training-jobs/" + id + "/cancel")
                .then().statusCode(200);
    }

    @Test
    void aJobGoesThroughItsStatesWithOneEventPerChange() {
        String base = Api.registerTinyBase();
        String dataset = Jobs.dataset(40);
        String adapter = Api.unique("lora");
        Map<String, Object> body = Jobs.request(base, dataset, "LORA", adapter);
        body.put("hyperparameters", Map.of("batchSize", 4, "epochs", 2, "checkpointEvery", 5));
        KafkaTopicProbe dispatch = Jobs.mark(dataSource, Jobs.DISPATCH_TOPIC);
        KafkaTopicProbe events = Jobs.mark(dataSource, Jobs.EVENTS_TOPIC);
        KafkaTopicProbe registry = EventAssertions.mark(dataSource);

        // 40 examples, 4 held out (0.1); 36 / 4 = 9 steps per epoch, 2 epochs.
        String id = Jobs.submit(body).then().statusCode(201).body("totalSteps", equalTo(18))
                .body("hyperparameters.rank", equalTo(8))
                .body("hyperparameters.targetModules", equalTo(List.of("q_proj", "k_proj", "v_proj", "o_proj")))
                .extract().path("id");

        Api.assertProblem(Jobs.claim(id, 2), 409);
        Response claim = Jobs.claim(id, 1);
        claim.then().statusCode(200).body("job.state", equalTo("VALIDATING")).body("leaseToken", notNullValue())
                .body("datasetFile.sha256", equalTo(dataset.substring("sha256:".length())))
                .body("baseModelFiles.fileName", hasItem("model.safetensors"))
                .body("checkpointPrefix", equalTo("training-jobs/" + id + "/checkpoints/"));
        String token = claim.path("leaseToken");
        Api.assertProblem(Jobs.claim(id, 1), 409);

        Api.assertProblem(Jobs.post(id, "heartbeat", Map.of("leaseToken", java.util.UUID.randomUUID().toString())),
                409).then().body("type", equalTo("urn:adapterhub:problem:lease-lost"));
        Api.assertProblem(Jobs.post(id, "heartbeat", Map.of("leaseToken", token, "step", 19)), 400);
        // A phase before the steps (a transfer's synthesis, here on a training job for brevity): checked, then shown.
        Api.assertProblem(Jobs.post(id, "heartbeat", Map.of("leaseToken", token, "phase", "Synthesis!", "phaseDone", 1,
                "phaseTotal", 4)), 400);
        Api.assertProblem(Jobs.post(id, "heartbeat", Map.of("leaseToken", token, "phase", "synthesis", "phaseDone", 5,
                "phaseTotal", 4)), 400);
        Api.assertProblem(Jobs.post(id, "heartbeat", Map.of("leaseToken", token, "phaseDone", 1)), 400);
        Jobs.post(id, "heartbeat", Map.of("leaseToken", token, "phase", "synthesis", "phaseDone", 1, "phaseTotal", 4))
                .then().statusCode(200);
        given().get("/api/v1/training-jobs/" + id).then().body("phase.name", equalTo("synthesis"))
                .body("phase.done", equalTo(1)).body("phase.total", equalTo(4)).body("phase.percent", equalTo(25.0f));
        Jobs.post(id, "heartbeat", Map.of("leaseToken", token, "running", true, "message", "tokenized 36 examples"))
                .then().statusCode(200).body("state", equalTo("RUNNING"));
        Jobs.post(id, "heartbeat", Map.of("leaseToken", token, "step", 9, "loss", 2.5, "learningRate", 2e-4,
                "etaSeconds", 12.0, "evalLoss", 2.75, "checkpointStep", 5)).then().statusCode(200);
        given().get("/api/v1/training-jobs/" + id + "/progress").then().statusCode(200)
                .body("state", equalTo("RUNNING")).body("step", equalTo(9)).body("totalSteps", equalTo(18))
                .body("percent", equalTo(50.0f)).body("loss", equalTo(2.5f)).body("evalLoss", equalTo(2.75f))
                .body("etaSeconds", equalTo(12.0f)).body("lastCheckpointStep", equalTo(5))
                .body("phase.name", equalTo("training")).body("phase.done", equalTo(9)).body("phase.total", equalTo(18));

        // A retryable failure re-queues the job as attempt 2, which resumes from the checkpoint of step 5.
        Jobs.post(id, "fail", Map.of("leaseToken", token, "reason", "out of memory", "retryable", true))
                .then().statusCode(204);
        Api.assertProblem(Jobs.post(id, "heartbeat", Map.of("leaseToken", token)), 409);
        given().get("/api/v1/training-jobs/" + id).then().body("state", equalTo("QUEUED"))
                .body("attempt", equalTo(2)).body("failureReason", containsString("out of memory"));
        Api.assertProblem(Jobs.claim(id, 1), 409);
        Jobs.claim(id, 2).then().statusCode(200).body("resumeFromStep", equalTo(5));

        given().contentType(ContentType.JSON).body(Map.of("reason", "wrong dataset"))
                .post("/api/v1/training-jobs/" + id + "/cancel").then().statusCode(200)
                .body("state", equalTo("CANCELLED")).body("failureReason", equalTo("wrong dataset"))
                .body("finishedAt", notNullValue());
        Api.assertProblem(given().contentType(ContentType.JSON).body("{}")
                .post("/api/v1/training-jobs/" + id + "/cancel"), 409);

        List<JsonNode> dispatched = Jobs.assertEvents(dispatch, dataSource, "dev.adapterhub.training.job.dispatched",
                id, 2);
        assertEquals(List.of(1, 2), dispatched.stream().map(d -> d.get("attempt").asInt()).toList());
        List<JsonNode> states = Jobs.assertEvents(events, dataSource, "dev.adapterhub.training.job.state-changed",
                id, 6);
        assertEquals(List.of("QUEUED", "VALIDATING", "RUNNING", "QUEUED", "VALIDATING", "CANCELLED"),
                states.stream().map(d -> d.get("state").asText()).toList());
        assertFalse(states.get(0).has("previousState"));
        assertEquals("RUNNING", states.get(3).get("previousState").asText());
        assertTrue(states.get(3).get("reason").asText().contains("out of memory"));
        assertEquals("wrong dataset", states.get(5).get("reason").asText());
        List<JsonNode> progress = Jobs.assertEvents(events, dataSource, "dev.adapterhub.training.job.progress", id, 2);
        assertEquals("synthesis", progress.get(0).get("phase").get("name").asText());
        assertEquals(9, progress.get(1).get("step").asInt());
        assertEquals(50.0, progress.get(1).get("percent").asDouble());
        assertEquals(5, progress.get(1).get("checkpointStep").asInt());
        assertEquals("training", progress.get(1).get("phase").get("name").asText());
        EventAssertions.assertNone(registry, dataSource, id);

        List<Map<String, Object>> log = given().get("/api/v1/training-jobs/" + id + "/events").then()
                .statusCode(200).extract().jsonPath().getList("$");
        assertEquals(List.of("MESSAGE", "MESSAGE", "METRICS", "MESSAGE", "MESSAGE", "METRICS", "MESSAGE", "MESSAGE",
                "MESSAGE"), log.stream().map(e -> e.get("kind")).toList());
        assertEquals("Phase synthesis: 1/4", log.get(2).get("message"));
        assertEquals("tokenized 36 examples", log.get(4).get("message"));
        long cursor = ((Number) log.get(5).get("seq")).longValue();
        given().get("/api/v1/training-jobs/" + id + "/events?after=" + cursor).then().statusCode(200)
                .body("$", hasSize(3)).body("[2].level", equalTo("WARN"));
    }

    @Test
    void expiredLeasesAreRequeuedUntilTheAttemptsRunOut() {
        String base = Api.registerTinyBase();
        String dataset = Jobs.dataset(12);
        KafkaTopicProbe dispatch = Jobs.mark(dataSource, Jobs.DISPATCH_TOPIC);
        String id = Jobs.submit(Jobs.request(base, dataset, "SHIRA", Api.unique("shira"))).then().statusCode(201)
                .body("hyperparameters.shiraMaskType", equalTo("WEIGHT_MAGNITUDE")).extract().path("id");

        for (int attempt = 1; attempt <= 3; attempt++) {
            Jobs.claim(id, attempt).then().statusCode(200);
            int expectedNext = attempt + 1;
            String expectedState = attempt < 3 ? "QUEUED" : "FAILED";
            // No heartbeat: the reaper must take the job back once the (short, test-profile) lease expires.
            await("lease of attempt " + attempt + " expires").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> expectedState.equals(given().get("/api/v1/training-jobs/" + id).path("state")));
            if (attempt < 3) {
                given().get("/api/v1/training-jobs/" + id).then().body("attempt", equalTo(expectedNext));
            }
        }
        given().get("/api/v1/training-jobs/" + id).then().body("state", equalTo("FAILED"))
                .body("failureReason", containsString("no attempts left"))
                .body("failureReason", containsString("lost its lease"));
        List<JsonNode> dispatched = Jobs.assertEvents(dispatch, dataSource, "dev.adapterhub.training.job.dispatched",
                id, 3);
        assertEquals(List.of(1, 2, 3), dispatched.stream().map(d -> d.get("attempt").asInt()).toList());
    }

    @Test
    void completingAJobPublishesExactlyOneVersionWithLineageMetricsAndSeeds() {
        String base = Api.registerTinyBase();
        String dataset = Jobs.dataset(30);
        String adapter = Api.unique("trained");
        Map<String, Object> body = Jobs.request(base, dataset, "LORA", adapter);
        body.put("hyperparameters", Map.of("rank", 4, "steps", 6));
        KafkaTopicProbe events = Jobs.mark(dataSource, Jobs.EVENTS_TOPIC);
        KafkaTopicProbe registry = EventAssertions.mark(dataSource);
        String id = Jobs.submit(body).then().statusCode(201).extract().path("id");
        String token = Jobs.claim(id, 1).then().statusCode(200).extract().path("leaseToken");
        Jobs.post(id, "heartbeat", Map.of("leaseToken", token, "running", true, "step", 3, "loss", 3.0))
                .then().statusCode(200);

        Map<String, byte[]> files = Api.files(dev.adapterhub.registry.support.Fixtures.lora(4, 77));
        String metrics = "[{\"name\": \"eval_loss\", \"value\": 1.25, \"split\": \"validation\", \"step\": 6}]";
        String seeds = "[{\"prompt\": \"ticket 1: printer jams\", \"completion\": \"summary 1\"}]";
        // A wrong lease, and files that are not an adapter for this base, change nothing.
        Api.assertProblem(complete(id, java.util.UUID.randomUUID().toString(), files, metrics, seeds), 409);
        Map<String, byte[]> broken = new LinkedHashMap<>(files);
        broken.put("adapter_model.safetensors", new byte[] {1, 2, 3});
        Api.assertProblem(complete(id, token, broken, metrics, seeds), 422);
        Api.assertProblem(complete(id, token, files, "{not json", seeds), 400);
        given().get("/api/v1/training-jobs/" + id).then().body("state", equalTo("RUNNING"));

        Response done = complete(id, token, files, metrics, seeds);
        done.then().statusCode(200).body("job.state", equalTo("SUCCEEDED")).body("version.version", equalTo(1))
                .body("job.resultVersionId", equalTo(done.path("version.id")));
        String versionId = done.path("version.id");
        // Repeating the call (a worker retrying after a lost response) returns the same version.
        complete(id, token, files, metrics, seeds).then().statusCode(200).body("version.id", equalTo(versionId));
        Api.assertProblem(Jobs.post(id, "heartbeat", Map.of("leaseToken", token)), 409);

        given().get("/api/v1/adapters/" + adapter).then().statusCode(200).body("team", equalTo("team-a"))
                .body("method", equalTo("LORA")).body("latestVersion", equalTo(1));
        given().get("/api/v1/adapters/" + adapter + "/versions").then().body("total", equalTo(1));
        given().get("/api/v1/adapters/" + adapter + "/versions/1/lineage").then().statusCode(200)
                .body("trainingJobId", equalTo(id)).body("datasetDigest", equalTo(dataset));
        given().get("/api/v1/adapters/" + adapter + "/versions/1/metrics").then().statusCode(200)
                .body("name", equalTo(List.of("eval_loss"))).body("[0].value", equalTo(1.25f));
        given().get("/api/v1/adapters/" + adapter + "/versions/1/seed-examples").then().statusCode(200)
                .body("completion", equalTo(List.of("summary 1")));
        given().get("/api/v1/training-jobs/" + id + "/progress").then().body("percent", equalTo(100.0f))
                .body("state", equalTo("SUCCEEDED"));

        List<JsonNode> states = Jobs.assertEvents(events, dataSource, "dev.adapterhub.training.job.state-changed",
                id, 4);
        JsonNode succeeded = states.get(3);
        assertEquals("SUCCEEDED", succeeded.get("state").asText());
        assertEquals(versionId, succeeded.get("versionId").asText());
        assertEquals(1, succeeded.get("version").asInt());
        String adapterId = given().get("/api/v1/adapters/" + adapter).path("id");
        JsonNode published = EventAssertions.assertExactlyOne(registry, dataSource,
                "dev.adapterhub.registry.adapter-version.published", adapterId);
        assertEquals(id, published.get("trainingJobId").asText());
    }

    @Test
    void unknownHyperparameterFieldsAreRejectedAndNothingIsPersisted() {
        String base = Api.registerTinyBase();
        String dataset = Jobs.dataset(21);
        EventAssertions.awaitDrained(dataSource);
        Map<String, Long> before = Jobs.rows(dataSource);

        Map<String, Object> typo = Jobs.request(base, dataset, "LORA", Api.unique("typo"));
        Map<String, Object> hp = new LinkedHashMap<>();
        hp.put("rnak", 4);
        hp.put("learningRate", 1e-4);
        hp.put("lerning_rate", 1e-3);
        typo.put("hyperparameters", hp);
        Api.assertProblem(Jobs.submit(typo), 400).then()
                .body("type", equalTo("urn:adapterhub:problem:invalid-request"))
                .body("violations", equalTo(List.of("hyperparameters.rnak: unknown field",
                        "hyperparameters.lerning_rate: unknown field")));
        EventAssertions.awaitDrained(dataSource);
        assertEquals(before, Jobs.rows(dataSource));

        // Only hyperparameters are strict: an unknown top-level field is still ignored, as in every other DTO.
        Map<String, Object> extra = Jobs.request(base, dataset, "LORA", Api.unique("extra"));
        extra.put("comment", "not a field");
        extra.put("hyperparameters", Map.of("rank", 4));
        String id = Jobs.submit(extra).then().statusCode(201).body("hyperparameters.rank", equalTo(4))
                .extract().path("id");
        given().contentType(ContentType.JSON).body(Map.of("reason", "test", "unknown", 1))
                .post("/api/v1/training-jobs/" + id + "/cancel").then().statusCode(200);
    }

    @Test
    void concurrentSubmissionsWithOneIdempotencyKeyCreateOneJob() throws Exception {
        String base = Api.registerTinyBase();
        String dataset = Jobs.dataset(17);
        Map<String, Object> body = Jobs.request(base, dataset, "LORA", Api.unique("race"));
        String key = Api.unique("race-key");
        body.put("idempotencyKey", key);
        KafkaTopicProbe dispatch = Jobs.mark(dataSource, Jobs.DISPATCH_TOPIC);
        KafkaTopicProbe events = Jobs.mark(dataSource, Jobs.EVENTS_TOPIC);

        int submitters = 6;
        ExecutorService pool = Executors.newFixedThreadPool(submitters);
        List<Response> answers = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<Response>> submits = new ArrayList<>();
            for (int i = 0; i < submitters; i++) {
                submits.add(() -> {
                    start.await();
                    return Jobs.submit(body);
                });
            }
            List<Future<Response>> futures = new ArrayList<>();
            for (Callable<Response> submit : submits) {
                futures.add(pool.submit(submit));
            }
            start.countDown();
            for (Future<Response> future : futures) {
                answers.add(future.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        Map<Integer, Integer> statuses = new HashMap<>();
        Set<String> ids = new HashSet<>();
        for (Response answer : answers) {
            statuses.merge(answer.statusCode(), 1, Integer::sum);
            ids.add(answer.path("id"));
        }
        assertEquals(Map.of(201, 1, 200, submitters - 1), statuses, () -> "answers: "
                + answers.stream().map(Response::asString).toList());
        assertEquals(1, ids.size(), () -> "job ids: " + ids);
        String id = ids.iterator().next();
        assertEquals(1L, count("select count(*) from training_job where idempotency_key = '" + key + "'"));
        Jobs.assertEvents(dispatch, dataSource, "dev.adapterhub.training.job.dispatched", id, 1);
        Jobs.assertEvents(events, dataSource, "dev.adapterhub.training.job.state-changed", id, 1);
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/training-jobs/" + id + "/cancel")
                .then().statusCode(200);
    }

    @Test
    void aTrainingJobIdNamesAtMostOneVersion() throws Exception {
        String adapter = Api.createAdapter(Api.registerTinyBase(), "LORA");
        String job = java.util.UUID.randomUUID().toString();
        String first = Api.uploadVersion(adapter, Api.files(Fixtures.lora(4, 61)), Map.of("trainingJobId", job))
                .then().statusCode(201).extract().path("id");
        Api.assertProblem(Api.uploadVersion(adapter, Api.files(Fixtures.lora(4, 62)), Map.of("trainingJobId", job)),
                409).then().body("detail", containsString(job));
        String second = Api.uploadVersion(adapter, Fixtures.lora(4, 62)).then().statusCode(201).extract().path("id");

        // The database backstop (V3): even a write that bypasses the service cannot give a job a second version.
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "update adapter_version set training_job_id = ? where id = ?::uuid")) {
            update.setString(1, job);
            update.setString(2, second);
            SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                    update::executeUpdate);
            assertEquals("23505", refused.getSQLState());
        }
        given().get("/api/v1/adapters/" + adapter + "/versions/" + second + "/lineage").then()
                .body("trainingJobId", org.hamcrest.Matchers.nullValue());
        given().get("/api/v1/adapters/" + adapter + "/versions/1/lineage").then().body("trainingJobId", equalTo(job));
        assertEquals(first, given().get("/api/v1/resolve/" + adapter + "@1").path("id"));
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static Response complete(String id, String token, Map<String, byte[]> files, String metrics,
                                     String seeds) {
        io.restassured.specification.RequestSpecification request = given().multiPart("leaseToken", token)
                .multiPart("metrics", metrics).multiPart("seedExamples", seeds);
        files.forEach((name, bytes) -> request.multiPart("file", name, bytes, "application/octet-stream"));
        return request.when().post("/api/v1/training-jobs/" + id + "/complete");
    }
}
