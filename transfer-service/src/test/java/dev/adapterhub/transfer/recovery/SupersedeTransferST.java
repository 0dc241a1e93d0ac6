package dev.adapterhub.transfer.recovery;

import dev.adapterhub.testsupport.TestKeys;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.engine.testkit.SyntheticTasks;
import dev.adapterhub.localstack.ServiceProcess;
import dev.adapterhub.testsupport.KafkaTopicProbe;
import dev.adapterhub.testsupport.RegistryStack;
import dev.adapterhub.testsupport.ServiceProcesses;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.isOneOf;
import static org.hamcrest.Matchers.lessThan;

/**
 * Issue 10's proof with real processes (registry, worker, transfer service on real PostgreSQL, Kafka and S3): an
 * adapter trained on the shipped {@code tiny-llama@v1} leaves a transfer kit; its dataset is deleted through the
 * registry; {@code v1} is superseded by {@code v2}, and the transfer service plans the move of the production
 * version; the worker running it is killed with SIGKILL after its first checkpoint, a second one resumes with the
 * labelled synthetic set the checkpoint carries, and the transfer ends with exactly one version on {@code v2},
 * its lineage, the gate's decision and its event, and {@code production} on it (by the gate or by a reviewer).
 * Then a kit file lost from storage fails the next transfer at once. Runs after {@code package} (failsafe).
 */
class SupersedeTransferST {

    private static final Path SHIPPED = Path.of("..", "models", "tiny-llama");
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final String TRAINING_EVENTS = "adapterhub.training.events.v1";
    private static final String ADAPTER = "moved-on-supersede";
    private static final int STEPS = 120;
    private static final int CHECKPOINT_EVERY = 40;

    private static RegistryStack stack;
    private static ServiceProcess transferService;
    private static final List<ServiceProcess> workers = new ArrayList<>();

    @BeforeAll
    static void startPlatform() throws Exception {
        stack = RegistryStack.start();
        transferService = ServiceProcesses.transferService(stack);
    }

