package dev.adapterhub.registry.team.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A team: it owns adapters, datasets and API keys; its members' roles come from their credentials. */
@Entity
@Table(name = "team")
public class Team {

    @Id
    public String name;

    public String description;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
