package dev.adapterhub.registry.events.data;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.UUID;

/** Data of {@code dev.adapterhub.training.job.state-changed}; optional fields are omitted when absent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingJobStateChanged(UUID jobId, String adapterName, String state, String previousState,
                                      int attempt, String reason, UUID versionId, Integer version) {
}
