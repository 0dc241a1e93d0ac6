package dev.adapterhub.registry.events.data;

import java.util.UUID;

/** Data of {@code dev.adapterhub.registry.base-model.registered}. */
public record BaseModelRegistered(UUID baseModelId, String name, String revision, String architecture,
                                  int hiddenSize, int numLayers) {
}
