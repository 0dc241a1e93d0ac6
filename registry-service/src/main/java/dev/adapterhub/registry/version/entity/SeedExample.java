package dev.adapterhub.registry.version.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A prompt/completion pair kept from the training data; Trans-LoRA seeds synthetic data generation with them. */
@Entity
@Table(name = "seed_example")
public class SeedExample {

    @Id
    public UUID id;

    @Column(name = "version_id", nullable = false)
    public UUID versionId;

    @Column(nullable = false)
    public int position;

    @Column(nullable = false)
    public String prompt;

    @Column(nullable = false)
    public String completion;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
