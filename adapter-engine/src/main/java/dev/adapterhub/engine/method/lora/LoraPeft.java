package dev.adapterhub.engine.method.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.model.LoraAdapter;
import dev.adapterhub.engine.peft.PeftFiles;
import dev.adapterhub.formats.peft.InvalidAdapterException;
import dev.adapterhub.formats.peft.PeftAdapterFiles;
import dev.adapterhub.formats.peft.PeftConfig;
import dev.adapterhub.formats.peft.PeftKeys;
import dev.adapterhub.formats.peft.PeftType;
import dev.adapterhub.formats.safetensors.DType;
import dev.adapterhub.formats.safetensors.SafetensorsReader;
import dev.adapterhub.formats.safetensors.Tensor;
import dev.adapterhub.formats.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HF PEFT LoRA directories: read to the host, attach to a model unmerged, and write from (A, B) factors.
 * Everything is validated before the model is touched: a bad adapter changes nothing.
 */
public final class LoraPeft {

    private LoraPeft() {
    }

    /**
     * The factors of one module: A [r, in], B [out, r], and its lora_alpha. Only read by {@link #export}; the
     * caller keeps ownership.
     */
    public record Factors(NDArray a, NDArray b, float alpha) {
    }

    /** Reads a PEFT LoRA directory (any float dtype, widened to F32) without touching a model. */
    public static LoraWeights read(Path dir) throws IOException {
        PeftConfig config = PeftConfig.read(dir);
        PeftFiles.requireType(config, PeftType.LORA);
        Map<String, float[]> a = new LinkedHashMap<>();
        Map<String, float[]> b = new LinkedHashMap<>();
        Map<String, long[]> as = new LinkedHashMap<>();
        Map<String, long[]> bs = new LinkedHashMap<>();
        try (SafetensorsReader r = SafetensorsReader.open(PeftAdapterFiles.weightsFile(dir))) {
            for (String key : r.names()) {
                PeftKeys.ParsedKey k = PeftKeys.parse(key)
                        .orElseThrow(() -> new InvalidAdapterException("unexpected tensor \"" + key + "\""));
                TensorInfo info = r.info(key);
                switch (k.kind()) {
                    case LORA_A -> {
                        a.put(k.module(), r.readFloats(key));
                        as.put(k.module(), info.shape());
                    }
                    case LORA_B -> {
                        b.put(k.module(), r.readFloats(key));
                        bs.put(k.module(), info.shape());
                    }
                    default -> throw new InvalidAdapterException("unexpected tensor \"" + key + "\" in a LoRA");
                }
            }
        }
        if (!a.keySet().equals(b.keySet())) {
            throw new InvalidAdapterException("lora_A and lora_B tensors name different modules");
        }
        return new LoraWeights(config, a, b, as, bs);
    }

    /**
     * Attaches a PEFT LoRA, unmerged, under {@code adapterName} to every module it covers. Arrays live on the
     * model's device in the model's dtype. Returns the module names.
     */
    public static List<String> apply(LlamaModel model, Path dir, String adapterName) throws IOException {
        PeftFiles.validated(model, dir, PeftType.LORA);
        LoraWeights w = read(dir);
        PeftConfig c = w.config();
        Map<String, LoraAdapter> created = new LinkedHashMap<>();
        try {
            for (String module : w.a().keySet()) {
                NDManager owner = model.manager();
                NDArray a = owner.create(w.a().get(module), new Shape(w.aShape().get(module)));
                NDArray b = owner.create(w.b().get(module), new Shape(w.bShape().get(module)));
                if (model.dataType() != DataType.FLOAT32) {
                    a = convert(a, model.dataType());
                    b = convert(b, model.dataType());
                }
                created.put(module, LoraAdapter.create(owner, a, b, (float) c.alpha(module), c.useRslora()));
            }
        } catch (RuntimeException e) {
            created.values().forEach(LoraAdapter::close);
            throw e;
        }
        for (Map.Entry<String, LoraAdapter> e : created.entrySet()) {
            model.linear(e.getKey()).attach(adapterName, e.getValue());
        }
        return List.copyOf(created.keySet());
    }

