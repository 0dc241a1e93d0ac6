package dev.adapterhub.registry.alias.service;

import dev.adapterhub.registry.adapter.service.VersionSummaries;
import dev.adapterhub.registry.alias.entity.AdapterAlias;
import dev.adapterhub.registry.alias.repository.AliasRepository;
import dev.adapterhub.registry.version.service.VersionService;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Answers the adapter feature's questions about an adapter's versions and aliases ({@link VersionSummaries}).
 * It lives here because alias is the feature that builds on both adapters and versions.
 */
@ApplicationScoped
public class AdapterVersionSummaries implements VersionSummaries {

    private final AliasRepository aliases;
    private final VersionService versions;

    public AdapterVersionSummaries(AliasRepository aliases, VersionService versions) {
        this.aliases = aliases;
        this.versions = versions;
    }

    @Override
    public int latestVersion(UUID adapterId) {
        return versions.latestNumber(adapterId);
    }

    @Override
    public Map<String, Integer> aliasVersions(UUID adapterId) {
        List<AdapterAlias> found = aliases.findByAdapter(adapterId);
        Map<UUID, Integer> numbers = versions.numbers(found.stream().map(alias -> alias.versionId).toList());
        Map<String, Integer> result = new LinkedHashMap<>();
        for (AdapterAlias alias : found) {
            result.put(alias.name, numbers.get(alias.versionId));
        }
        return result;
    }
}
