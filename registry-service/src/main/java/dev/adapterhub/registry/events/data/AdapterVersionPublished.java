package dev.adapterhub.registry.events.data;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.UUID;

/** Data of {@code dev.adapterhub.registry.adapter-version.published}; optional lineage fields are omitted when absent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdapterVersionPublished(UUID adapterId, String adapterName, UUID versionId, int version,
                                      String digest, String method, String peftType, UUID baseModelId,
                                      String baseModelName, String baseModelRevision, Integer parentVersion,
                                      UUID transferredFromVersionId, String trainingJobId) {
}
