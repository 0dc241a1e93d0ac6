package dev.adapterhub.registry.transferkit.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** What a training job left for a later Trans-LoRA transfer of its version (the seeds are in seed_example). */
@Entity
@Table(name = "transfer_kit")
public class TransferKit {

    @Id
    @Column(name = "version_id")
    public UUID versionId;

    @Column(name = "opted_out", nullable = false)
    public boolean optedOut;

    /** The NAME of the discriminator prompt; null when the job opted out. */
    @Column(name = "task_name")
    public String taskName;

    @Column(name = "real_inputs")
    public Integer realInputs;

    @Column(name = "generated_inputs")
    public Integer generatedInputs;

    @Column(name = "accuracy_real")
    public Double accuracyOnReal;

    @Column(name = "accuracy_generated")
    public Double accuracyOnGenerated;

    /** Why the worker made no discriminator, as it reported. */
    @Column(name = "missing_reason")
    public String missingReason;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
