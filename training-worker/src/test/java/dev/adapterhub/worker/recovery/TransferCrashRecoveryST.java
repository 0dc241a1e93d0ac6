package dev.adapterhub.worker.recovery;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;

import dev.adapterhub.localstack.ServiceProcess;
import dev.adapterhub.testsupport.RegistryStack;
import dev.adapterhub.worker.support.Registry;
import dev.adapterhub.worker.support.TestInputs;
import dev.adapterhub.worker.support.WorkerProcesses;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Issue 10's proof with real processes: an adapter trained on the shipped {@code tiny-llama@v1} leaves a transfer
 * kit; its dataset is then deleted from storage; a TRANSFER to {@code tiny-llama@v2} runs on a worker process that is
 * killed with SIGKILL after its first checkpoint; a second worker resumes from that checkpoint (with the labelled
 * synthetic set it carries, not synthesising again) and the transfer ends with exactly one version, its lineage and
 * the gate's decision. Runs after {@code package} (failsafe), because it needs the worker's jar.
 */
class TransferCrashRecoveryST {

    private static final Path SHIPPED_V1 = Path.of("..", "models", "tiny-llama", "v1");
    private static final Path SHIPPED_V2 = Path.of("..", "models", "tiny-llama", "v2");
    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private static final int TRANSFER_STEPS = 90;
    private static final int CHECKPOINT_EVERY = 30;

    private static RegistryStack stack;
    private static Registry registry;
    private static final List<ServiceProcess> workers = new ArrayList<>();

    @BeforeAll
    static void startStack() {
        stack = RegistryStack.start();
        registry = new Registry(stack.registryApiUrl());
    }

