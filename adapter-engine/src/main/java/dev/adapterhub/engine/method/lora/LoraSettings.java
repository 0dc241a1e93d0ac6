package dev.adapterhub.engine.method.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.adapterhub.engine.method.TrainedAdapters;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.model.LoraAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
        return LoraAdapter.scaling(alpha, rank, rsLora);
    }

    /** A LoRA with this alpha and scaling that takes ownership of {@code a} [r, in] and {@code b} [out, r]. */
    public LoraAdapter adapter(NDManager parent, NDArray a, NDArray b) {
        return LoraAdapter.create(parent, a, b, alpha, rsLora);
    }

    /** The LoRA of {@code module} rebuilt from copies of a checkpoint's {@code <module>.lora_A / .lora_B}. */
    public LoraAdapter restoredAdapter(NDManager parent, String module, Map<String, NDArray> trainable) {
        return adapter(parent, TrainedAdapters.require(trainable, module + ".lora_A").duplicate(),
                TrainedAdapters.require(trainable, module + ".lora_B").duplicate());
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
