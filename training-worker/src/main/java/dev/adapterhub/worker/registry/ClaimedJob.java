package dev.adapterhub.worker.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.UUID;

/**
 * The registry's answer to a claim: the job, the lease and where its inputs and checkpoints live. The worker's
 * own copy of the registry's {@code TrainingJobClaim} contract (only the fields it uses).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClaimedJob(Job job, UUID leaseToken, List<StoredFile> baseModelFiles, StoredFile datasetFile,
                         String checkpointPrefix, Integer resumeFromStep) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Job(UUID id, String adapterName, BaseModelRef baseModel, DatasetRef dataset, String method,
                      JobHyperparameters hyperparameters, int totalSteps, int attempt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BaseModelRef(String name, String revision) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DatasetRef(String digest, int exampleCount) {
    }

    /** A file in object storage, with the SHA-256 (hex) its bytes must have. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StoredFile(String fileName, String bucket, String objectKey, long sizeBytes, String sha256) {
    }
}
