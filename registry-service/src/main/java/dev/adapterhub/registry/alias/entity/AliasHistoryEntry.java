package dev.adapterhub.registry.alias.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** Audit record of one attempt to move an alias, refused ones too; never updated or deleted. */
@Entity
@Table(name = "alias_history")
public class AliasHistoryEntry {

    public static final String MOVED = "MOVED";
    public static final String REFUSED = "REFUSED";

    @Id
    public UUID id;

    @Column(name = "adapter_id", nullable = false)
    public UUID adapterId;

    @Column(nullable = false)
    public String alias;

    /** Null when the move created the alias. */
    @Column(name = "from_version_id")
    public UUID fromVersionId;

    /** Null for a refused attempt. */
    @Column(name = "to_version_id")
    public UUID toVersionId;

    /** {@link #MOVED} or {@link #REFUSED}. */
    @Column(nullable = false)
    public String outcome;

    /** Why an attempt was refused. */
    public String detail;

    @Column(name = "moved_by", nullable = false)
    public String movedBy;

    @Column(name = "moved_at", nullable = false)
    public Instant movedAt;
}
