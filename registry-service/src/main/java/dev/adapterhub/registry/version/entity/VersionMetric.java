package dev.adapterhub.registry.version.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One evaluation result of a version (many per version, e.g. per split and step). */
@Entity
@Table(name = "version_metric")
public class VersionMetric {

    @Id
    public UUID id;

    @Column(name = "version_id", nullable = false)
    public UUID versionId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public double value;

    @Column
    public String split;

    @Column
    public Long step;

    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;
}
