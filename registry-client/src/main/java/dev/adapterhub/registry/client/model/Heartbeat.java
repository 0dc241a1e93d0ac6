package dev.adapterhub.registry.client.model;

/**
 * One heartbeat (schema {@code TrainingJobHeartbeat}): renews the lease; every other field is optional progress.
 *
 * @param running        true once training started (VALIDATING -> RUNNING)
 * @param checkpointStep step of a checkpoint fully written to object storage
 * @param message        a line for the job's event log
 */
public record Heartbeat(String leaseToken, Boolean running, Integer step, Double loss, Double learningRate,
                        Double tokensPerSecond, Double etaSeconds, Double evalLoss, Double evalExactMatch,
                        Integer checkpointStep, String message, String phase, Integer phaseDone,
                        Integer phaseTotal) {

    /** Renews the lease and nothing else. */
    public static Heartbeat renew(String leaseToken) {
        return new Heartbeat(leaseToken, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Renews the lease and adds a line to the job's event log. */
    public static Heartbeat message(String leaseToken, String message) {
        return new Heartbeat(leaseToken, null, null, null, null, null, null, null, null, null, message, null, null,
                null);
    }

    /** The same heartbeat, also saying that the work has begun (VALIDATING -> RUNNING). */
    public Heartbeat asRunning() {
        return new Heartbeat(leaseToken, true, step, loss, learningRate, tokensPerSecond, etaSeconds, evalLoss,
                evalExactMatch, checkpointStep, message, phase, phaseDone, phaseTotal);
    }

    /** Renews the lease and reports how far a phase outside the training steps (e.g. synthesis) is. */
    public static Heartbeat phase(String leaseToken, String phase, int done, int total, String message) {
        return new Heartbeat(leaseToken, null, null, null, null, null, null, null, null, null, message, phase, done,
                total);
    }
}
