package dev.adapterhub.registry.adapter.service;

import java.util.Map;
import java.util.UUID;

/**
 * What an adapter's representation shows about its versions and aliases. The version and alias features build on
 * adapters, so the alias feature answers this (it sees both versions and aliases) instead of this feature reading
 * their tables, which would be a package cycle. Answers in the caller's transaction.
 */
public interface VersionSummaries {

    /** Highest version number of the adapter, 0 before its first version. */
    int latestVersion(UUID adapterId);

    /** Alias name to the number of the version it points at, in alias name order. */
    Map<String, Integer> aliasVersions(UUID adapterId);
}
