package dev.adapterhub.registry.version.repository;

import dev.adapterhub.formats.peft.PeftType;
import dev.adapterhub.registry.adapter.dto.AdapterMethod;
import dev.adapterhub.registry.security.Visibility;
import dev.adapterhub.registry.version.entity.VersionStatus;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A version as the read endpoints show it, read with one statement (ADR 14): its row, its adapter's name, team,
 * visibility and method, its base model, the versions it continues from or was transferred from, its files in
 * name order and the aliases pointing at it.
 */
public record VersionView(UUID id, UUID adapterId, String adapterName, String team, Visibility visibility,
                          AdapterMethod method, int version, String digest, VersionStatus status, PeftType peftType,
                          int rank, String targetModules, UUID baseModelId, String baseModelName,
                          String baseModelRevision, String trainingJobId, String datasetDigest,
                          Integer trainingExamples, String transferMethod, Related parent, Related transferredFrom,
                          List<File> files, List<String> aliases, String createdBy, Instant createdAt,
                          Instant deprecatedAt, String deprecationReason) {

    /** Another version this one names in its lineage. */
    public record Related(UUID id, String adapterName, int version, String digest) {
    }

    public record File(String name, long sizeBytes, String sha256) {
    }
}