    @AfterAll
    static void stopPlatform() {
        for (ServiceProcess worker : workers) {
            worker.stop();
        }
        if (transferService != null) {
            transferService.stop();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aSupersedeMovesTheProductionVersionWithoutItsDataThroughAWorkerCrash() throws Exception {
        String v1 = registerBase("v1");
        String v2 = registerBase("v2");
        String dataset = uploadDataset(240);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("baseModel", v1);
        training.put("dataset", dataset);
        training.put("method", "LORA");
        training.put("adapterName", ADAPTER);
        training.put("team", "nlp");
        training.put("transferKit", Map.of("taskName", "numbers-to-words"));
        // The transfer inherits these: a checkpoint every 40 of 120 steps gives the crash a point to resume from.
        training.put("hyperparameters", Map.of("rank", 8, "steps", STEPS, "batchSize", 16, "learningRate", 1e-2,
                "evalFraction", 0.05, "evalEvery", STEPS, "checkpointEvery", CHECKPOINT_EVERY));
        ServiceProcess first = startWorker(1);
        String trainingJob = submit(training);
        assertThat(awaitEnd(trainingJob).getString("state"), is("SUCCEEDED"));
        assertThat((String) registry().get("/adapters/" + ADAPTER + "/versions/1/transfer-kit").then().extract()
                .path("status"), is("COMPLETE"));
        registry().contentType(ContentType.JSON).body(Map.of("version", "1"))
                .put("/adapters/" + ADAPTER + "/aliases/production").then().statusCode(201);

        // The training data must go: deleted through the registry, the record stays for lineage.
        registry().delete("/datasets/" + dataset + "?reason=retention").then().statusCode(200);

        try (KafkaTopicProbe events = KafkaTopicProbe.mark(stack.backends().kafka().bootstrapServers(),
                TRAINING_EVENTS)) {
            registry().contentType(ContentType.JSON).body(Map.of("supersededBy", v2))
                    .post("/base-models/" + v1 + "/supersede").then().statusCode(200);
            String[] planned = new String[1];
            await("the transfer service plans the move").atMost(Duration.ofSeconds(60)).until(() -> {
                List<String> ids = transfers().queryParam("adapter", ADAPTER).get("/api/v1/transfers").then()
                        .statusCode(200).extract().path("items.id");
                planned[0] = ids.isEmpty() ? null : ids.get(0);
                return planned[0] != null;
            });
            String transferJob = planned[0];
            JsonPath plan = registry().get("/training-jobs/" + transferJob).then().extract().jsonPath();
            assertThat(plan.getString("transfer.sourceVersion.version"), is("1"));
            assertThat(plan.getList("transfer.promoteAliases"), is(List.of("production")));
            assertThat("as many as the source trained on", plan.getInt("transfer.goal"),
                    is((Integer) registry().get("/adapters/" + ADAPTER + "/versions/1/lineage").then().extract()
                            .path("trainingExamples")));

            await("transfer checkpoint " + CHECKPOINT_EVERY).atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        Integer step = registry().get("/training-jobs/" + transferJob + "/progress").then()
                                .extract().path("lastCheckpointStep");
                        return step != null && step >= CHECKPOINT_EVERY;
                    });
            first.kill();
            int checkpoint = registry().get("/training-jobs/" + transferJob + "/progress").then().extract()
                    .path("lastCheckpointStep");
            assertThat("killed mid-training", checkpoint, lessThan(STEPS));
            System.out.printf("[supersede-transfer] worker killed (SIGKILL) after transfer checkpoint %d of %d%n",
                    checkpoint, STEPS);

            startWorker(2);
            JsonPath done = awaitEnd(transferJob);
            assertThat(done.prettify(), done.getString("state"), is("SUCCEEDED"));
            assertThat(done.getInt("attempt"), greaterThanOrEqualTo(2));
            List<String> log = messages(transferJob);
            assertThat("synthesised once", log.stream().filter(m -> m.startsWith("Synthesis done")).count(), is(1L));
            assertThat("the second attempt reused the checkpoint's labelled set", log.stream()
                    .anyMatch(m -> m.startsWith("Resumed with the checkpoint's")), is(true));

            assertThat("exactly one new version", (Integer) registry().get("/adapters/" + ADAPTER + "/versions")
                    .then().extract().path("total"), is(2));
            JsonPath lineage = registry().get("/adapters/" + ADAPTER + "/versions/2/lineage").then().extract()
                    .jsonPath();
            assertThat(lineage.getString("baseModel.revision"), is("v2"));
            assertThat(lineage.getInt("transferredFrom.version"), is(1));
            assertThat(lineage.getString("transferMethod"), is("TRANS_LORA"));
            List<String> metrics = registry().get("/adapters/" + ADAPTER + "/versions/2/metrics").then().extract()
                    .path("name");
            assertThat("the synthesis' figures survive the crash with the labelled set", metrics.contains(
                    "transfer_acceptance_rate"), is(true));

            // The gate decided and said so on Kafka; production ends on the new version either way.
            String decision = done.getString("gate.decision");
            System.out.printf("[supersede-transfer] gate %s: transferred %s, source %s, target base %s (%s)%n", decision,
                    done.get("gate.transferredExactMatch"), done.get("gate.sourceExactMatch"),
                    done.get("gate.targetBaseExactMatch"), done.getString("gate.evaluationSet"));
            assertThat(decision, isOneOf("PROMOTED", "NEEDS_REVIEW"));
            ConsumerRecord<String, String> gated = events.awaitRecords(r -> r.value().contains(
                    "\"type\":\"dev.adapterhub.training.job.transfer-gated\"") && r.value().contains(transferJob),
                    1, Duration.ofSeconds(30)).get(0);
            assertThat(gated.value(), containsString("\"decision\":\"" + decision + "\""));
            JsonPath shown = transfers().get("/api/v1/transfers/" + transferJob).then().statusCode(200).extract()
                    .jsonPath();
            assertThat(shown.getString("gateDecision"), is(decision));
            assertThat(shown.getString("evaluatedOn"), is("seeds-and-synthetic-holdout"));
            if (decision.equals("NEEDS_REVIEW")) {
                transfers().contentType(ContentType.JSON).body(Map.of("note", "checked by hand"))
                        .post("/api/v1/transfers/" + transferJob + "/promote").then().statusCode(200);
            }
            assertThat((Integer) registry().get("/adapters/" + ADAPTER + "/aliases/production").then().extract()
                    .path("version"), is(2));
            assertThat((String) registry().get("/adapters/" + ADAPTER).then().extract().path("baseModel.revision"),
                    is("v2"));
        }

        // A kit file lost from storage: a fresh worker (empty cache) fails the next transfer at once, naming the
        // object, instead of retrying until the attempts run out.
        String weights = registry().get("/adapters/" + ADAPTER + "/versions/1/transfer-kit").then().extract()
                .jsonPath().getList("discriminator.files", Map.class).stream()
                .filter(f -> "adapter_model.safetensors".equals(f.get("name")))
                .map(f -> (String) f.get("sha256")).findFirst().orElseThrow();
        deleteObject("blobs/sha256/" + weights);
        for (ServiceProcess worker : workers) {
            if (worker.process().isAlive()) {
                worker.kill();
            }
        }
        startWorker(3);
        Map<String, Object> again = new LinkedHashMap<>();
        again.put("kind", "TRANSFER");
        again.put("baseModel", v2);
        again.put("transfer", Map.of("sourceVersion", ADAPTER + "@1", "goal", 16));
        String broken = submit(again);
        JsonPath failed = awaitEnd(broken);
        assertThat(failed.prettify(), failed.getString("state"), is("FAILED"));
        assertThat("no retry", failed.getInt("attempt"), is(1));
        assertThat(failed.getString("failureReason"), containsString("blobs/sha256/" + weights
                + " is not in object storage"));
    }