    private static NDArray convert(NDArray a, DataType type) {
        NDArray c = a.toType(type, false);
        a.close();
        return c;
    }

    /** Writes the LoRA attached to the model as {@code adapterName}, as {@link #export} does for factors. */
    public static void exportAttached(LlamaModel model, String adapterName, Path outDir, String baseModelName)
            throws IOException {
        Map<String, Factors> factors = new LinkedHashMap<>();
        Boolean rsLora = null;
        for (AdaptableLinear l : model.linears().values()) {
            LoraAdapter a = l.lora(adapterName);
            if (a == null) {
                continue;
            }
            if (rsLora != null && rsLora != a.rsLora()) {
                throw new IllegalArgumentException("adapter '" + adapterName + "' mixes rsLoRA and plain LoRA scaling");
            }
            rsLora = a.rsLora();
            factors.put(l.name(), new Factors(a.a(), a.b(), a.alpha()));
        }
        if (factors.isEmpty()) {
            throw new IllegalArgumentException("no LoRA adapter named '" + adapterName + "' is attached");
        }
        export(model, factors, rsLora, outDir, baseModelName);
    }

    /**
     * Writes per-module factors in PEFT's format, straight from the arrays (nothing is attached to the model,
     * which only names the target modules): keys {@code base_model.model.<module>.lora_A.weight} [r, in] /
     * {@code lora_B.weight} [out, r] in F32, in the map's order, and a LORA config ({@code rank_pattern} /
     * {@code alpha_pattern} for modules that differ from the most common rank and alpha; {@code target_modules}
     * as short names when they cover exactly these modules, otherwise as full module paths).
     */
    public static void export(LlamaModel model, Map<String, Factors> modules, boolean rsLora, Path outDir,
                              String baseModelName) throws IOException {
        if (modules.isEmpty()) {
            throw new IllegalArgumentException("no LoRA factors to export");
        }
        Map<String, Integer> ranks = new LinkedHashMap<>();
        Map<String, Float> alphas = new LinkedHashMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Factors> e : modules.entrySet()) {
            NDArray a = e.getValue().a();
            NDArray b = e.getValue().b();
            if (a.getShape().dimension() != 2 || b.getShape().dimension() != 2
                    || a.getShape().get(0) != b.getShape().get(1)) {
                throw new IllegalArgumentException(e.getKey() + ": LoRA needs A [r, in] and B [out, r], got A "
                        + a.getShape() + " and B " + b.getShape());
            }
            ranks.put(e.getKey(), (int) a.getShape().get(0));
            alphas.put(e.getKey(), e.getValue().alpha());
            String ka = PeftKeys.loraA(e.getKey());
            String kb = PeftKeys.loraB(e.getKey());
            tensors.put(ka, Tensor.ofFloats(ka, DType.F32, a.getShape().getShape(), floats(a)));
            tensors.put(kb, Tensor.ofFloats(kb, DType.F32, b.getShape().getShape(), floats(b)));
        }
        int r = mostCommon(List.copyOf(ranks.values()));
        float alpha = mostCommon(List.copyOf(alphas.values()));
        Map<String, Integer> rankPattern = new LinkedHashMap<>();
        Map<String, Double> alphaPattern = new LinkedHashMap<>();
        for (String module : modules.keySet()) {
            if (ranks.get(module) != r) {
                rankPattern.put(module, ranks.get(module));
            }
            if (alphas.get(module) != alpha) {
                alphaPattern.put(module, (double) alphas.get(module));
            }
        }
        PeftConfig config = PeftConfig.lora(r, alpha, PeftFiles.targets(model, modules.keySet())).toBuilder()
                .useRslora(rsLora)
                .baseModelNameOrPath(baseModelName)
                .rankPattern(rankPattern)
                .alphaPattern(alphaPattern)
                .build();
        PeftFiles.write(outDir, config, tensors);
    }

    private static float[] floats(NDArray a) {
        if (a.getDataType() == DataType.FLOAT32) {
            return a.toFloatArray();
        }
        try (NDArray f = a.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }

    private static <T> T mostCommon(List<T> values) {
        Map<T, Integer> counts = new LinkedHashMap<>();
        values.forEach(v -> counts.merge(v, 1, Integer::sum));
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }
}
