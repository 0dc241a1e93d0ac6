package dev.adapterhub.worker.e2e;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.awaitility.Awaitility.await;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.formats.digest.Sha256;
import dev.adapterhub.formats.safetensors.DType;
import dev.adapterhub.formats.safetensors.SafetensorsHeader;
import dev.adapterhub.formats.safetensors.TensorInfo;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.method.lora.LoraPeft;
import dev.adapterhub.engine.method.shira.ShiraPeft;
import dev.adapterhub.schemas.EventSchemas;
import dev.adapterhub.testsupport.KafkaTopicProbe;
import dev.adapterhub.testsupport.RegistryStackTestResource;
import dev.adapterhub.worker.support.Registry;
import dev.adapterhub.worker.support.TestInputs;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end bar: a job submitted over REST goes through Kafka to this (in-process) worker, trains on
 * a tiny model, reports progress, and ends as a registered version with metrics, lineage and seed examples whose
 * files load back in the engine and change the model's output. Registry, PostgreSQL, Kafka and S3 are real.
 */
@QuarkusTest
@WithTestResource(value = RegistryStackTestResource.class, scope = TestResourceScope.GLOBAL)
class TrainingJobEndToEndIT {

    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    /** The repository's shipped base (models/README.md): unlike a random model it finishes lines it starts. */
    private static final Path SHIPPED_V1 = Path.of("..", "models", "tiny-llama", "v1");
    private static final Path SHIPPED_V2 = Path.of("..", "models", "tiny-llama", "v2");
    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    static Registry registry;
    static Path modelDir;
    static String baseRef;
    static String datasetDigest;

    @BeforeAll
    static void registerInputs() throws Exception {
        registry = new Registry(RegistryStackTestResource.registryUrl());
        modelDir = TestInputs.tinyModel("e2e-base");
        baseRef = registry.registerBase("tiny-e2e", "r1", modelDir);
        datasetDigest = registry.uploadDataset(TestInputs.num2wordsDataset("e2e-data"));
    }

    @Test
    void loraGaJobEndsAsARegisteredVersionThatChangesTheModel() throws Exception {
        String adapter = "num2words-ga-" + UUID.randomUUID().toString().substring(0, 8);
        try (KafkaTopicProbe events = KafkaTopicProbe.mark(bootstrapServers, "adapterhub.training.events.v1")) {
            String jobId = registry.submit(job(adapter, "LORA_GA", Map.of("rank", 4, "steps", 12,
                    "checkpointEvery", 4, "evalEvery", 6, "batchSize", 8, "learningRate", 1e-3,
                    "loraGaGradientBatches", 2, "evalFraction", 0.05)));

            JsonPath done = awaitEnd(jobId);
            assertThat(done.prettify(), done.getString("state"), is("SUCCEEDED"));

            // The states, in order, on the topic CI systems subscribe to; every event valid against its schema.
            List<ConsumerRecord<String, String>> jobEvents = events.awaitRecords(
                    r -> jobId.equals(r.key()) && r.value().contains("\"state\":\"SUCCEEDED\""), 1, JOB_TIMEOUT);
            assertThat(jobEvents, hasSize(1));
            List<String> states = new ArrayList<>();
            int progressEvents = 0;
            for (ConsumerRecord<String, String> record : events.recordsSince(r -> jobId.equals(r.key()))) {
                EventSchemas.validate(record.value());
                JsonNode event = JSON.readTree(record.value());
                if (event.path("type").asText().endsWith("state-changed")) {
                    states.add(event.path("data").path("state").asText());
                } else if (event.path("type").asText().endsWith("progress")) {
                    progressEvents++;
                }
            }
            assertThat(states, contains("QUEUED", "VALIDATING", "RUNNING", "SUCCEEDED"));
            assertThat(registry.events(jobId).stream().map(e -> String.valueOf(e.get("message"))).toList(),
                    hasItem("Training LORA_GA on cpu(), base weights FLOAT32"));
            assertThat("progress events", progressEvents, greaterThanOrEqualTo(3));

            JsonPath progress = registry.progress(jobId);
            assertThat(progress.getInt("step"), is(12));
            assertThat(progress.getDouble("percent"), is(100.0));
            assertThat(progress.getInt("lastCheckpointStep"), is(12));
            assertThat(progress.getDouble("evalLoss"), greaterThan(0.0));

            JsonPath version = registry.version(adapter, "1");
            assertThat(version.getString("id"), is(done.getString("resultVersionId")));
            JsonPath lineage = registry.get("/adapters/" + adapter + "/versions/1/lineage");
            assertThat(lineage.getString("trainingJobId"), is(jobId));
            assertThat(lineage.getString("datasetDigest"), is(datasetDigest));
            assertThat(lineage.getString("baseModel.revision"), is("r1"));
            List<String> metricNames = registry.get("/adapters/" + adapter + "/versions/1/metrics").getList("name");
            assertThat(metricNames, hasItems("train_loss", "eval_loss", "eval_exact_match"));
            List<Map<String, String>> seeds = registry.get("/adapters/" + adapter + "/versions/1/seed-examples")
                    .getList("$");
            assertThat(seeds, not(empty()));
            assertThat(seeds.get(0).get("prompt"), endsWith("="));

            Path files = registry.download(adapter, "1", Path.of(System.getProperty("java.io.tmpdir"),
                    "worker-tests", adapter));
            JsonNode config = JSON.readTree(Files.readString(files.resolve("adapter_config.json")));
            assertThat(config.path("peft_type").asText(), is("LORA"));
            assertThat("LoRA-GA exports rank 2r", config.path("r").asInt(), is(8));
            assertThat("the adapter changes the output", maxLogitChange(files, false), greaterThan(1e-3));
        }
    }

