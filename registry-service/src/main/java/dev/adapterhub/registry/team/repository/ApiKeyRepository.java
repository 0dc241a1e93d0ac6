package dev.adapterhub.registry.team.repository;

import dev.adapterhub.registry.common.SqlReads;
import dev.adapterhub.registry.team.entity.ApiKey;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKey, String> {

    private final SqlReads reads;

    public ApiKeyRepository(SqlReads reads) {
        this.reads = reads;
    }

    /** The key's row as the authenticator needs it, read on every call with one plain statement (ADR 14). */
    public Optional<ApiKeyRow> findRow(String id) {
        return reads.first("select id, team, name, role, scopes, secret_sha256, expires_at, revoked_at, last_used_at,"
                + " adapters from api_key where id = ?", row -> new ApiKeyRow(row.getString("id"),
                row.getString("team"), row.getString("name"), row.getString("role"), row.getString("scopes"),
                row.getString("secret_sha256"), SqlReads.instant(row, "expires_at"),
                SqlReads.instant(row, "revoked_at"), SqlReads.instant(row, "last_used_at"),
                row.getString("adapters")), id);
    }

    public record ApiKeyRow(String id, String team, String name, String role, String scopes, String secretSha256,
                            Instant expiresAt, Instant revokedAt, Instant lastUsedAt, String adapters) {
    }

    public List<ApiKey> listByTeam(String team) {
        return list("team = ?1 order by createdAt desc, id", team);
    }

    public boolean nameTaken(String team, String name) {
        return count("team = ?1 and name = ?2", team, name) > 0;
    }

    /** Sets last-used unless it was set less than {@code notBefore}; one statement, no lock held. */
    public void touch(String id, Instant when, Instant notBefore) {
        update("lastUsedAt = ?1 where id = ?2 and (lastUsedAt is null or lastUsedAt < ?3)", when, id, notBefore);
    }
}
