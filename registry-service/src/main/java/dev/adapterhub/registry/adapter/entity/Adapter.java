package dev.adapterhub.registry.adapter.entity;

import dev.adapterhub.registry.adapter.dto.AdapterMethod;
import dev.adapterhub.registry.security.Visibility;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/** A named adapter on one base model; its trained weights are its immutable versions. */
@Entity
@Table(name = "adapter")
public class Adapter {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String team;

    @Column(name = "base_model_id", nullable = false)
    public UUID baseModelId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public AdapterMethod method;

    @Column(name = "task_description")
    public String taskDescription;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Who outside the team sees it. */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Visibility visibility = Visibility.PRIVATE;

    /** Aliases only a team admin or the transfer gate moves. */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "adapter_protected_alias", joinColumns = @JoinColumn(name = "adapter_id"))
    @Column(name = "alias", nullable = false)
    public Set<String> protectedAliases = new LinkedHashSet<>();

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "adapter_tag", joinColumns = @JoinColumn(name = "adapter_id"))
    @Column(name = "tag", nullable = false)
    public Set<String> tags = new LinkedHashSet<>();
}
