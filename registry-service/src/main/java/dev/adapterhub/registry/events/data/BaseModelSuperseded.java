package dev.adapterhub.registry.events.data;

import java.util.UUID;

/** Data of {@code dev.adapterhub.registry.base-model.superseded}; consumers start Trans-LoRA transfers on it. */
public record BaseModelSuperseded(UUID baseModelId, String name, String revision, UUID supersededById,
                                  String supersededByName, String supersededByRevision) {
}
