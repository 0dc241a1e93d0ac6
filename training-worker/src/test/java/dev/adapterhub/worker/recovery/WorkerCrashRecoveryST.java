package dev.adapterhub.worker.recovery;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import dev.adapterhub.localstack.ServiceProcess;
import dev.adapterhub.testsupport.RegistryStack;
import dev.adapterhub.worker.support.Registry;
import dev.adapterhub.worker.support.TestInputs;
import dev.adapterhub.testsupport.ServiceProcesses;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fault test, with real processes: training-worker's packaged application is killed with SIGKILL
 * during training, twice; each time a new worker process takes the job over from the last checkpoint it uploaded,
 * and the job ends with exactly one version. Runs after {@code package} (failsafe), because it needs the jar.
 */
class WorkerCrashRecoveryST {

    private static final int STEPS = 600;
    private static final int CHECKPOINT_EVERY = 40;
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

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
    void killedWorkersHandTheJobOverFromTheLastCheckpointAndOneVersionIsPublished() throws Exception {
        String base = registry.registerBase("tiny-crash", "r1", TestInputs.tinyModel("crash-base"));
        String dataset = registry.uploadDataset(TestInputs.num2wordsDataset("crash-data"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("baseModel", base);
        body.put("dataset", dataset);
        body.put("method", "LORA");
        body.put("adapterName", "crash-survivor");
        body.put("team", "nlp");
        body.put("hyperparameters", Map.of("rank", 4, "steps", STEPS, "checkpointEvery", CHECKPOINT_EVERY,
                "evalEvery", STEPS, "batchSize", 16, "learningRate", 1e-3, "evalFraction", 0.05));
        String jobId = registry.submit(body);

        ServiceProcess first = startWorker(1);
        int firstCheckpoint = killAfterCheckpoint(first, jobId, 1, CHECKPOINT_EVERY);

        ServiceProcess second = startWorker(2);
        awaitLog(jobId, "Attempt 2 claimed by crash-worker-2, resuming from step " + firstCheckpoint);
        awaitLog(jobId, "resumed from step " + firstCheckpoint);
        int secondCheckpoint = killAfterCheckpoint(second, jobId, 2, firstCheckpoint + CHECKPOINT_EVERY);
        assertThat("the second worker made progress of its own", secondCheckpoint, greaterThan(firstCheckpoint));

        startWorker(3);
        awaitLog(jobId, "Attempt 3 claimed by crash-worker-3, resuming from step " + secondCheckpoint);
        JsonPath done = awaitState(jobId, "SUCCEEDED");
        assertThat(done.getInt("attempt"), is(3));
        assertThat("exactly one version", registry.versions("crash-survivor").getInt("total"), is(1));
        JsonPath version = registry.version("crash-survivor", "1");
        assertThat(version.getString("id"), is(done.getString("resultVersionId")));
        assertThat("the third attempt continued at the second kill's checkpoint", messages(jobId).stream()
                .anyMatch(m -> m.startsWith("Training lora resumed from step " + secondCheckpoint + " of " + STEPS)),
                is(true));
    }

    /**
     * Waits until the attempt has announced a checkpoint at or after {@code atLeast}, kills the worker (SIGKILL),
     * and returns the last checkpoint step the registry holds afterwards: the step the next attempt must resume at.
     */
    private static int killAfterCheckpoint(ServiceProcess worker, String jobId, int attempt, int atLeast)
            throws InterruptedException {
        await("attempt " + attempt + " to checkpoint step " + atLeast).atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    JsonPath progress = registry.progress(jobId);
                    return progress.getInt("attempt") == attempt && progress.get("lastCheckpointStep") != null
                            && progress.getInt("lastCheckpointStep") >= atLeast;
                });
        worker.kill();
        int checkpoint = registry.progress(jobId).getInt("lastCheckpointStep");
        assertThat("killed mid-training, not after the end", checkpoint < STEPS, is(true));
        assertThat(registry.job(jobId).getString("state"), is("RUNNING"));
        System.out.printf("[crash-test] attempt %d killed (SIGKILL) after checkpoint step %d of %d%n", attempt,
                checkpoint, STEPS);
        return checkpoint;
    }

    private static ServiceProcess startWorker(int n) throws Exception {
        ServiceProcess worker = ServiceProcesses.worker(stack, "crash-worker-" + n, 16, 10);
        workers.add(worker);
        return worker;
    }

    private static void awaitLog(String jobId, String line) {
        await("event log line '" + line + "'").atMost(TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> messages(jobId).stream().anyMatch(m -> m.contains(line)));
    }

    private static JsonPath awaitState(String jobId, String state) {
        JsonPath[] last = new JsonPath[1];
        await("job " + jobId + " " + state).atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            last[0] = registry.job(jobId);
            return state.equals(last[0].getString("state"));
        });
        return last[0];
    }

    private static List<String> messages(String jobId) {
        return registry.events(jobId).stream().map(e -> String.valueOf(e.get("message"))).toList();
    }
}
