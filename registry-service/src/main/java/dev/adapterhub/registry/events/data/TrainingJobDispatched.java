package dev.adapterhub.registry.events.data;

import java.util.UUID;

/** Data of {@code dev.adapterhub.training.job.dispatched} (topic adapterhub.training.jobs.v1). */
public record TrainingJobDispatched(UUID jobId, int attempt, String adapterName, String method, UUID baseModelId,
                                    String baseModelName, String baseModelRevision, String datasetDigest) {
}
