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
 */
public record TrainingJobClaim(Job job, UUID leaseToken, Instant leaseExpiresAt,
                               List<ObjectStorageFile> baseModelFiles, ObjectStorageFile datasetFile,
                               String checkpointPrefix, Integer resumeFromStep) {
}
