package dev.adapterhub.adapterctl;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;

/**
 * Follows a job until it ends: a progress bar on stderr (percent, phase, ETA, loss), then the exit code its end
 * means: SUCCEEDED 0 (a transfer whose gate asked for a review: 11), FAILED 3, CANCELLED 4, still running at
 * the timeout 10.
 */
final class JobWaiter {

    private JobWaiter() {
    }

    static int await(Session session, String jobId, Duration timeout, Duration poll) throws InterruptedException {
        ProgressBar bar = ProgressBar.forConsole(session.err);
        Instant deadline = timeout == null ? Instant.MAX : Instant.now().plus(timeout);
        String path = "/training-jobs/" + jobId;
        while (true) {
            JsonNode progress = session.registry().getJson(path + "/progress");
            String state = progress.path("state").asText();
            bar.show(label(progress), progress.path("percent").asDouble() / 100.0, detail(progress));
            if (state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED")) {
                bar.done();
                JsonNode job = session.registry().getJson(path);
                session.print(job);
                if (!session.json()) {
                    session.err.println("job " + jobId + " " + state + (job.hasNonNull("failureReason")
                            ? ": " + job.get("failureReason").asText() : ""));
                }
                return switch (state) {
                    case "SUCCEEDED" -> "NEEDS_REVIEW".equals(job.at("/gate/decision").asText())
                            ? ExitCodes.NEEDS_REVIEW : ExitCodes.OK;
                    case "FAILED" -> ExitCodes.JOB_FAILED;
                    default -> ExitCodes.JOB_CANCELLED;
                };
            }
            if (Instant.now().isAfter(deadline)) {
                bar.done();
                session.err.println("job " + jobId + " is still " + state + " after " + timeout);
                return ExitCodes.TIMEOUT;
            }
            Thread.sleep(poll.toMillis());
        }
    }

    private static String label(JsonNode progress) {
        JsonNode phase = progress.path("phase");
        return progress.path("state").asText() + (phase.hasNonNull("name") ? " " + phase.get("name").asText() : "");
    }

    private static String detail(JsonNode progress) {
        StringBuilder detail = new StringBuilder();
        detail.append("step ").append(progress.path("step").asInt()).append('/').append(progress.path("totalSteps")
                .asInt());
        if (progress.hasNonNull("etaSeconds")) {
            detail.append("  ETA ").append(ProgressBar.duration(progress.get("etaSeconds").asDouble()));
        }
        if (progress.hasNonNull("loss")) {
            detail.append(String.format("  loss %.4f", progress.get("loss").asDouble()));
        }
        return detail.toString();
    }
}
