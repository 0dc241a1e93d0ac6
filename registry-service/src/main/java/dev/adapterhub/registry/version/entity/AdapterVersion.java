package dev.adapterhub.registry.version.entity;

import dev.adapterhub.formats.peft.PeftType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** An immutable, validated set of adapter files with its lineage. Only the status fields ever change. */
@Entity
@Table(name = "adapter_version")
public class AdapterVersion {

    @Id
    public UUID id;

    @Column(name = "adapter_id", nullable = false)
    public UUID adapterId;

    /** 1, 2, 3, ... per adapter. */
    @Column(nullable = false)
    public int version;

    /** {@code sha256:<hex>} of the version manifest (see formats VersionDigest). */
    @Column(nullable = false)
    public String digest;

    @Enumerated(EnumType.STRING)
    @Column(name = "peft_type", nullable = false)
    public PeftType peftType;

    @Column(nullable = false)
    public int rank;

    /** JSON value of target_modules as found in adapter_config.json. */
    @Column(name = "target_modules", nullable = false)
    public String targetModules;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public VersionStatus status;

    @Column(name = "deprecation_reason")
    public String deprecationReason;

    @Column(name = "deprecated_at")
    public Instant deprecatedAt;

    @Column(name = "base_model_id", nullable = false)
    public UUID baseModelId;

    @Column(name = "parent_version_id")
    public UUID parentVersionId;

    @Column(name = "transferred_from_version_id")
    public UUID transferredFromVersionId;

    @Column(name = "training_job_id")
    public String trainingJobId;

    @Column(name = "dataset_digest")
    public String datasetDigest;

    /** How a transfer job made it (COPY, TRANS_LORA, TRANS_LORA_UNFILTERED); null for other versions. */
    @Column(name = "transfer_method")
    public String transferMethod;

    /** How many examples trained it; null when the uploader did not say. */
    @Column(name = "training_examples")
    public Integer trainingExamples;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
