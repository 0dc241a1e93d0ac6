package dev.adapterhub.registry.job.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Whether a job leaves a transfer kit with its version, and the task name its discriminator is asked about. */
@Schema(name = "TransferKitSettings")
public record TransferKitSettings(
        @Schema(description = "Make a kit (seed examples and a discriminator). Default true; false keeps no "
                + "seed examples either") Boolean enabled,
        @Schema(description = "The NAME in the discriminator's prompt \"Is the above question from NAME dataset?\". "
                + "Default: the adapter name", examples = "numbers-to-words") String taskName) {
}
