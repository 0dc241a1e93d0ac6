package dev.adapterhub.registry.alias.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A movable name (production, staging, ...) pointing at one version of an adapter. */
@Entity
@Table(name = "adapter_alias")
public class AdapterAlias {

    @Id
    public UUID id;

    @Column(name = "adapter_id", nullable = false)
    public UUID adapterId;

    @Column(nullable = false)
    public String name;

    @Column(name = "version_id", nullable = false)
    public UUID versionId;

    @Column(name = "updated_by", nullable = false)
    public String updatedBy;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
