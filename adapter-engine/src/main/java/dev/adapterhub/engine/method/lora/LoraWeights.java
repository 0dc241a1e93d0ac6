package dev.adapterhub.engine.method.lora;

import dev.adapterhub.formats.peft.PeftConfig;
import java.util.Map;

/**
 * A PEFT LoRA read from disk, on the host: per module A [r, in] and B [out, r] as row-major F32 values with their
 * shapes, and the config.
 */
public record LoraWeights(PeftConfig config, Map<String, float[]> a, Map<String, float[]> b,
                          Map<String, long[]> aShape, Map<String, long[]> bShape) {
}
