package dev.adapterhub.engine.method.shira;

import ai.djl.ndarray.NDManager;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.peft.PeftFiles;
import dev.adapterhub.formats.peft.InvalidAdapterException;
import dev.adapterhub.formats.peft.PeftAdapterFiles;
import dev.adapterhub.formats.peft.PeftConfig;
import dev.adapterhub.formats.peft.PeftKeys;
import dev.adapterhub.formats.peft.PeftType;
import dev.adapterhub.formats.safetensors.DType;
import dev.adapterhub.formats.safetensors.SafetensorsReader;
import dev.adapterhub.formats.safetensors.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HF PEFT SHiRA directories: read to the host, fuse into a model's weights (and restore them bit-exactly), and
 * write from sparse deltas. Everything is validated before the model is touched: a bad adapter changes nothing.
 */
public final class ShiraPeft {

    private ShiraPeft() {
    }

    /** Reads a PEFT SHiRA directory (indices I32 or I64; values any float dtype). */
    public static ShiraWeights read(Path dir) throws IOException {
        PeftConfig config = PeftConfig.read(dir);
        PeftFiles.requireType(config, PeftType.SHIRA);
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
     * {@link #unfuse} restores the weights bit-exactly. Returns the module names.
     */
    public static List<String> fuse(LlamaModel model, Path dir, String adapterName) throws IOException {
        PeftFiles.validated(model, dir, PeftType.SHIRA);
        ShiraWeights w = read(dir);
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
    public static List<String> unfuse(LlamaModel model, String adapterName) {
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
    public static void export(LlamaModel model, Map<String, SparseDelta> deltas, int r, String maskType,
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
        PeftConfig config = PeftConfig.shira(r, PeftFiles.targets(model, deltas.keySet()), maskType, randomSeed)
                .toBuilder()
                .baseModelNameOrPath(baseModelName)
                .build();
        PeftFiles.write(outDir, config, tensors);
    }
}
