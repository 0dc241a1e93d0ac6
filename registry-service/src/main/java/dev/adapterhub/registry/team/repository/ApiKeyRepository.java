package dev.adapterhub.registry.team.repository;

import dev.adapterhub.registry.team.entity.ApiKey;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKey, String> {

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
