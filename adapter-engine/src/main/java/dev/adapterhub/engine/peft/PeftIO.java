package dev.adapterhub.engine.peft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.model.LoraAdapter;
import dev.adapterhub.formats.hf.LinearModules;
import dev.adapterhub.formats.peft.InvalidAdapterException;
import dev.adapterhub.formats.peft.PeftAdapterFiles;
import dev.adapterhub.formats.peft.PeftConfig;
import dev.adapterhub.formats.peft.PeftKeys;
import dev.adapterhub.formats.peft.PeftType;
import dev.adapterhub.formats.peft.TargetModules;
import dev.adapterhub.formats.safetensors.DType;
import dev.adapterhub.formats.safetensors.SafetensorsReader;
import dev.adapterhub.formats.safetensors.SafetensorsWriter;
import dev.adapterhub.formats.safetensors.Tensor;
import dev.adapterhub.formats.safetensors.TensorInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * HF PEFT adapter directories ({@code adapter_config.json} + {@code adapter_model.safetensors}) to and from the
 * model's {@link AdaptableLinear}s. Everything is validated before the model is touched: a bad adapter changes
 * nothing. Pickle files are never read.
 */
public final class PeftIO {

    private PeftIO() {
    }

    /** The model's linear layers as the formats module sees them ({@code lm_head} excluded, like PEFT). */
    public static LinearModules linearModules(LlamaModel model) {
        Map<String, LinearModules.Shape> m = new LinkedHashMap<>();
        for (AdaptableLinear l : model.linears().values()) {
            if (!l.name().equals("lm_head")) {
                m.put(l.name(), new LinearModules.Shape(l.outFeatures(), l.inFeatures()));
            }
        }
        return LinearModules.of(m);
    }

    /** Reads and validates a PEFT dir against the model; throws {@link InvalidAdapterException} listing problems. */
    static PeftConfig validated(LlamaModel model, Path dir, PeftType expected) throws IOException {
        List<String> problems = PeftAdapterFiles.validateDirectory(dir, linearModules(model));
        if (!problems.isEmpty()) {
            throw new InvalidAdapterException("invalid adapter: " + String.join("; ", problems));
        }
        PeftConfig config = PeftConfig.read(dir);
        if (config.peftType() != expected) {
            throw new InvalidAdapterException("adapter is " + config.peftType() + ", expected " + expected);
        }
        return config;
    }

    // ------------------------------------------------------------------------------------------------ LoRA

    /** A LoRA read from disk, on the host: module -> (A [r, in], B [out, r]) and the config. */
    public record LoraWeights(PeftConfig config, Map<String, float[]> a, Map<String, float[]> b,
                              Map<String, long[]> aShape, Map<String, long[]> bShape) {
    }

