package dev.adapterhub.reliability.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adapterhub.localstack.ServiceProcess;
import dev.adapterhub.registry.client.RegistryNotFoundException;
import dev.adapterhub.reliability.support.Figures;
import dev.adapterhub.reliability.support.Seed;
import dev.adapterhub.testsupport.RegistryStack;
import dev.adapterhub.testsupport.ServiceProcesses;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training workers killed with SIGKILL at random points of training jobs, {@value #KILLS} times (issue 13):
 * every job must end SUCCEEDED, or FAILED because it ran out of attempts (the registry's policy); none may be
 * lost or left running, and no adapter may get a second version from a re-run. Figures go to
 * {@code target/reliability/worker-kills.json}.
 */
@Tag("faults")
class WorkerKillsST {

    private static final int KILLS = Integer.getInteger("faults.worker-kills", 20);
    private static final int JOBS = 8;
    private static final int STEPS = 1000;
    private static final int MAX_ATTEMPTS = 8;
    private static final Set<String> ENDED = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    @Test
    void killedWorkersLoseNoJobAndPublishNoVersionTwice() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "worker-kills");
        Random random = new Random(Long.getLong("faults.seed", 13));
        long started = System.nanoTime();
        try (RegistryStack stack = RegistryStack.start(Map.of("ADAPTERHUB_JOBS_MAX_ATTEMPTS",
                String.valueOf(MAX_ATTEMPTS)))) {
            Seed seed = Seed.start(stack, dir);
            String dataset = seed.dataset(400);
            List<String> jobs = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                jobs.add(seed.train("killed-" + i, dataset, STEPS, 50));
            }
            List<Map<String, Object>> kills = new ArrayList<>();
            for (int k = 0; k < KILLS; k++) {
                String name = "kill-worker-" + k;
                ServiceProcess worker = ServiceProcesses.worker(stack, name, 8, 5);
                // a random point after it claimed a job: mid-step, mid-checkpoint upload or mid-completion
                boolean running = awaitClaim(seed, jobs, name, Duration.ofSeconds(30));
                long delay = random.nextInt(8000);
                Thread.sleep(delay);
                JsonNode before = running ? heldBy(seed, jobs, name) : null;
                worker.kill();
                Map<String, Object> kill = new LinkedHashMap<>();
                kill.put("kill", k + 1);
                kill.put("msAfterClaim", running ? delay : null);
                kill.put("job", before == null ? null : before.path("adapterName").asText());
                kill.put("attempt", before == null ? null : before.path("attempt").asInt());
                kill.put("step", before == null ? null : before.path("currentStep").asInt());
                kills.add(kill);
                System.out.println("[worker-kills] " + kill);
            }
            ServiceProcess finisher = ServiceProcesses.worker(stack, "finisher", 8, 5);
            try {
                await("every job ended").atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofSeconds(2))
                        .until(() -> jobs.stream().allMatch(id -> ENDED.contains(job(seed, id).path("state")
                                .asText())));
            } finally {
                finisher.stop();
            }
            int succeeded = 0;
            int failedByPolicy = 0;
            int duplicated = 0;
            List<String> problems = new ArrayList<>();
            for (String id : jobs) {
                JsonNode job = job(seed, id);
                String state = job.path("state").asText();
                String adapter = job.path("adapterName").asText();
                int versions = versions(seed, adapter);
                if (state.equals("SUCCEEDED")) {
                    succeeded++;
                    JsonNode version = seed.team().getJson("/adapters/" + adapter + "/versions/1");
                    if (!version.path("id").asText().equals(job.path("resultVersionId").asText())) {
                        problems.add(adapter + ": the job's result is not its version 1");
                    }
                } else if (state.equals("FAILED") && job.path("attempt").asInt() >= MAX_ATTEMPTS) {
                    failedByPolicy++;
                } else {
                    problems.add(adapter + " ended " + state + " after attempt " + job.path("attempt").asInt()
                            + ": " + job.path("failureReason").asText());
                }
                if (versions > 1) {
                    duplicated += versions - 1;
                }
                if (!state.equals("SUCCEEDED") && versions > 0) {
                    problems.add(adapter + " has a version but its job " + state);
                }
            }
            Figures figures = new Figures("worker-kills")
                    .put("kills", KILLS)
                    .put("killsDuringARunningAttempt", kills.stream().filter(k -> k.get("job") != null).count())
                    .put("jobs", JOBS)
                    .put("stepsPerJob", STEPS)
                    .put("maxAttempts", MAX_ATTEMPTS)
                    .put("succeeded", succeeded)
                    .put("failedByPolicy", failedByPolicy)
                    .put("lostJobs", JOBS - succeeded - failedByPolicy)
                    .put("duplicatedVersions", duplicated)
                    .put("minutes", Math.round((System.nanoTime() - started) / 6e9) / 10.0)
                    .put("killPoints", kills);
            figures.write();
            assertEquals(List.of(), problems);
            assertEquals(0, duplicated, "no adapter got a second version");
            assertEquals(JOBS, succeeded + failedByPolicy, "every job ended by success or by policy");
            assertTrue(succeeded > 0, "the platform still finishes work between kills");
        }
    }

    private static boolean awaitClaim(Seed seed, List<String> jobs, String worker, Duration timeout) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(200))
                    .until(() -> heldBy(seed, jobs, worker) != null);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException none) {
            return false;
        }
    }

    /** The running job whose current attempt {@code worker} claimed, if any. */
    private static JsonNode heldBy(Seed seed, List<String> jobs, String worker) {
        for (String id : jobs) {
            JsonNode job = job(seed, id);
            if (!job.path("state").asText().equals("RUNNING")) {
                continue;
            }
            String claim = "Attempt " + job.path("attempt").asInt() + " claimed by " + worker;
            for (JsonNode event : seed.team().getJson("/training-jobs/" + id + "/events")) {
                if (event.path("message").asText().startsWith(claim)) {
                    return job;
                }
            }
        }
        return null;
    }

    private static JsonNode job(Seed seed, String id) {
        return seed.team().getJson("/training-jobs/" + id);
    }

    private static int versions(Seed seed, String adapter) {
        try {
            return seed.team().getJson("/adapters/" + adapter + "/versions").path("total").asInt();
        } catch (RegistryNotFoundException noAdapterYet) {
            return 0;
        }
    }
}
