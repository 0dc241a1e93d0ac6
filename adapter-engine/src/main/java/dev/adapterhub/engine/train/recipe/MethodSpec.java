package dev.adapterhub.engine.train.recipe;

import dev.adapterhub.engine.method.lora.LoraSettings;
import dev.adapterhub.engine.method.shira.ShiraMaskType;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Which adapter method to train and its shape, as the registry and the CLI name it. {@link TrainingMethods#create}
 * turns it into a {@code TrainingMethod}.
 *
 * @param method        the method
 * @param rank          r (SHiRA: the rank whose LoRA parameter count sets K = r·(in + out))
 * @param alpha         lora_alpha of the LoRA family; unused by SHiRA (0 there)
 * @param rsLora        rank-stabilized scaling alpha/sqrt(r) instead of alpha/r; unused by SHiRA
 * @param targetModules module-name suffixes as in PEFT's target_modules
 * @param shiraMaskType how SHiRA picks its entries; null for the LoRA family
 */
public record MethodSpec(Method method, int rank, float alpha, boolean rsLora, List<String> targetModules,
                         ShiraMaskType shiraMaskType) {

    /** The adapter methods, named as in the registry's API and the CLI's {@code --method}. */
    public enum Method {
        LORA, LORA_GA, LORA_SB, SHIRA;

        /** The method called {@code name} (case-insensitive); a clear error names the known ones otherwise. */
        public static Method parse(String name) {
            for (Method m : values()) {
                if (m.name().equalsIgnoreCase(name)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown method " + name + "; expected one of "
                    + Arrays.toString(values()));
        }
    }

    public MethodSpec {
        Objects.requireNonNull(method, "method");
        if (rank < 1) {
            throw new IllegalArgumentException("rank must be positive, got " + rank);
        }
        if (targetModules == null || targetModules.isEmpty()) {
            throw new IllegalArgumentException("at least one target module is required");
        }
        targetModules = List.copyOf(targetModules);
        if (method == Method.SHIRA && shiraMaskType == null) {
            throw new IllegalArgumentException("SHIRA needs a mask type");
        }
        if (method != Method.SHIRA && !(alpha > 0)) {
            throw new IllegalArgumentException(method + " needs a positive alpha, got " + alpha);
        }
    }

    /** A LoRA-family spec (LORA, LORA_GA, LORA_SB). */
    public static MethodSpec lora(Method method, int rank, float alpha, boolean rsLora, List<String> targetModules) {
        if (method == Method.SHIRA) {
            throw new IllegalArgumentException("SHIRA is not a LoRA-family method; use MethodSpec.shira");
        }
        return new MethodSpec(method, rank, alpha, rsLora, targetModules, null);
    }

    /** A SHiRA spec. */
    public static MethodSpec shira(int rank, ShiraMaskType maskType, List<String> targetModules) {
        return new MethodSpec(Method.SHIRA, rank, 0f, false, targetModules, maskType);
    }

    /**
     * The engine's defaults on all seven projections, as the CLI trains: LoRA with PEFT's alpha/r scaling;
     * LoRA-GA with rsLoRA (its "stable" scaling is defined with it, docs/methods.md step 4); LoRA-SB with
     * alpha = r (its R starts from singular values, so no extra scale); SHiRA with SNIP masks (the paper's best
     * overall). {@code alpha} is used by LORA and LORA_GA only.
     */
    public static MethodSpec defaults(Method method, int rank, float alpha) {
        List<String> all = LoraSettings.ALL_PROJECTIONS;
        return switch (method) {
            case LORA -> lora(Method.LORA, rank, alpha, false, all);
            case LORA_GA -> lora(Method.LORA_GA, rank, alpha, true, all);
            case LORA_SB -> lora(Method.LORA_SB, rank, rank, false, all);
            case SHIRA -> shira(rank, ShiraMaskType.SNIP, all);
        };
    }

    /** The same spec with rsLoRA scaling switched on or off (LoRA family only). */
    public MethodSpec withRsLora(boolean value) {
        return lora(method, rank, alpha, value, targetModules);
    }

    /** The LoRA-family settings of this spec. */
    public LoraSettings loraSettings() {
        if (method == Method.SHIRA) {
            throw new IllegalStateException("SHIRA has no LoRA settings");
        }
        return new LoraSettings(rank, alpha, rsLora, targetModules);
    }
}
