package dev.adapterhub.registry.adapter.repository;

import dev.adapterhub.registry.adapter.dto.AdapterMethod;
import dev.adapterhub.registry.security.Visibility;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Search criteria; every non-null criterion must hold. {@code baseModelIds} empty means "no base model matched".
 * {@code visibleTeams}: the caller's teams, whose private adapters it sees beside every INTERNAL one; null for all.
 * Lists bind as arrays ({@code = any(?)}), so each combination of criteria is one prepared statement however long
 * the lists are.
 */
public record AdapterFilter(List<UUID> baseModelIds, AdapterMethod method, String team, String tag, String alias,
                            Set<String> visibleTeams) {

    /** The SQL condition on table alias {@code a}; its parameters come from {@link #parameters()} in order. */
    String where() {
        List<String> clauses = new ArrayList<>();
        clauses.add("true");
        if (baseModelIds != null) {
            clauses.add("a.base_model_id = any(?)");
        }
        if (method != null) {
            clauses.add("a.method = ?");
        }
        if (team != null) {
            clauses.add("a.team = ?");
        }
        if (tag != null) {
            clauses.add("exists (select 1 from adapter_tag t where t.adapter_id = a.id and t.tag = ?)");
        }
        if (visibleTeams != null) {
            clauses.add("(a.visibility = ? or a.team = any(?))");
        }
        if (alias != null) {
            clauses.add("exists (select 1 from adapter_alias al where al.adapter_id = a.id and al.name = ?)");
        }
        return String.join(" and ", clauses);
    }

    List<Object> parameters() {
        List<Object> parameters = new ArrayList<>();
        if (baseModelIds != null) {
            parameters.add(baseModelIds.toArray(UUID[]::new));
        }
        if (method != null) {
            parameters.add(method.name());
        }
        if (team != null) {
            parameters.add(team);
        }
        if (tag != null) {
            parameters.add(tag);
        }
        if (visibleTeams != null) {
            parameters.add(Visibility.INTERNAL.name());
            parameters.add(visibleTeams.toArray(String[]::new));
        }
        if (alias != null) {
            parameters.add(alias);
        }
        return parameters;
    }
}
