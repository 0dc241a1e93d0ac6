package dev.adapterhub.registry.security;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The authenticated caller, whatever the credential: a JWT user, a team API key or one of the platform's service
 * accounts. Audit columns record {@link #name()}.
 *
 * @param name      stable, readable name: {@code user:<subject>}, {@code key:<team>/<key name>},
 *                  {@code service:<account>}
 * @param kind      what kind of credential proved it
 * @param platformAdmin may manage base models and teams, and do anything a team admin may in every team
 * @param teams     team name to role
 * @param scopes    what the credential may be used for
 * @param keyId     the API key's id, for API keys only
 * @param adapters  for a key limited to some adapters (names or prefixes ending in *): those; null otherwise
 */
public record Principal(String name, Kind kind, boolean platformAdmin, Map<String, Role> teams, Set<Scope> scopes,
                        String keyId, List<String> adapters) {

    /** Longest name an audit column holds. */
    public static final int MAX_NAME = 256;

    public enum Kind { ANONYMOUS, USER, API_KEY, SERVICE }

    public static final Principal ANONYMOUS =
            new Principal("anonymous", Kind.ANONYMOUS, false, Map.of(), Set.of(), null, null);

    public Principal {
        teams = Map.copyOf(teams);
        scopes = Set.copyOf(scopes);
        adapters = adapters == null ? null : List.copyOf(adapters);
        if (name.length() > MAX_NAME) {
            name = name.substring(0, MAX_NAME);
        }
    }

    public boolean authenticated() {
        return kind != Kind.ANONYMOUS;
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }

    public Optional<Role> roleIn(String team) {
        return Optional.ofNullable(teams.get(team));
    }

    /** The only team of a caller that belongs to exactly one, the default for requests that name none. */
    public Optional<String> soleTeam() {
        return teams.size() == 1 ? Optional.of(teams.keySet().iterator().next()) : Optional.empty();
    }
}
