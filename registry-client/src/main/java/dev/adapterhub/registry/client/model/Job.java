package dev.adapterhub.registry.client.model;

import java.time.Instant;
import java.util.UUID;

/**
 * A training job (schema {@code TrainingJob}).
 *
 * @param method          LORA, LORA_GA, LORA_SB or SHIRA
 * @param state           QUEUED, VALIDATING, RUNNING, SUCCEEDED, FAILED or CANCELLED
 * @param resultVersionId the published version, once SUCCEEDED
 */
public record Job(UUID id, String adapterName, String team, BaseModelRef baseModel, DatasetRef dataset,
                  String method, Hyperparameters hyperparameters, int totalSteps, TransferKitSettings transferKit,
                  String state,
                  String failureReason, int attempt, int maxAttempts, String resultVersionId,
                  Instant createdAt, Instant updatedAt) {

    /** Whether the job leaves a transfer kit, and the task name its discriminator is asked about. */
    public record TransferKitSettings(boolean enabled, String taskName) {
    }

    /** True unless the job opted out of the transfer kit (a registry that predates kits sends none). */
    public boolean makesTransferKit() {
        return transferKit == null || transferKit.enabled();
    }

    /** The dataset of a job. */
    public record DatasetRef(String id, String digest, int exampleCount) {
    }
}
