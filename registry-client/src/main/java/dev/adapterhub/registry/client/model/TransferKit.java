package dev.adapterhub.registry.client.model;

import java.time.Instant;
import java.util.List;

/**
 * What a later Trans-LoRA transfer of a version has to work with (schema {@code TransferKit}).
 *
 * @param version       {@code name@number}
 * @param status        COMPLETE, SEEDS_ONLY or NONE
 * @param reason        why the kit is not COMPLETE; null when it is
 * @param discriminator null unless COMPLETE
 */
public record TransferKit(String versionId, String version, String status, String reason, boolean optedOut,
                          String taskName, int seedExamples, Discriminator discriminator, Instant createdAt) {

    /** A PEFT LoRA on the version's base model and how well it told real inputs from generated ones. */
    public record Discriminator(List<StoredFile> files, int realInputs, int generatedInputs, double accuracyOnReal,
                                double accuracyOnGenerated) {
    }

    public boolean complete() {
        return "COMPLETE".equals(status);
    }
}
