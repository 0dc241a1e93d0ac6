package dev.adapterhub.registry.alias.service;

import dev.adapterhub.registry.alias.repository.AliasRepository;
import dev.adapterhub.registry.version.service.AliasTargets;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Answers the version feature's alias questions ({@link AliasTargets}) from the alias table. */
@ApplicationScoped
public class AliasTargetLookup implements AliasTargets {

    private final AliasRepository aliases;

    public AliasTargetLookup(AliasRepository aliases) {
        this.aliases = aliases;
    }

    @Override
    public Optional<UUID> versionOf(UUID adapterId, String alias) {
        return aliases.findByName(adapterId, alias).map(a -> a.versionId);
    }

    @Override
    public List<String> aliasesOf(UUID versionId) {
        return aliases.findByVersion(versionId).stream().map(a -> a.name).toList();
    }
}
