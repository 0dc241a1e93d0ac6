package dev.adapterhub.registry.client.model;

import java.util.List;
import java.util.Map;

/**
 * A caller as the registry sees it ({@code GET /whoami}).
 *
 * @param name          what audit trails record, e.g. {@code key:nlp/ci-deploy}
 * @param kind          USER, API_KEY or SERVICE
 * @param platformAdmin may manage base models and teams, and act in every team
 * @param teams         team name to role (READER, WRITER, ADMIN)
 * @param scopes        e.g. read, write, admin, inference, read-all
 * @param adapters      for a key limited to some adapters (names, or prefixes ending in *): those; else null
 */
public record Caller(String name, String kind, boolean platformAdmin, Map<String, String> teams, List<String> scopes,
                     List<String> adapters) {

    /** Whether a key limited to some adapters names this one (always true for an unlimited caller). */
    public boolean namesAdapter(String adapter) {
        if (adapters == null) {
            return true;
        }
        for (String pattern : adapters) {
            if (pattern.equals(adapter)
                    || (pattern.endsWith("*") && adapter.startsWith(pattern.substring(0, pattern.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    public boolean has(String scope) {
        return scopes != null && scopes.contains(scope);
    }

    /** Whether the caller belongs to {@code team} with at least {@code role} (READER < WRITER < ADMIN). */
    public boolean atLeast(String team, String role) {
        String held = teams == null ? null : teams.get(team);
        return held != null && rank(held) >= rank(role);
    }

    private static int rank(String role) {
        return switch (role) {
            case "ADMIN" -> 3;
            case "WRITER" -> 2;
            case "READER" -> 1;
            default -> 0;
        };
    }
}
