package dev.adapterhub.formats.hf;

import dev.adapterhub.formats.safetensors.SafetensorsHeader;
import dev.adapterhub.formats.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The adaptable linear layers of a base model: HF module path (e.g. {@code model.layers.0.self_attn.q_proj})
 * to weight shape [out, in].
 *
 * <p>Target matching follows PEFT's {@code target_modules} given as a list: a target matches a module whose
 * path equals it or ends with {@code "." + target}. The string {@code "all-linear"} selects every module here
 * (PEFT excludes the output layer, which is never part of this set, nor are embeddings).
 */
public final class LinearModules {

    /** PEFT's special target_modules value selecting every linear layer except the output layer. */
    public static final String ALL_LINEAR = "all-linear";

    /** The seven projections of a Llama decoder layer, in checkpoint order. */
    public static final List<String> LLAMA_PROJECTIONS = List.of(
            "self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
            "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj");

    /** Weight shape of a linear layer, PyTorch layout. */
    public record Shape(long out, long in) {
        public long[] toArray() {
            return new long[] {out, in};
        }

        @Override
        public String toString() {
            return "[" + out + ", " + in + "]";
        }
    }

    private final Map<String, Shape> modules;

    private LinearModules(Map<String, Shape> modules) {
        this.modules = Collections.unmodifiableMap(new LinkedHashMap<>(modules));
    }

    /** An explicit module map (insertion order kept). */
    public static LinearModules of(Map<String, Shape> modules) {
        return new LinearModules(modules);
    }

    /** The linear layers a Llama/Mistral config implies ({@code lm_head} excluded). */
    public static LinearModules forLlama(LlamaConfig c) {
        Map<String, Shape> m = new LinkedHashMap<>();
        long h = c.hiddenSize();
        long q = c.qDim();
        long kv = c.kvDim();
        long ff = c.intermediateSize();
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String p = "model.layers." + i + ".";
            m.put(p + "self_attn.q_proj", new Shape(q, h));
            m.put(p + "self_attn.k_proj", new Shape(kv, h));
            m.put(p + "self_attn.v_proj", new Shape(kv, h));
            m.put(p + "self_attn.o_proj", new Shape(h, q));
            m.put(p + "mlp.gate_proj", new Shape(ff, h));
            m.put(p + "mlp.up_proj", new Shape(ff, h));
            m.put(p + "mlp.down_proj", new Shape(h, ff));
        }
        return new LinearModules(m);
    }

    /**
     * The linear layers of an actual checkpoint: every 2-D {@code <module>.weight} tensor except embeddings
     * ({@code *embed_tokens}) and the output layer ({@code lm_head}), which PEFT LoRA treats differently.
     */
    public static LinearModules fromCheckpointHeaders(Map<String, TensorInfo> tensors) {
        Map<String, Shape> m = new LinkedHashMap<>();
        for (TensorInfo t : tensors.values()) {
            String name = t.name();
            if (!name.endsWith(".weight") || t.rank() != 2) {
                continue;
            }
            String module = name.substring(0, name.length() - ".weight".length());
            String last = module.substring(module.lastIndexOf('.') + 1);
            if (last.equals("lm_head") || last.contains("embed")) {
                continue;
            }
            m.put(module, new Shape(t.dim(0), t.dim(1)));
        }
        return new LinearModules(m);
    }

    /** As {@link #fromCheckpointHeaders(Map)} over several headers (shards). */
    public static LinearModules fromCheckpointHeaders(Collection<SafetensorsHeader> headers) {
        Map<String, TensorInfo> all = new LinkedHashMap<>();
        headers.forEach(h -> all.putAll(h.tensors()));
        return fromCheckpointHeaders(all);
    }

    /** Reads the headers of a checkpoint directory (single file or sharded) and returns its linear layers. */
    public static LinearModules fromCheckpoint(Path directory) throws IOException {
        return HfCheckpoint.open(directory).linearModules();
    }

    /** Module path to [out, in], in model order. */
    public Map<String, Shape> modules() {
        return modules;
    }

    public Optional<Shape> shape(String module) {
        return Optional.ofNullable(modules.get(module));
    }

    public boolean contains(String module) {
        return modules.containsKey(module);
    }

    public int size() {
        return modules.size();
    }

    /** PEFT list semantics: equal, or a suffix at a "." boundary; {@code "all-linear"} matches everything. */
    public static boolean matches(String modulePath, String target) {
        return ALL_LINEAR.equals(target) || modulePath.equals(target) || modulePath.endsWith("." + target);
    }

    /** Modules matched by one target, in model order. */
    public List<String> matching(String target) {
        List<String> out = new ArrayList<>();
        for (String m : modules.keySet()) {
            if (matches(m, target)) {
                out.add(m);
            }
        }
        return out;
    }

    /** Modules matched by any of the targets, in model order. */
    public List<String> matching(Collection<String> targets) {
        Set<String> out = new LinkedHashSet<>();
        for (String m : modules.keySet()) {
            for (String t : targets) {
                if (matches(m, t)) {
                    out.add(m);
                    break;
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** The distinct last path components (e.g. q_proj, down_proj), for messages. */
    public Set<String> shortNames() {
        Set<String> out = new LinkedHashSet<>();
        modules.keySet().forEach(m -> out.add(m.substring(m.lastIndexOf('.') + 1)));
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinearModules l && modules.equals(l.modules);
    }

    @Override
    public int hashCode() {
        return modules.hashCode();
    }

    @Override
    public String toString() {
        return "LinearModules" + modules;
    }
}