    @Test
    void aJobOnAShippedBaseLeavesATransferKitAndATransferMovesItToTheNextBase() throws Exception {
        String base = registry.registerBase("tiny-llama-e2e", "v1", SHIPPED_V1);
        String adapter = "num2words-kit-" + UUID.randomUUID().toString().substring(0, 8);
        // Trained enough to answer (and end its answers), so that as a teacher it labels the synthetic inputs.
        Map<String, Object> body = job(adapter, "LORA", Map.of("rank", 8, "steps", 200, "batchSize", 16,
                "learningRate", 1e-2, "evalFraction", 0.05, "evalEvery", 200, "checkpointEvery", 200));
        body.put("baseModel", base);
        body.put("transferKit", Map.of("taskName", "numbers-to-words"));
        String jobId = registry.submit(body);
        JsonPath done = awaitEnd(jobId);
        assertThat(done.prettify(), done.getString("state"), is("SUCCEEDED"));

        JsonPath kit = registry.get("/adapters/" + adapter + "/versions/1/transfer-kit");
        assertThat(kit.prettify(), kit.getString("status"), is("COMPLETE"));
        assertThat(kit.getString("taskName"), is("numbers-to-words"));
        assertThat(kit.getBoolean("optedOut"), is(false));
        assertThat(kit.getInt("seedExamples"), is(5));
        assertThat("the test profile's max-real-inputs", kit.getInt("discriminator.realInputs"), is(16));
        // Up to as many written inputs; NUM2WORDS has only 1,000 inputs, so many written ones are real and dropped.
        assertThat(kit.getInt("discriminator.generatedInputs"), both(greaterThanOrEqualTo(2)).and(lessThanOrEqualTo(16)));
        assertThat(kit.getDouble("discriminator.accuracyOnReal"), both(greaterThanOrEqualTo(0.0))
                .and(lessThanOrEqualTo(1.0)));
        List<Map<String, Object>> files = kit.getList("discriminator.files");
        assertThat(files, hasSize(2));
        Path discriminator = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "worker-tests",
                adapter + "-discriminator"));
        for (Map<String, Object> file : files) {
            byte[] bytes = registry.bytes((String) file.get("downloadPath"));
            assertThat(Sha256.hex(bytes), is(file.get("sha256")));
            Files.write(discriminator.resolve((String) file.get("name")), bytes);
        }
        JsonNode config = JSON.readTree(Files.readString(discriminator.resolve("adapter_config.json")));
        assertThat("a LoRA on the job's base", config.path("peft_type").asText(), is("LORA"));
        assertThat(registry.get("/adapters/" + adapter + "/versions/1/lineage").getInt("trainingExamples"),
                both(greaterThan(900)).and(lessThan(1000)));
        assertThat(registry.events(jobId).stream().map(e -> String.valueOf(e.get("message")))
                .anyMatch(m -> m.startsWith("Transfer kit ready")), is(true));

        // The next revision has other shapes, so Trans-LoRA distils (no copy rung); the dataset is never read. The
        // team keeps an evaluation set, so the three scores are measured on its real labels.
        String evaluationSet = registry.uploadDataset(TestInputs.num2wordsEvaluationSet(adapter, 12));
        registry.setEvaluationSet(adapter, evaluationSet);
        String target = registry.registerBase("tiny-llama-e2e", "v2", SHIPPED_V2);
        String transferId = registry.submit(transfer(target, adapter + "@1", 24));
        JsonPath moved = awaitEnd(transferId);
        assertThat(moved.prettify() + registry.events(transferId), moved.getString("state"), is("SUCCEEDED"));
        assertThat(moved.getString("transfer.evaluationSet"), is(evaluationSet));
        assertThat(moved.getString("gate.evaluationSet"), is("registered-evaluation-set"));
        JsonPath lineage = registry.get("/adapters/" + adapter + "/versions/2/lineage");
        assertThat(lineage.getString("baseModel.revision"), is("v2"));
        assertThat(lineage.getInt("transferredFrom.version"), is(1));
        assertThat(lineage.getString("transferMethod"), is("TRANS_LORA"));
        assertThat(lineage.getString("datasetDigest"), is((String) null));
        List<String> metrics = registry.get("/adapters/" + adapter + "/versions/2/metrics").getList("name");
        assertThat(metrics, hasItems("transfer_source_exact_match", "transfer_target_base_exact_match",
                "eval_exact_match", "transfer_synthetic_examples", "transfer_acceptance_rate", "transfer_generations"));
        assertThat(registry.events(transferId).stream().map(e -> String.valueOf(e.get("message")))
                .anyMatch(m -> m.startsWith("Synthesis done")), is(true));
        assertThat("synthesis reports its progress as a phase", registry.events(transferId).stream()
                .map(e -> String.valueOf(e.get("message"))).anyMatch(m -> m.startsWith("Phase synthesis: ")), is(true));
        assertThat(registry.get("/adapters/" + adapter + "/versions/2/transfer-kit").getString("status"),
                is("SEEDS_ONLY"));

        // The same weights under another name have the same shapes: the copy rung applies, and the source adapter,
        // scoring on them exactly what it scores on v1, is published as it is. Without an evaluation set now, it is
        // scored on the seeds and a held-out slice of the synthetic set.
        registry.removeEvaluationSet(adapter);
        String twin = registry.registerBase("tiny-llama-twin", "v1", SHIPPED_V1);
        String copyId = registry.submit(transfer(twin, adapter + "@1", 16));
        JsonPath copied = awaitEnd(copyId);
        assertThat(copied.prettify() + registry.events(copyId), copied.getString("state"), is("SUCCEEDED"));
        JsonPath copyLineage = registry.get("/adapters/" + adapter + "/versions/3/lineage");
        assertThat(copyLineage.getString("transferMethod"), is("COPY"));
        assertThat(copyLineage.getString("baseModel.name"), is("tiny-llama-twin"));
        assertThat("the copy's weights are the source's", registry.version(adapter, "3").getString("digest"),
                is(registry.version(adapter, "1").getString("digest")));
        assertThat(registry.get("/adapters/" + adapter + "/versions/3/metrics").getList("name"),
                hasItems("transfer_copy_exact_match", "eval_exact_match"));
        assertThat(copied.getString("gate.evaluationSet"), is("seeds-and-synthetic-holdout"));

        // Another method on request: LoRA to SHiRA, which lands in another adapter (an adapter has one method).
        String sparse = adapter + "-shira";
        Map<String, Object> toShira = transfer(twin, adapter + "@1", 16);
        toShira.put("method", "SHIRA");
        toShira.put("adapterName", sparse);
        toShira.put("hyperparameters", Map.of("rank", 4, "steps", 10, "batchSize", 8, "checkpointEvery", 10,
                "evalEvery", 10));
        String shiraId = registry.submit(toShira);
        JsonPath shira = awaitEnd(shiraId);
        assertThat(shira.prettify() + registry.events(shiraId), shira.getString("state"), is("SUCCEEDED"));
        JsonPath shiraLineage = registry.get("/adapters/" + sparse + "/versions/1/lineage");
        assertThat(shiraLineage.getString("transferMethod"), is("TRANS_LORA"));
        assertThat(shiraLineage.getString("transferredFrom.adapterName"), is(adapter));
        JsonNode shiraConfig = JSON.readTree(Files.readString(registry.download(sparse, "1",
                Path.of(System.getProperty("java.io.tmpdir"), "worker-tests", sparse)).resolve("adapter_config.json")));
        assertThat(shiraConfig.path("peft_type").asText(), is("SHIRA"));
    }

    @Test
    void shiraJobPublishesASparseAdapterAndCanOptOutOfTheKit() throws Exception {
        String adapter = "num2words-shira-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = job(adapter, "SHIRA", Map.of("rank", 4, "steps", 6, "checkpointEvery", 3,
                "batchSize", 8, "learningRate", 5e-3, "shiraMaskType", "WEIGHT_MAGNITUDE", "evalFraction", 0.05));
        body.put("transferKit", Map.of("enabled", false));
        String jobId = registry.submit(body);
        JsonPath done = awaitEnd(jobId);
        assertThat(done.prettify(), done.getString("state"), is("SUCCEEDED"));
        JsonPath kit = registry.get("/adapters/" + adapter + "/versions/1/transfer-kit");
        assertThat(kit.prettify(), kit.getString("status"), is("NONE"));
        assertThat(kit.getBoolean("optedOut"), is(true));
        assertThat("no seed examples kept either", registry.get("/adapters/" + adapter
                + "/versions/1/seed-examples").getList("$"), empty());
        Path files = registry.download(adapter, "1", Path.of(System.getProperty("java.io.tmpdir"), "worker-tests",
                adapter));
        JsonNode config = JSON.readTree(Files.readString(files.resolve("adapter_config.json")));
        assertThat(config.path("peft_type").asText(), is("SHIRA"));
        assertThat("the adapter changes the output", maxLogitChange(files, true), greaterThan(1e-4));
    }

    @Test
    void aJobCanHoldItsFrozenBaseInHalfPrecision() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Double> trainLoss = new LinkedHashMap<>();
        for (String dtype : List.of("float16", "FLOAT32")) {
            String name = "num2words-" + dtype.toLowerCase(java.util.Locale.ROOT) + "-" + suffix;
            Map<String, Object> body = job(name, "LORA", Map.of("rank", 4, "steps", 6, "checkpointEvery", 3,
                    "batchSize", 8, "learningRate", 5e-3, "evalFraction", 0.05, "baseDtype", dtype));
            body.put("transferKit", Map.of("enabled", false));
            String jobId = registry.submit(body);
            JsonPath done = awaitEnd(jobId);
            assertThat(done.prettify(), done.getString("state"), is("SUCCEEDED"));
            String resolved = done.getString("hyperparameters.baseDtype");
            assertThat(resolved, is(dtype.toUpperCase(java.util.Locale.ROOT)));
            assertThat(registry.events(jobId).stream().map(e -> String.valueOf(e.get("message"))).toList(),
                    hasItem("Training LORA on cpu(), base weights " + resolved));
            List<Map<String, Object>> metrics = registry.get("/adapters/" + name + "/versions/1/metrics").getList("$");
            trainLoss.put(resolved, metrics.stream().filter(m -> "train_loss".equals(m.get("name")))
                    .map(m -> ((Number) m.get("value")).doubleValue()).findFirst().orElseThrow());
        }
        // Same job, same seed: the F16 base's rounding shows in the losses, and only a little.
        double gap = Math.abs(trainLoss.get("FLOAT16") - trainLoss.get("FLOAT32")) / trainLoss.get("FLOAT32");
        assertThat("F16 base vs F32 base, relative train_loss gap " + trainLoss, gap, greaterThan(0.0));
        assertThat("F16 base vs F32 base, relative train_loss gap " + trainLoss, gap, lessThan(2e-2));

        String adapter = "num2words-float16-" + suffix;
        Path files = registry.download(adapter, "1", Path.of(System.getProperty("java.io.tmpdir"), "worker-tests",
                adapter));
        // adapter weights stay F32 whatever the base's dtype: what PEFT writes too
        for (TensorInfo tensor : SafetensorsHeader.read(files.resolve("adapter_model.safetensors")).tensors()
                .values()) {
            assertThat(tensor.name(), tensor.dtype(), is(DType.F32));
        }
        Devices.configureOffline();
        try (LlamaModel model = CheckpointIO.load(modelDir, Device.cpu(), DataType.FLOAT16);
             NDManager manager = Devices.newManager(Device.cpu())) {
            NDArray ids = manager.create(new long[] {1, 52, 53, 54, 62}, new Shape(1, 5));
            NDArray before = model.forward(ids).toType(DataType.FLOAT32, true);
            LoraPeft.apply(model, files, "trained");
            double change = model.forward(ids).sub(before).abs().max().getFloat();
            assertThat("the adapter changes the F16 base's output", change, greaterThan(1e-3));
        }
    }

    @Test
    void malformedDispatchRecordsGoToTheDeadLetterTopicAndTheWorkerCarriesOn() throws Exception {
        try (KafkaTopicProbe dlq = KafkaTopicProbe.mark(bootstrapServers, "adapterhub.training.jobs.dlq.v1")) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
                producer.send(new ProducerRecord<>("adapterhub.training.jobs.v1", "garbage", "{not json")).get();
            }
            List<ConsumerRecord<String, String>> copies = dlq.awaitRecords(r -> "garbage".equals(r.key()), 1,
                    Duration.ofSeconds(60));
            ConsumerRecord<String, String> copy = copies.get(0);
            assertThat(copy.value(), is("{not json"));
            assertThat(new String(copy.headers().lastHeader("x-dlq-reason").value(), StandardCharsets.UTF_8),
                    containsString("not JSON"));
            assertThat(new String(copy.headers().lastHeader("x-dlq-source-topic").value(), StandardCharsets.UTF_8),
                    is("adapterhub.training.jobs.v1"));
        }
        // The consumer survived the bad record: a real job still runs.
        String adapter = "after-dlq-" + UUID.randomUUID().toString().substring(0, 8);
        String jobId = registry.submit(job(adapter, "LORA", Map.of("rank", 2, "steps", 3, "checkpointEvery", 3,
                "batchSize", 4, "evalFraction", 0.05)));
        assertThat(awaitEnd(jobId).getString("state"), is("SUCCEEDED"));
    }

    private static Map<String, Object> job(String adapter, String method, Map<String, Object> hyperparameters) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("baseModel", baseRef);
        body.put("dataset", datasetDigest);
        body.put("method", method);
        body.put("adapterName", adapter);
        body.put("team", "nlp");
        body.put("hyperparameters", hyperparameters);
        return body;
    }

    private static JsonPath awaitEnd(String jobId) {
        JsonPath[] last = new JsonPath[1];
        await("job " + jobId + " to end").atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            last[0] = registry.job(jobId);
            return List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(last[0].getString("state"));
        });
        return last[0];
    }

    /** Largest |logit difference| over a short prompt between the base model and the base model + adapter. */
    private static double maxLogitChange(Path adapterDir, boolean sparse) throws Exception {
        Devices.configureOffline();
        try (LlamaModel model = CheckpointIO.load(modelDir); NDManager manager = Devices.newManager()) {
            NDArray ids = manager.create(new long[] {1, 52, 53, 54, 62}, new Shape(1, 5));
            NDArray before = model.forward(ids).toType(DataType.FLOAT32, true);
            if (sparse) {
                ShiraPeft.fuse(model, adapterDir, "trained");
            } else {
                LoraPeft.apply(model, adapterDir, "trained");
            }
            NDArray after = model.forward(ids);
            return after.sub(before).abs().max().getFloat();
        }
    }

    /** A TRANSFER request body: {@code source} (name@version) to {@code target} with {@code goal} synthetic inputs. */
    private static Map<String, Object> transfer(String target, String source, int goal) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "TRANSFER");
        body.put("baseModel", target);
        body.put("transfer", Map.of("sourceVersion", source, "goal", goal));
        return body;
    }
}
