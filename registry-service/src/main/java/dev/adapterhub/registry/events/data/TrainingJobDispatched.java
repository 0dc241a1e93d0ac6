package dev.adapterhub.registry.events.data;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.UUID;

/** Data of {@code dev.adapterhub.training.job.dispatched} (topic adapterhub.training.jobs.v1). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingJobDispatched(UUID jobId, int attempt, String kind, String adapterName, String method,
                                    UUID baseModelId, String baseModelName, String baseModelRevision,
                                    String datasetDigest, UUID sourceVersionId) {
}
