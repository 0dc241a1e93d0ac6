package dev.adapterhub.registry.job.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.adapterhub.registry.job.entity.JobState;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** Progress summary of a job (like Kubeflow Trainer's trainerStatus). */
@Schema(name = "TrainingJobProgress")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProgressDto(
        JobState state,
        int attempt,
        int step,
        int totalSteps,
        @Schema(description = "step / totalSteps · 100") double percent,
        Double etaSeconds,
        Double loss,
        Double learningRate,
        Double tokensPerSecond,
        Double evalLoss,
        Double evalExactMatch,
        @Schema(description = "Step of the last checkpoint a new attempt would resume from") Integer lastCheckpointStep,
        @Schema(description = "What the job is doing now and how far along; percent covers training steps only")
        PhaseDto phase,
        Instant updatedAt) {
}