    /** Reads a PEFT LoRA directory (any float dtype, widened to F32) without touching a model. */
    public static LoraWeights readLora(Path dir) throws IOException {
        PeftConfig config = PeftConfig.read(dir);
        if (config.peftType() != PeftType.LORA) {
            throw new InvalidAdapterException("adapter is " + config.peftType() + ", expected LORA");
        }
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
     * Attaches a PEFT LoRA, unmerged, under {@code adapterName} to every module it covers. Arrays live on the model's
     * device in the model's dtype. Returns the module names.
     */
    public static List<String> applyLora(LlamaModel model, Path dir, String adapterName) throws IOException {
        validated(model, dir, PeftType.LORA);
        LoraWeights w = readLora(dir);
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

    /**
     * Writes the LoRA attached as {@code adapterName} in PEFT's format: keys
     * {@code base_model.model.<module>.lora_A.weight} [r, in] / {@code lora_B.weight} [out, r] in F32, and a
     * LORA config ({@code rank_pattern}/{@code alpha_pattern} for modules that differ from the most common rank
     * and alpha; {@code target_modules} as short names when they cover exactly the adapted modules, otherwise
     * as full module paths).
     */
    public static void exportLora(LlamaModel model, String adapterName, Path outDir, String baseModelName)
            throws IOException {
        Map<String, LoraAdapter> loras = new LinkedHashMap<>();
        for (AdaptableLinear l : model.linears().values()) {
            LoraAdapter a = l.lora(adapterName);
            if (a != null) {
                loras.put(l.name(), a);
            }
        }
        if (loras.isEmpty()) {
            throw new IllegalArgumentException("no LoRA adapter named '" + adapterName + "' is attached");
        }
        Set<Boolean> rs = new LinkedHashSet<>();
        loras.values().forEach(a -> rs.add(a.rsLora()));
        if (rs.size() > 1) {
            throw new IllegalArgumentException("adapter '" + adapterName + "' mixes rsLoRA and plain LoRA scaling");
        }
        int r = mostCommon(loras.values().stream().map(LoraAdapter::rank).toList());
        float alpha = mostCommon(loras.values().stream().map(LoraAdapter::alpha).toList());
        Map<String, Integer> rankPattern = new LinkedHashMap<>();
        Map<String, Double> alphaPattern = new LinkedHashMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, LoraAdapter> e : loras.entrySet()) {
            LoraAdapter a = e.getValue();
            if (a.rank() != r) {
                rankPattern.put(e.getKey(), a.rank());
            }
            if (a.alpha() != alpha) {
                alphaPattern.put(e.getKey(), (double) a.alpha());
            }
            String ka = PeftKeys.loraA(e.getKey());
            String kb = PeftKeys.loraB(e.getKey());
            tensors.put(ka, Tensor.ofFloats(ka, DType.F32, a.a().getShape().getShape(), floats(a.a())));
            tensors.put(kb, Tensor.ofFloats(kb, DType.F32, a.b().getShape().getShape(), floats(a.b())));
        }
        PeftConfig config = PeftConfig.lora(r, alpha, targets(model, loras.keySet())).toBuilder()
                .useRslora(rs.iterator().next())
                .baseModelNameOrPath(baseModelName)
                .rankPattern(rankPattern)
                .alphaPattern(alphaPattern)
                .build();
        write(outDir, config, tensors);
    }

    // ------------------------------------------------------------------------------------------------ SHiRA

    /** A SHiRA adapter read from disk: config and module -> delta. */
    public record ShiraWeights(PeftConfig config, Map<String, SparseDelta> deltas) {
    }

    /** Reads a PEFT SHiRA directory (indices I32 or I64; values any float dtype). */
    public static ShiraWeights readShira(Path dir) throws IOException {
        PeftConfig config = PeftConfig.read(dir);
        if (config.peftType() != PeftType.SHIRA) {
            throw new InvalidAdapterException("adapter is " + config.peftType() + ", expected SHIRA");
        }
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> indices = new HashMap<>();
        try (SafetensorsReader r = SafetensorsReader.open(PeftAdapterFiles.weightsFile(dir))) {
            for (String key : r.names()) {
                PeftKeys.ParsedKey k = PeftKeys.parse(key)
                        .orElseThrow(() -> new InvalidAdapterException("unexpected tensor \"" + key + "\""));
                switch (k.kind()) {
                    case SHIRA_WEIGHT -> values.put(k.module(), r.readFloats(key));
                    case SHIRA_INDICES -> indices.put(k.module(), r.readLongs(key));
                    default -> throw new InvalidAdapterException("unexpected tensor \"" + key + "\" in a SHiRA");
                }
            }
        }
        Map<String, SparseDelta> deltas = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            long[] idx = indices.get(e.getKey());
            int k = e.getValue().length;
            if (idx == null || idx.length != 2L * k) {
                throw new InvalidAdapterException("module " + e.getKey() + ": shira_indices must be [2, " + k + "]");
            }
            int[] rows = new int[k];
            int[] cols = new int[k];
            for (int i = 0; i < k; i++) {
                rows[i] = Math.toIntExact(idx[i]);
                cols[i] = Math.toIntExact(idx[k + i]);
            }
            deltas.put(e.getKey(), new SparseDelta(rows, cols, e.getValue()));
        }
        if (!indices.keySet().equals(values.keySet())) {
            throw new InvalidAdapterException("shira_weight and shira_indices tensors name different modules");
        }
        return new ShiraWeights(config, deltas);
    }

