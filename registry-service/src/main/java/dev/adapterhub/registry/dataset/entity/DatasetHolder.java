package dev.adapterhub.registry.dataset.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import java.time.Instant;

/** A team that uploaded a dataset's bytes, and so may read it and train on it. */
@Embeddable
public class DatasetHolder {

    @Column(nullable = false)
    public String team;

    @Column(name = "added_by", nullable = false)
    public String addedBy;

    @Column(name = "added_at", nullable = false)
    public Instant addedAt;
}
