package dev.adapterhub.formats.peft;

import java.util.Optional;

/**
 * Tensor names in {@code adapter_model.safetensors}, as PEFT's {@code get_peft_model_state_dict} writes them
 * for a HF causal LM (the adapter name "default" is stripped on save):
 * <ul>
 *   <li>LoRA: {@code base_model.model.<module>.lora_A.weight} [r, in] and {@code .lora_B.weight} [out, r]</li>
 *   <li>SHiRA: {@code base_model.model.<module>.shira_weight} [K] (float deltas) and
 *       {@code .shira_indices} [2, K] (I32 or I64; row 0 output index, row 1 input index), K = r·(in + out)</li>
 * </ul>
 */
public final class PeftKeys {

    public static final String PREFIX = "base_model.model.";

    /** The role a tensor plays in an adapter. */
    public enum Kind {
        LORA_A(".lora_A.weight", PeftType.LORA),
        LORA_B(".lora_B.weight", PeftType.LORA),
        SHIRA_WEIGHT(".shira_weight", PeftType.SHIRA),
        SHIRA_INDICES(".shira_indices", PeftType.SHIRA);

        private final String suffix;
        private final PeftType peftType;

        Kind(String suffix, PeftType peftType) {
            this.suffix = suffix;
            this.peftType = peftType;
        }

        public String suffix() {
            return suffix;
        }

        public PeftType peftType() {
            return peftType;
        }

        /** The key of this kind for {@code module}. */
        public String key(String module) {
            return PREFIX + module + suffix;
        }
    }

    /** A tensor name split into module path and role. */
    public record ParsedKey(String module, Kind kind) {
    }

    private PeftKeys() {
    }

    public static String loraA(String module) {
        return Kind.LORA_A.key(module);
    }

    public static String loraB(String module) {
        return Kind.LORA_B.key(module);
    }

    public static String shiraWeight(String module) {
        return Kind.SHIRA_WEIGHT.key(module);
    }

    public static String shiraIndices(String module) {
        return Kind.SHIRA_INDICES.key(module);
    }

    /** Splits a tensor name; empty if it is not one of the four adapter key forms. */
    public static Optional<ParsedKey> parse(String key) {
        if (!key.startsWith(PREFIX)) {
            return Optional.empty();
        }
        for (Kind k : Kind.values()) {
            if (key.endsWith(k.suffix) && key.length() > PREFIX.length() + k.suffix.length()) {
                return Optional.of(new ParsedKey(key.substring(PREFIX.length(), key.length() - k.suffix.length()), k));
            }
        }
        return Optional.empty();
    }

    /** SHiRA's entry count for a layer: r·(in + out). */
    public static long shiraK(int r, long out, long in) {
        return (long) r * (in + out);
    }
}
