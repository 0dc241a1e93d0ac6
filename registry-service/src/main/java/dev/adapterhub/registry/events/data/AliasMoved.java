package dev.adapterhub.registry.events.data;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.UUID;

/** Data of {@code dev.adapterhub.registry.alias.moved}; {@code previousVersion} is absent for a new alias. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AliasMoved(UUID adapterId, String adapterName, String alias, int version, UUID versionId,
                         String digest, Integer previousVersion, String movedBy) {
}
