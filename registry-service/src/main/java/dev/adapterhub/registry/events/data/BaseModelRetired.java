package dev.adapterhub.registry.events.data;

import java.util.UUID;

/** Data of {@code dev.adapterhub.registry.base-model.retired}. */
public record BaseModelRetired(UUID baseModelId, String name, String revision) {
}
