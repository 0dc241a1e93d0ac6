package dev.adapterhub.engine.method.lora;

import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.LlamaModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Shape of a LoRA-family adapter.
 *
 * @param rank          r
 * @param alpha         lora_alpha; the update is scaled by alpha/r, or alpha/sqrt(r) with rsLoRA
 * @param rsLora        rank-stabilized scaling
 * @param targetModules module-name suffixes as in PEFT's target_modules (e.g. "q_proj"); a linear is targeted
 *                      when its name equals a suffix or ends with "." + suffix
 */
public record LoraSettings(int rank, float alpha, boolean rsLora, List<String> targetModules) {

    /** The seven projections of a Llama layer. */
    public static final List<String> ALL_PROJECTIONS =
            List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

    public LoraSettings {
        if (rank < 1) {
            throw new IllegalArgumentException("rank must be positive, got " + rank);
        }
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("alpha must be positive");
        }
        if (targetModules == null || targetModules.isEmpty()) {
            throw new IllegalArgumentException("at least one target module is required");
        }
        targetModules = List.copyOf(targetModules);
    }

    /** All projections, alpha = 2r as commonly used. */
    public static LoraSettings of(int rank) {
        return new LoraSettings(rank, 2f * rank, false, ALL_PROJECTIONS);
    }

    public float scaling() {
        return rsLora ? (float) (alpha / Math.sqrt(rank)) : alpha / rank;
    }

    /** The targeted linears in model order; fails when a suffix matches nothing. */
    public List<AdaptableLinear> select(LlamaModel model) {
        return selectTargets(model, targetModules);
    }

    /** Linears whose names end with one of the suffixes, in model order. */
    public static List<AdaptableLinear> selectTargets(LlamaModel model, List<String> suffixes) {
        List<AdaptableLinear> out = new ArrayList<>();
        List<String> unmatched = new ArrayList<>(suffixes);
        for (AdaptableLinear l : model.linears().values()) {
            for (String s : suffixes) {
                if (l.name().equals(s) || l.name().endsWith("." + s)) {
                    out.add(l);
                    unmatched.remove(s);
                    break;
                }
            }
        }
        if (!unmatched.isEmpty()) {
            throw new IllegalArgumentException("target modules match no layer: " + unmatched);
        }
        return out;
    }
}
