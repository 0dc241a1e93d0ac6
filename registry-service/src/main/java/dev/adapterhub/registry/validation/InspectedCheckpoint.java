package dev.adapterhub.registry.validation;

import dev.adapterhub.formats.hf.LinearModules;
import dev.adapterhub.formats.hf.LlamaConfig;

/** What the registry keeps from a validated base model checkpoint. */
public record InspectedCheckpoint(LlamaConfig config, String configJson, LinearModules linearModules,
                                  ShapesSource shapesSource) {
}
