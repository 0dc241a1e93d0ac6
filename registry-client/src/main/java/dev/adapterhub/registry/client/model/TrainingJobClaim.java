package dev.adapterhub.registry.client.model;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The answer to a won claim: the job, the lease and where its inputs and checkpoints live.
 *
 * @param leaseToken       sent with every heartbeat, fail and complete
 * @param checkpointPrefix object-storage prefix of this job's checkpoints ({@code step-NNNNNN/} below it)
 * @param resumeFromStep   resume from that checkpoint when not null
 * @param datasetFile      null for a TRANSFER
 * @param transfer         a TRANSFER's inputs; null for TRAINING
 */
public record TrainingJobClaim(Job job, UUID leaseToken, Instant leaseExpiresAt,
                               List<ObjectStorageFile> baseModelFiles, ObjectStorageFile datasetFile,
                               TransferInputs transfer, String checkpointPrefix, Integer resumeFromStep) {

    /**
     * What a TRANSFER attempt reads instead of a dataset (schema {@code TransferClaim}).
     *
     * @param discriminatorFiles empty unless the source's kit is COMPLETE
     * @param evaluationSetFile  the adapter's registered evaluation set (JSONL) to score on; null: none
     */
    public record TransferInputs(List<ObjectStorageFile> sourceBaseModelFiles,
                                 List<ObjectStorageFile> sourceAdapterFiles,
                                 List<ObjectStorageFile> discriminatorFiles, List<SeedExample> seedExamples,
                                 ObjectStorageFile evaluationSetFile) {
    }

    /** A seed example of the source's kit. */
    public record SeedExample(int position, String prompt, String completion) {
    }
}
