package dev.adapterhub.registry.adapter.repository;

import dev.adapterhub.registry.adapter.dto.AdapterMethod;
import dev.adapterhub.registry.security.Visibility;
import jakarta.persistence.TypedQuery;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Search criteria; every non-null criterion must hold. {@code baseModelIds} empty means "no base model matched".
 * {@code visibleTeams}: the caller's teams, whose private adapters it sees beside every INTERNAL one; null for all.
 */
public record AdapterFilter(List<UUID> baseModelIds, AdapterMethod method, String team, String tag, String alias,
                            Set<String> visibleTeams) {

    String where() {
        List<String> clauses = new ArrayList<>();
        clauses.add("1 = 1");
        if (baseModelIds != null) {
            clauses.add(baseModelIds.isEmpty() ? "1 = 0" : "a.baseModelId in :baseModelIds");
        }
        if (method != null) {
            clauses.add("a.method = :method");
        }
        if (team != null) {
            clauses.add("a.team = :team");
        }
        if (tag != null) {
            clauses.add(":tag member of a.tags");
        }
        if (visibleTeams != null) {
            clauses.add(visibleTeams.isEmpty() ? "a.visibility = :internal"
                    : "(a.visibility = :internal or a.team in :visibleTeams)");
        }
        if (alias != null) {
            clauses.add("exists (select 1 from AdapterAlias al where al.adapterId = a.id and al.name = :alias)");
        }
        return String.join(" and ", clauses);
    }

    void bind(TypedQuery<?> query) {
        if (baseModelIds != null && !baseModelIds.isEmpty()) {
            query.setParameter("baseModelIds", baseModelIds);
        }
        if (method != null) {
            query.setParameter("method", method);
        }
        if (team != null) {
            query.setParameter("team", team);
        }
        if (tag != null) {
            query.setParameter("tag", tag);
        }
        if (alias != null) {
            query.setParameter("alias", alias);
        }
        if (visibleTeams != null) {
            query.setParameter("internal", Visibility.INTERNAL);
            if (!visibleTeams.isEmpty()) {
                query.setParameter("visibleTeams", visibleTeams);
            }
        }
    }
}
