package dev.adapterhub.registry.version.service;

import dev.adapterhub.registry.version.entity.AdapterVersion;
import dev.adapterhub.registry.version.entity.VersionStatus;

import java.util.UUID;

/** What other features need to know about a version; {@link VersionService} hands it out instead of the entity. */
public record VersionRef(UUID id, UUID adapterId, int version, String digest, boolean deprecated, UUID baseModelId,
                         String trainingJobId, Integer trainingExamples) {

    static VersionRef of(AdapterVersion version) {
        return new VersionRef(version.id, version.adapterId, version.version, version.digest,
                version.status == VersionStatus.DEPRECATED, version.baseModelId, version.trainingJobId,
                version.trainingExamples);
    }
}
