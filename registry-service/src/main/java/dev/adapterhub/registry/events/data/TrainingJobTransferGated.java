package dev.adapterhub.registry.events.data;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.UUID;

/** Data of {@code dev.adapterhub.training.job.transfer-gated} (topic adapterhub.training.events.v1). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingJobTransferGated(UUID jobId, String adapterName, UUID versionId, int version, String decision,
                                       String transferMethod, Double sourceExactMatch, Double targetBaseExactMatch,
                                       Double transferredExactMatch, double margin, List<String> aliases,
                                       String reason, String actor) {
}