    private static void deleteObject(String key) throws Exception {
        MinioClient s3 = MinioClient.builder().endpoint(stack.backends().s3().endpoint())
                .credentials(stack.backends().s3().accessKey(), stack.backends().s3().secretKey()).build();
        s3.removeObject(RemoveObjectArgs.builder().bucket("adapterhub").object(key).build());
    }

    private static RequestSpecification registry() {
        return given().baseUri(stack.registryApiUrl()).auth().oauth2(TestKeys.ADMIN);
    }

    private static RequestSpecification transfers() {
        return given().baseUri(transferService.service().baseUrl()).auth().oauth2(TestKeys.ADMIN);
    }

    /** Uploads the shipped {@code tiny-llama/<revision>} as {@code tiny-llama-st@<revision>}. */
    private static String registerBase(String revision) throws IOException {
        String name = "tiny-llama-st";
        RequestSpecification request = registry().multiPart("name", name).multiPart("revision", revision);
        try (Stream<Path> files = Files.list(SHIPPED.resolve(revision))) {
            for (Path file : files.filter(f -> !f.getFileName().toString().endsWith(".md")).sorted().toList()) {
                request.multiPart("file", file.getFileName().toString(), Files.readAllBytes(file),
                        "application/octet-stream");
            }
        }
        request.post("/base-models").then().statusCode(201);
        return name + "@" + revision;
    }

    /** The first {@code n} NUM2WORDS training examples as JSONL; returns the digest. */
    private static String uploadDataset(int n) throws IOException {
        ObjectMapper json = new ObjectMapper();
        StringBuilder lines = new StringBuilder();
        for (SyntheticTasks.Example e : SyntheticTasks.split(SyntheticTasks.Task.NUM2WORDS).train().subList(0, n)) {
            lines.append(json.writeValueAsString(Map.of("prompt", e.prompt(), "completion", e.completion())))
                    .append('\n');
        }
        registry().contentType(ContentType.JSON).body(Map.of("name", "nlp")).post("/teams")
                .then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(201),
                        org.hamcrest.Matchers.is(409)));
        return registry().multiPart("file", "num2words.jsonl", lines.toString().getBytes(StandardCharsets.UTF_8),
                "application/jsonl").multiPart("team", "nlp").post("/datasets").then().statusCode(201).extract().path("digest");
    }

    private static String submit(Map<String, Object> body) {
        return registry().contentType(ContentType.JSON).body(body).post("/training-jobs").then().statusCode(201)
                .extract().path("id");
    }

    private static List<String> messages(String jobId) {
        List<Object> messages = registry().queryParam("limit", 500).get("/training-jobs/" + jobId + "/events")
                .then().statusCode(200).extract().path("message");
        return messages.stream().map(String::valueOf).toList();
    }

    private static ServiceProcess startWorker(int n) throws Exception {
        ServiceProcess worker = ServiceProcesses.worker(stack, "supersede-worker-" + n, 64, 30);
        workers.add(worker);
        return worker;
    }

    private static JsonPath awaitEnd(String jobId) {
        JsonPath[] last = new JsonPath[1];
        await("job " + jobId + " to end").atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            last[0] = registry().get("/training-jobs/" + jobId).then().statusCode(200).extract().jsonPath();
            return List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(last[0].getString("state"));
        });
        return last[0];
    }
}