    /**
     * Fuses a PEFT SHiRA adapter into the base weights ({@code W.flat[idx] += values}), keeping the originals so
     * {@link #unfuseShira} restores the weights bit-exactly. Returns the module names.
     */
    public static List<String> fuseShira(LlamaModel model, Path dir, String adapterName) throws IOException {
        validated(model, dir, PeftType.SHIRA);
        ShiraWeights w = readShira(dir);
        for (String module : w.deltas().keySet()) {
            if (model.linear(module).fusedAdapters().contains(adapterName)) {
                throw new IllegalStateException("adapter '" + adapterName + "' is already fused into " + module);
            }
        }
        List<String> done = new ArrayList<>();
        try (NDManager tmp = model.manager().newSubManager()) {
            for (Map.Entry<String, SparseDelta> e : w.deltas().entrySet()) {
                AdaptableLinear l = model.linear(e.getKey());
                SparseDelta d = e.getValue();
                l.fuseSparse(adapterName, tmp.create(d.flatIndices(l.inFeatures())), tmp.create(d.values()),
                        (float) w.config().scaling(e.getKey()));
                done.add(e.getKey());
            }
        }
        return done;
    }

    /** Restores every weight the SHiRA {@code adapterName} was fused into; returns the module names. */
    public static List<String> unfuseShira(LlamaModel model, String adapterName) {
        List<String> done = new ArrayList<>();
        for (AdaptableLinear l : model.linears().values()) {
            if (l.fusedAdapters().contains(adapterName)) {
                l.unfuseSparse(adapterName);
                done.add(l.name());
            }
        }
        return done;
    }

    /**
     * Writes a SHiRA adapter in PEFT's format: {@code shira_weight} [K] F32 and {@code shira_indices} [2, K] I32
     * per module; config with {@code peft_type: SHIRA}, {@code r}, {@code mask_type}, {@code random_seed}.
     */
    public static void exportShira(LlamaModel model, Map<String, SparseDelta> deltas, int r, String maskType,
                                   Long randomSeed, Path outDir, String baseModelName) throws IOException {
        if (deltas.isEmpty()) {
            throw new IllegalArgumentException("no SHiRA deltas to export");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, SparseDelta> e : deltas.entrySet()) {
            AdaptableLinear l = model.linear(e.getKey());
            SparseDelta d = e.getValue();
            int k = d.size();
            int[] idx = new int[2 * k];
            for (int i = 0; i < k; i++) {
                if (d.rows()[i] < 0 || d.rows()[i] >= l.outFeatures() || d.cols()[i] < 0
                        || d.cols()[i] >= l.inFeatures()) {
                    throw new IllegalArgumentException("module " + e.getKey() + ": index " + i + " out of range");
                }
                idx[i] = d.rows()[i];
                idx[k + i] = d.cols()[i];
            }
            String kw = PeftKeys.shiraWeight(e.getKey());
            String ki = PeftKeys.shiraIndices(e.getKey());
            tensors.put(kw, Tensor.ofFloats(kw, DType.F32, new long[] {k}, d.values()));
            tensors.put(ki, Tensor.ofInts(ki, DType.I32, new long[] {2, k}, idx));
        }
        PeftConfig config = PeftConfig.shira(r, targets(model, deltas.keySet()), maskType, randomSeed).toBuilder()
                .baseModelNameOrPath(baseModelName)
                .build();
        write(outDir, config, tensors);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Short names when they select exactly {@code modules}; otherwise the full module paths. */
    static TargetModules targets(LlamaModel model, Set<String> modules) {
        Set<String> shortNames = new LinkedHashSet<>();
        for (String m : modules) {
            shortNames.add(m.substring(m.lastIndexOf('.') + 1));
        }
        LinearModules all = linearModules(model);
        Set<String> selected = new LinkedHashSet<>(all.matching(List.copyOf(shortNames)));
        if (selected.equals(modules)) {
            return TargetModules.of(List.copyOf(shortNames));
        }
        return TargetModules.of(List.copyOf(modules));
    }

    private static void write(Path outDir, PeftConfig config, Map<String, Tensor> tensors) throws IOException {
        Files.createDirectories(outDir);
        SafetensorsWriter.write(outDir.resolve(PeftAdapterFiles.ADAPTER_WEIGHTS), tensors);
        config.writeTo(outDir);
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
