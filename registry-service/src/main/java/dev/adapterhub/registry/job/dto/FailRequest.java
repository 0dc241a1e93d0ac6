package dev.adapterhub.registry.job.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A worker gives up on its attempt. */
@Schema(name = "FailTrainingJob")
public record FailRequest(
        @Schema(required = true) String leaseToken,
        @Schema(required = true, description = "Shown to the user as the failure reason") String reason,
        @Schema(description = "true: re-queue while attempts are left (e.g. out of memory); false: the job "
                + "cannot succeed (e.g. the dataset does not tokenize)") Boolean retryable) {
}
