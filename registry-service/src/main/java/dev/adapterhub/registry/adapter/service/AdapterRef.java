package dev.adapterhub.registry.adapter.service;

import dev.adapterhub.registry.adapter.dto.AdapterMethod;
import dev.adapterhub.registry.adapter.entity.Adapter;
import dev.adapterhub.registry.security.Visibility;

import java.util.Set;
import java.util.UUID;

/** What other features need to know about an adapter; {@link AdapterService} hands it out instead of the entity. */
public record AdapterRef(UUID id, String name, AdapterMethod method, UUID baseModelId, String team,
                         Visibility visibility, Set<String> protectedAliases) {

    static AdapterRef of(Adapter adapter) {
        return new AdapterRef(adapter.id, adapter.name, adapter.method, adapter.baseModelId, adapter.team,
                adapter.visibility, Set.copyOf(adapter.protectedAliases));
    }

    public boolean isProtected(String alias) {
        return protectedAliases.contains(alias);
    }
}
