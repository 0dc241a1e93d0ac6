package dev.adapterhub.registry.security;

import dev.adapterhub.registry.error.ForbiddenException;
import dev.adapterhub.registry.error.InvalidRequestException;
import dev.adapterhub.registry.error.RegistryException;
import dev.adapterhub.registry.error.UnauthenticatedException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;
import java.util.function.Supplier;

/**
 * The registry's one authorization point: every rule of who may do what is a method here, and resources and
 * services ask it before they act. Refusals are domain exceptions (401, 403; 404 where a 403 would tell the
 * caller that another team's private adapter exists).
 */
@ApplicationScoped
public class Access {

    private final CurrentPrincipal current;

    public Access(CurrentPrincipal current) {
        this.current = current;
    }

    /** The authenticated caller; 401 for an anonymous one. */
    public Principal caller() {
        Principal principal = current.get();
        if (!principal.authenticated()) {
            throw new UnauthenticatedException("This API needs 'Authorization: Bearer <API key or token>'");
        }
        return principal;
    }

    /** Who the audit trail names for this request. */
    public String actor() {
        return caller().name();
    }

    /**
     * Like {@link #actor()}, for requests that may name a person a service acts for (the transfer service
     * promoting for a reviewer): recorded as {@code service:… for <who>}. Only service accounts may name one.
     */
    public String actor(String onBehalfOf) {
        Principal principal = caller();
        if (onBehalfOf == null || onBehalfOf.isBlank() || onBehalfOf.strip().equals(principal.name())) {
            return principal.name();
        }
        if (principal.kind() != Principal.Kind.SERVICE) {
            throw new InvalidRequestException("actor is taken from your credentials; only the platform's service "
                    + "accounts may name someone they act for");
        }
        if (onBehalfOf.length() > 128) {
            throw new InvalidRequestException("actor must be at most 128 characters");
        }
        return principal.name() + " for " + onBehalfOf.strip();
    }

    /** Base models, teams: the platform admin's. */
    public void platformAdmin(String what) {
        if (!caller().platformAdmin()) {
            throw new ForbiddenException("Only a platform admin may " + what);
        }
    }

    /** What only one of the platform's services (or the platform admin) does. */
    public void service(Scope scope, String what) {
        Principal principal = caller();
        if (!principal.platformAdmin() && !principal.has(scope)) {
            throw new ForbiddenException("Only the platform's " + serviceName(scope) + " may " + what);
        }
    }

    /** Whether the caller has this service scope (or is the platform admin). */
    public boolean hasService(Scope scope) {
        Principal principal = caller();
        return principal.platformAdmin() || principal.has(scope);
    }

    /** Whether the caller may read a resource of {@code team} with this visibility. */
    public boolean canSee(String team, Visibility visibility) {
        Principal principal = caller();
        if (principal.platformAdmin() || principal.has(Scope.READ_ALL)) {
            return true;
        }
        if (!principal.has(Scope.READ)) {
            return false;
        }
        return visibility == Visibility.INTERNAL || (team != null && principal.roleIn(team).isPresent());
    }

    /** Whether the caller may act in {@code team} with at least role {@code role}. */
    public boolean can(String team, Role role) {
        Principal principal = caller();
        if (principal.platformAdmin()) {
            return true;
        }
        return team != null && principal.roleIn(team).map(held -> held.atLeast(role)).orElse(false)
                && principal.has(scopeOf(role));
    }

    /** 403 unless the caller may act in {@code team} with at least {@code role}. */
    public void team(String team, Role role, String what) {
        if (!can(team, role)) {
            throw new ForbiddenException("Only a team " + role.name().toLowerCase() + " of " + team + " may " + what
                    + (caller().roleIn(team).isPresent() ? "" : "; you are not a member"));
        }
    }

    /**
     * An adapter-owned resource: {@code notFound} (404) when the caller may not see it, 403 when it may see it
     * but not act with {@code role}.
     */
    public void owned(String team, Visibility visibility, Role role, String what,
                      Supplier<? extends RegistryException> notFound) {
        if (!canSee(team, visibility)) {
            throw notFound.get();
        }
        if (role != Role.READER) {
            team(team, role, what);
        }
    }

    /** The teams whose private things the caller sees in lists; {@code null} means every team. */
    public Set<String> visibleTeams() {
        Principal principal = caller();
        if (principal.platformAdmin() || principal.has(Scope.READ_ALL)) {
            return null;
        }
        return principal.has(Scope.READ) ? principal.teams().keySet() : Set.of();
    }

    /** The team a request that names none acts in: the caller's only team. */
    public String defaultTeam(String named) {
        if (named != null && !named.isBlank()) {
            return named;
        }
        return caller().soleTeam().orElseThrow(() -> new InvalidRequestException(
                "team is required (your credentials do not belong to exactly one team)"));
    }

    private static Scope scopeOf(Role role) {
        return switch (role) {
            case READER -> Scope.READ;
            case WRITER -> Scope.WRITE;
            case ADMIN -> Scope.ADMIN;
        };
    }

    private static String serviceName(Scope scope) {
        return switch (scope) {
            case JOBS_EXECUTE -> "training workers";
            case TRANSFERS -> "transfer service";
            default -> "services";
        };
    }
}