    @AfterAll
    static void stopStack() {
        for (ServiceProcess worker : workers) {
            worker.stop();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aKilledTransferResumesWithoutTheDatasetAndPublishesOneVersion() throws Exception {
        String v1 = registry.registerBase("tiny-llama-st", "v1", SHIPPED_V1);
        String v2 = registry.registerBase("tiny-llama-st", "v2", SHIPPED_V2);
        String dataset = registry.uploadDataset(TestInputs.num2wordsDataset("transfer-st-data"));
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("baseModel", v1);
        training.put("dataset", dataset);
        training.put("method", "LORA");
        training.put("adapterName", "moved-by-transfer");
        training.put("team", "nlp");
        training.put("transferKit", Map.of("taskName", "numbers-to-words"));
        training.put("hyperparameters", Map.of("rank", 8, "steps", 200, "batchSize", 16, "learningRate", 1e-2,
                "evalFraction", 0.05, "evalEvery", 200, "checkpointEvery", 200));
        ServiceProcess first = startWorker(1);
        String trainingJob = registry.submit(training);
        assertThat(awaitEnd(trainingJob).getString("state"), is("SUCCEEDED"));
        assertThat(registry.get("/adapters/moved-by-transfer/versions/1/transfer-kit").getString("status"),
                is("COMPLETE"));

        // The training data goes: from here on nothing may read it.
        deleteDatasetBlob(dataset.substring("sha256:".length()));

        Map<String, Object> transfer = new LinkedHashMap<>();
        transfer.put("kind", "TRANSFER");
        transfer.put("baseModel", v2);
        transfer.put("transfer", Map.of("sourceVersion", "moved-by-transfer@1", "goal", 96));
        transfer.put("hyperparameters", Map.of("rank", 8, "steps", TRANSFER_STEPS, "batchSize", 16,
                "learningRate", 1e-2, "checkpointEvery", CHECKPOINT_EVERY, "evalEvery", TRANSFER_STEPS));
        String transferJob = registry.submit(transfer);
        await("transfer checkpoint " + CHECKPOINT_EVERY).atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    JsonPath progress = registry.progress(transferJob);
                    return progress.get("lastCheckpointStep") != null
                            && progress.getInt("lastCheckpointStep") >= CHECKPOINT_EVERY;
                });
        first.kill();
        int checkpoint = registry.progress(transferJob).getInt("lastCheckpointStep");
        assertThat("killed mid-training", checkpoint, lessThan(TRANSFER_STEPS));
        System.out.printf("[transfer-crash] worker killed (SIGKILL) after transfer checkpoint %d of %d%n",
                checkpoint, TRANSFER_STEPS);

        startWorker(2);
        JsonPath done = awaitEnd(transferJob);
        assertThat(done.prettify(), done.getString("state"), is("SUCCEEDED"));
        assertThat(done.getInt("attempt"), greaterThanOrEqualTo(2));
        List<String> log = registry.events(transferJob).stream().map(e -> String.valueOf(e.get("message")))
                .toList();
        assertThat("synthesised once", log.stream().filter(m -> m.startsWith("Synthesis done")).count(), is(1L));
        assertThat("the second attempt reused the checkpoint's labelled set", log.stream()
                .anyMatch(m -> m.startsWith("Resumed with the checkpoint's")), is(true));
        assertThat(log.stream().anyMatch(m -> m.startsWith("Training lora resumed from step " + checkpoint)),
                is(true));

        assertThat("exactly one new version", registry.versions("moved-by-transfer").getInt("total"), is(2));
        JsonPath lineage = registry.get("/adapters/moved-by-transfer/versions/2/lineage");
        assertThat(lineage.getString("baseModel.revision"), is("v2"));
        assertThat(lineage.getInt("transferredFrom.version"), is(1));
        assertThat(lineage.getString("transferMethod"), is("TRANS_LORA"));
        assertThat(done.getString("gate.decision"), notNullValue());
        assertThat(done.getString("resultVersionId"), is(registry.version("moved-by-transfer", "2").getString("id")));

        // A kit file deleted behind the registry's back: a fresh worker (empty cache) fails the job at once, naming
        // the object, instead of retrying until the attempts run out.
        List<Map<String, Object>> kitFiles = registry.get("/adapters/moved-by-transfer/versions/1/transfer-kit")
                .getList("discriminator.files");
        String weights = kitFiles.stream().filter(f -> "adapter_model.safetensors".equals(f.get("name")))
                .map(f -> (String) f.get("sha256")).findFirst().orElseThrow();
        deleteBlob(weights);
        for (ServiceProcess worker : workers) {
            if (worker.process().isAlive()) {
                worker.kill();
            }
        }
        startWorker(3);
        String broken = registry.submit(transfer);
        JsonPath failed = awaitEnd(broken);
        assertThat(failed.prettify(), failed.getString("state"), is("FAILED"));
        assertThat("no retry", failed.getInt("attempt"), is(1));
        assertThat(failed.getString("failureReason"), containsString("blobs/sha256/" + weights
                + " is not in object storage"));
    }

    private static void deleteDatasetBlob(String sha256) throws Exception {
        deleteBlob(sha256);
    }

    private static void deleteBlob(String sha256) throws Exception {
        MinioClient s3 = MinioClient.builder().endpoint(stack.backends().s3().endpoint())
                .credentials(stack.backends().s3().accessKey(), stack.backends().s3().secretKey()).build();
        String key = "blobs/sha256/" + sha256;
        s3.removeObject(RemoveObjectArgs.builder().bucket("adapterhub").object(key).build());
        Executable stat = () -> s3.statObject(StatObjectArgs.builder().bucket("adapterhub").object(key).build());
        org.junit.jupiter.api.Assertions.assertThrows(ErrorResponseException.class, stat, "the blob is gone");
    }

    private static ServiceProcess startWorker(int n) throws Exception {
        ServiceProcess worker = WorkerProcesses.start(stack, "transfer-worker-" + n, 64, 30);
        workers.add(worker);
        return worker;
    }

    private static JsonPath awaitEnd(String jobId) {
        JsonPath[] last = new JsonPath[1];
        await("job " + jobId + " to end").atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            last[0] = registry.job(jobId);
            return List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(last[0].getString("state"));
        });
        return last[0];
    }
}
