package dev.adapterhub.registry.version.service;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The alias facts that resolving, showing and deprecating versions need. Aliases build on versions, so the alias
 * feature answers this instead of this feature reading the alias tables, which would be a package cycle. Answers
 * in the caller's transaction.
 */
public interface AliasTargets {

    /** Id of the version the adapter's alias points at; empty when the adapter has no such alias. */
    Optional<UUID> versionOf(UUID adapterId, String alias);

    /** Names of the aliases pointing at the version, in name order. */
    List<String> aliasesOf(UUID versionId);
}
