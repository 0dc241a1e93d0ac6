package dev.adapterhub.registry.security;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a credential may be used for. A team credential's scopes narrow its role (a writer's key with only
 * {@code read} cannot write); the service scopes belong to the platform's own accounts.
 */
public enum Scope {
    READ("read"),
    WRITE("write"),
    ADMIN("admin"),
    /** Calling the serving gateway with the team's adapters. */
    INFERENCE("inference"),
    /** Service: read every team's adapters, versions, datasets and jobs (worker, gateway, transfer service). */
    READ_ALL("read-all"),
    /** Service: claim, heartbeat, fail and complete training jobs (the worker). */
    JOBS_EXECUTE("jobs:execute"),
    /** Service: submit transfers for any adapter and review their gates (the transfer service). */
    TRANSFERS("transfers");

    private final String value;

    Scope(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<Scope> parse(String value) {
        return Arrays.stream(values()).filter(scope -> scope.value.equals(value)).findFirst();
    }
}
