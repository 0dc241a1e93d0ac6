package dev.adapterhub.registry.team.entity;

import dev.adapterhub.registry.security.Role;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A team API key: its role, scopes and lifetime. The key itself is never stored, only its SHA-256. */
@Entity
@Table(name = "api_key")
public class ApiKey {

    @Id
    public String id;

    @Column(nullable = false)
    public String team;

    @Column(nullable = false)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Role role;

    /** Comma separated {@code Scope} values. */
    @Column(nullable = false)
    public String scopes;

    /** Comma separated adapter names or prefixes ending in {@code *} the key may serve; null: no limit. */
    public String adapters;

    @Column(name = "secret_sha256", nullable = false)
    public String secretSha256;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoked_by")
    public String revokedBy;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;
}
