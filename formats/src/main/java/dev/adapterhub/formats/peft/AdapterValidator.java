package dev.adapterhub.formats.peft;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adapterhub.formats.hf.LinearModules;
import dev.adapterhub.formats.safetensors.DType;
import dev.adapterhub.formats.safetensors.SafetensorsHeader;
import dev.adapterhub.formats.safetensors.SafetensorsReader;
import dev.adapterhub.formats.safetensors.TensorInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks that an adapter (config + safetensors header) fits a base model, the way PEFT would load it, and that
 * it uses only what this platform supports. Every check returns all violations as sentences naming the tensor,
 * module or field (empty list = valid), so a registry can report them all in one response.
 *
 * <p>{@link #validate} needs only the header (cheap, usable while streaming an upload).
 * {@link #validateShiraIndices} and {@link #validateFiniteValues} read the data.
 */
public final class AdapterValidator {

    /** init_lora_weights values whose saved weights assume a modified base model unless converted. */
    private static final List<String> BASE_MODIFYING_INITS = List.of("pissa", "olora", "corda", "loftq", "lora_ga");

    private AdapterValidator() {
    }

    /** Validates config and weights header against the base model's linear layers. */
    public static List<String> validate(PeftConfig config, SafetensorsHeader weights, LinearModules base) {
        return validate(config, weights.tensors(), base);
    }

    /** As {@link #validate(PeftConfig, SafetensorsHeader, LinearModules)} from a tensor map. */
    public static List<String> validate(PeftConfig config, Map<String, TensorInfo> tensors, LinearModules base) {
        List<String> problems = new ArrayList<>(validateConfig(config));
        Set<String> targeted = targetedModules(config, base, problems);
        if (config.r() < 1) {
            // Shapes cannot be checked against a meaningless rank; the config problem is already reported.
            return problems;
        }
        Set<String> expectedKeys = new LinkedHashSet<>();
        for (String module : targeted) {
            LinearModules.Shape shape = base.modules().get(module);
            if (config.peftType() == PeftType.LORA) {
                checkLora(config, module, shape, tensors, expectedKeys, problems);
            } else {
                checkShira(config, module, shape, tensors, expectedKeys, problems);
            }
        }
        for (TensorInfo t : tensors.values()) {
            if (!expectedKeys.contains(t.name())) {
                problems.add(describeUnexpected(config, t, base, targeted));
            }
        }
        return problems;
    }

    /** The rules on the config alone. */
    public static List<String> validateConfig(PeftConfig c) {
        List<String> p = new ArrayList<>();
        String f = PeftConfig.FILE_NAME + ": ";
        if (c.r() < 1) {
            p.add(f + "r must be at least 1, got " + c.r());
        }
        if (c.modulesToSave() != null && !c.modulesToSave().isEmpty()) {
            p.add(f + "modules_to_save " + c.modulesToSave() + " is not supported: an adapter may only carry "
                    + c.peftType() + " tensors for linear layers");
        }
        if (c.fanInFanOut()) {
            p.add(f + "fan_in_fan_out must be false: Llama-family linear weights are stored [out, in]");
        }
        if (isTrue(c.extra().get("use_dora"))) {
            p.add(f + "use_dora is set: DoRA adapters are not supported");
        }
        for (String field : List.of("layers_to_transform", "layers_pattern", "exclude_modules", "target_parameters")) {
            if (isSet(c.extra().get(field))) {
                p.add(f + field + " is not supported; list the targeted modules in target_modules instead");
            }
        }
        if (c.peftType() == PeftType.LORA) {
            if (!"none".equals(c.bias())) {
                p.add(f + "bias \"" + c.bias() + "\" is not supported; only \"none\" (no trained biases)");
            }
            c.rankPattern().forEach((k, v) -> {
                if (v < 1) {
                    p.add(f + "rank_pattern entry \"" + k + "\" must be at least 1, got " + v);
                }
            });
            if (c.initLoraWeights() instanceof String s) {
                for (String prefix : BASE_MODIFYING_INITS) {
                    if (s.startsWith(prefix)) {
                        p.add(f + "init_lora_weights \"" + s + "\" means the saved weights expect a modified base "
                                + "model; convert the adapter to a plain LoRA first (PEFT's "
                                + "path_initial_model_for_weight_conversion) and upload that");
                        break;
                    }
                }
            }
        }
        return p;
    }

    private static boolean isTrue(JsonNode n) {
        return n != null && n.isBoolean() && n.booleanValue();
    }

    private static boolean isSet(JsonNode n) {
        if (n == null || n.isNull()) {
            return false;
        }
        return !((n.isArray() || n.isObject()) && n.isEmpty()) && !(n.isTextual() && n.textValue().isEmpty());
    }

    private static Set<String> targetedModules(PeftConfig c, LinearModules base, List<String> problems) {
        TargetModules t = c.targetModules();
        switch (t.kind()) {
            case LIST -> {
                for (String name : t.names()) {
                    if (base.matching(name).isEmpty()) {
                        problems.add(PeftConfig.FILE_NAME + ": target module \"" + name + "\" matches no linear "
                                + "layer of the base model (its layers are named " + base.shortNames() + ")");
                    }
                }
            }
            case REGEX, ALL_LINEAR -> {
                if (t.select(base).isEmpty()) {
                    problems.add(PeftConfig.FILE_NAME + ": target_modules " + t + " matches no linear layer of "
                            + "the base model (its layers are named " + base.shortNames() + ")");
                }
            }
            default -> throw new IllegalStateException();
        }
        return new LinkedHashSet<>(t.select(base));
    }

    private static void checkLora(PeftConfig c, String module, LinearModules.Shape shape,
                                  Map<String, TensorInfo> tensors, Set<String> expected, List<String> problems) {
        int rank = c.rank(module);
        if (rank < 1) {
            return; // reported by validateConfig
        }
        String rankSource = rank == c.r() ? "r" : "rank_pattern";
        checkTensor(tensors, PeftKeys.loraA(module), new long[] {rank, shape.in()},
                "[r, in_features] with r = " + rank + " (from " + rankSource + ") and in_features = " + shape.in(),
                true, expected, problems);
        checkTensor(tensors, PeftKeys.loraB(module), new long[] {shape.out(), rank},
                "[out_features, r] with out_features = " + shape.out() + " and r = " + rank + " (from "
                        + rankSource + ")", true, expected, problems);
    }

    private static void checkShira(PeftConfig c, String module, LinearModules.Shape shape,
                                   Map<String, TensorInfo> tensors, Set<String> expected, List<String> problems) {
        long k = PeftKeys.shiraK(c.r(), shape.out(), shape.in());
        if (k > shape.out() * shape.in()) {
            problems.add(PeftConfig.FILE_NAME + ": r = " + c.r() + " is too large for module \"" + module
                    + "\" " + shape + ": K = r*(in+out) = " + k + " exceeds its " + shape.out() * shape.in()
                    + " weights");
        }
        String why = "K = r*(in_features + out_features) = " + c.r() + "*(" + shape.in() + " + " + shape.out()
                + ") = " + k;
        checkTensor(tensors, PeftKeys.shiraWeight(module), new long[] {k}, "[K] with " + why, true, expected,
                problems);
        checkTensor(tensors, PeftKeys.shiraIndices(module), new long[] {2, k}, "[2, K] with " + why, false,
                expected, problems);
    }

    private static void checkTensor(Map<String, TensorInfo> tensors, String key, long[] shape, String shapeWhy,
                                    boolean floatValues, Set<String> expected, List<String> problems) {
        expected.add(key);
        TensorInfo t = tensors.get(key);
        if (t == null) {
            problems.add("missing tensor \"" + key + "\" (expected shape " + Arrays.toString(shape) + ")");
            return;
        }
        if (!t.hasShape(shape)) {
            problems.add("tensor \"" + key + "\" has shape " + t.shapeString() + ", expected "
                    + Arrays.toString(shape) + " = " + shapeWhy);
        }
        if (floatValues && !t.dtype().isFloatingPoint()) {
            problems.add("tensor \"" + key + "\" has dtype " + t.dtype() + ", expected a floating-point dtype "
                    + "(F32, F16, BF16 or F64)");
        }
        if (!floatValues && t.dtype() != DType.I32 && t.dtype() != DType.I64) {
            problems.add("tensor \"" + key + "\" has dtype " + t.dtype() + ", expected I32 or I64 indices");
        }
    }

    private static String describeUnexpected(PeftConfig c, TensorInfo t, LinearModules base, Set<String> targeted) {
        Optional<PeftKeys.ParsedKey> parsed = PeftKeys.parse(t.name());
        if (parsed.isEmpty()) {
            return "unexpected tensor \"" + t.name() + "\": not a " + c.peftType() + " adapter key (expected "
                    + (c.peftType() == PeftType.LORA
                    ? "base_model.model.<module>.lora_A.weight or .lora_B.weight"
                    : "base_model.model.<module>.shira_weight or .shira_indices") + ")";
        }
        PeftKeys.ParsedKey key = parsed.get();
        if (key.kind().peftType() != c.peftType()) {
            return "unexpected tensor \"" + t.name() + "\": a " + key.kind().peftType() + " tensor in a "
                    + c.peftType() + " adapter";
        }
        if (!base.contains(key.module())) {
            return "unexpected tensor \"" + t.name() + "\": module \"" + key.module()
                    + "\" is not a linear layer of the base model";
        }
        if (!targeted.contains(key.module())) {
            return "unexpected tensor \"" + t.name() + "\": module \"" + key.module()
                    + "\" is not selected by target_modules " + c.targetModules();
        }
        return "unexpected tensor \"" + t.name() + "\"";
    }

    /**
     * Reads every well-formed {@code shira_indices} tensor and checks that row 0 lies in [0, out) and row 1 in
     * [0, in) of its module, and that no (row, column) pair repeats (PEFT's masks never repeat one; a repeat would
     * silently add two deltas to one weight). Run after {@link #validate} reported no problems.
     */
    public static List<String> validateShiraIndices(SafetensorsReader reader, PeftConfig config, LinearModules base)
            throws IOException {
        List<String> problems = new ArrayList<>();
        if (config.peftType() != PeftType.SHIRA) {
            return problems;
        }
        for (String module : config.targetModules().select(base)) {
            String key = PeftKeys.shiraIndices(module);
            if (!reader.contains(key)) {
                continue;
            }
            TensorInfo info = reader.info(key);
            if (info.rank() != 2 || info.dim(0) != 2 || (info.dtype() != DType.I32 && info.dtype() != DType.I64)) {
                continue; // shape/dtype problems are reported by validate()
            }
            LinearModules.Shape shape = base.modules().get(module);
            long[] idx = reader.readLongs(key);
            int k = idx.length / 2;
            long[] flat = new long[k];
            String bad = null;
            for (int i = 0; i < k && bad == null; i++) {
                long row = idx[i];
                long col = idx[k + i];
                if (row < 0 || row >= shape.out()) {
                    bad = "tensor \"" + key + "\": output index " + row + " at position " + i + " is outside [0, "
                            + shape.out() + ")";
                } else if (col < 0 || col >= shape.in()) {
                    bad = "tensor \"" + key + "\": input index " + col + " at position " + i + " is outside [0, "
                            + shape.in() + ")";
                } else {
                    flat[i] = row * shape.in() + col;
                }
            }
            if (bad != null) {
                problems.add(bad);
                continue;
            }
            long[] sorted = flat.clone();
            Arrays.sort(sorted);
            for (int i = 1; i < sorted.length; i++) {
                if (sorted[i] == sorted[i - 1]) {
                    problems.add("tensor \"" + key + "\": index pair (" + sorted[i] / shape.in() + ", "
                            + sorted[i] % shape.in() + ") occurs more than once");
                    break;
                }
            }
        }
        return problems;
    }

    /** Reads every floating-point tensor and reports those containing NaN or infinity. */
    public static List<String> validateFiniteValues(SafetensorsReader reader) throws IOException {
        List<String> problems = new ArrayList<>();
        for (TensorInfo t : reader.tensors().values()) {
            if (!t.dtype().isFloatingPoint()) {
                continue;
            }
            float[] v = reader.readFloats(t.name());
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    problems.add("tensor \"" + t.name() + "\" contains a non-finite value (" + v[i] + ") at element "
                            + i);
                    break;
                }
            }
        }
        return problems;
    }
}
