package dev.adapterhub.registry.security;

import java.util.EnumSet;
import java.util.Set;

/** A member's role in a team; each role can do everything the ones before it can. */
public enum Role {
    /** Reads the team's adapters, versions, jobs and datasets. */
    READER,
    /** Creates adapters, uploads versions and datasets, submits jobs, moves unprotected aliases. */
    WRITER,
    /** Moves protected aliases, manages API keys, deprecates versions, reviews transfers, deletes datasets. */
    ADMIN;

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    /** The scopes a credential of this role gets when it names none, and the most it may name. */
    public Set<Scope> scopes() {
        return switch (this) {
            case READER -> EnumSet.of(Scope.READ, Scope.INFERENCE);
            case WRITER -> EnumSet.of(Scope.READ, Scope.WRITE, Scope.INFERENCE);
            case ADMIN -> EnumSet.of(Scope.READ, Scope.WRITE, Scope.ADMIN, Scope.INFERENCE);
        };
    }
}
