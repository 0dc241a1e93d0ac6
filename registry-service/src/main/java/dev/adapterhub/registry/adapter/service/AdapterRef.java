package dev.adapterhub.registry.adapter.service;

import dev.adapterhub.registry.adapter.dto.AdapterMethod;
import dev.adapterhub.registry.adapter.entity.Adapter;

import java.util.UUID;

/** What other features need to know about an adapter; {@link AdapterService} hands it out instead of the entity. */
public record AdapterRef(UUID id, String name, AdapterMethod method, UUID baseModelId) {

    static AdapterRef of(Adapter adapter) {
        return new AdapterRef(adapter.id, adapter.name, adapter.method, adapter.baseModelId);
    }
}
