package dev.adapterhub.registry.job.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Renews the lease and reports (throttled) progress. Metrics are optional; send them when they changed. */
@Schema(name = "TrainingJobHeartbeat")
public record HeartbeatRequest(
        @Schema(required = true) String leaseToken,
        @Schema(description = "true once inputs are validated and training started: VALIDATING -> RUNNING")
        Boolean running,
        Integer step,
        Double loss,
        Double learningRate,
        Double tokensPerSecond,
        Double etaSeconds,
        Double evalLoss,
        Double evalExactMatch,
        @Schema(description = "Step of a checkpoint fully written to object storage") Integer checkpointStep,
        @Schema(description = "A line for the job's event log") String message,
        @Schema(description = "A phase before or beside the training steps, e.g. synthesis; lowercase letters and "
                + "hyphens") String phase,
        @Schema(description = "Units of the phase done (with phase)") Integer phaseDone,
        @Schema(description = "Units in the phase (with phase)") Integer phaseTotal) {
}
