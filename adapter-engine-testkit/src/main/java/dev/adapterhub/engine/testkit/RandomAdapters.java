package dev.adapterhub.engine.testkit;

import dev.adapterhub.formats.hf.LinearModules;
import dev.adapterhub.formats.hf.LlamaConfig;
import dev.adapterhub.formats.peft.PeftAdapterFiles;
import dev.adapterhub.formats.peft.PeftConfig;
import dev.adapterhub.formats.peft.PeftKeys;
import dev.adapterhub.formats.peft.TargetModules;
import dev.adapterhub.formats.safetensors.DType;
import dev.adapterhub.formats.safetensors.SafetensorsWriter;
import dev.adapterhub.formats.safetensors.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static dev.adapterhub.engine.testkit.RandomWeights.gaussian;

/**
 * Random-weight HF PEFT adapters for a base model, computed from its {@code config.json} alone (module names and
 * shapes, grouped-query attention included): the LoRA and SHiRA counterparts of {@link TinyLlamaGenerator}, for
 * tests and benchmarks of everything that loads, validates or serves adapters. B is random rather than PEFT's zero
 * init, so every adapter visibly changes the model's output.
 */
public final class RandomAdapters {

    private RandomAdapters() {
    }

    /**
     * A LoRA of rank {@code rank} (alpha 2·rank, values N(0, 0.3)) on every linear whose name ends with one of
     * {@code suffixes}; with {@code firstModuleRank} different from {@code rank}, the first module gets that rank
     * (and alpha 2·firstModuleRank) instead, so the file carries a PEFT {@code rank_pattern}.
     */
    public static Path lora(LlamaConfig base, Path dir, List<String> suffixes, int rank, int firstModuleRank,
                            long seed, String baseModelName) throws IOException {
        Random rnd = new Random(seed);
        Map<String, LinearModules.Shape> targets = targets(base, suffixes);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, Integer> rankPattern = new LinkedHashMap<>();
        Map<String, Double> alphaPattern = new LinkedHashMap<>();
        boolean first = true;
        for (Map.Entry<String, LinearModules.Shape> e : targets.entrySet()) {
            String module = e.getKey();
            int in = Math.toIntExact(e.getValue().in());
            int out = Math.toIntExact(e.getValue().out());
            int r = first ? firstModuleRank : rank;
            first = false;
            if (r != rank) {
                rankPattern.put(module, r);
                alphaPattern.put(module, 2.0 * r);
            }
            String ka = PeftKeys.loraA(module);
            String kb = PeftKeys.loraB(module);
            tensors.put(ka, Tensor.ofFloats(ka, DType.F32, new long[] {r, in}, gaussian(rnd, r * in, 0.3f)));
            tensors.put(kb, Tensor.ofFloats(kb, DType.F32, new long[] {out, r}, gaussian(rnd, out * r, 0.3f)));
        }
        PeftConfig config = PeftConfig.lora(rank, 2.0 * rank, targetModules(targets)).toBuilder()
                .useRslora(false)
                .baseModelNameOrPath(baseModelName)
                .rankPattern(rankPattern)
                .alphaPattern(alphaPattern)
                .build();
        return write(dir, config, tensors);
    }

    /**
     * A SHiRA with exactly K = r·(in+out) distinct random entries per targeted module (the budget the registry
     * checks; k/v projections are narrower than q under grouped-query attention), values N(0, std); K may be
     * anything up to the whole matrix. {@code lm_head} is never targeted.
     */
    public static Path shira(LlamaConfig base, Path dir, List<String> suffixes, int r, float std, long seed,
                             String baseModelName) throws IOException {
        Random rnd = new Random(seed);
        Map<String, LinearModules.Shape> targets = targets(base, suffixes);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, LinearModules.Shape> e : targets.entrySet()) {
            String module = e.getKey();
            int in = Math.toIntExact(e.getValue().in());
            int out = Math.toIntExact(e.getValue().out());
            int k = Math.toIntExact(PeftKeys.shiraK(r, out, in));
            if (k > (long) in * out) {
                throw new IllegalArgumentException(module + " [" + out + ", " + in + "]: r = " + r + " asks for "
                        + k + " entries, more than the matrix has; use a smaller r");
            }
            int[] indices = positions(rnd, out, in, k);
            String kw = PeftKeys.shiraWeight(module);
            String ki = PeftKeys.shiraIndices(module);
            tensors.put(kw, Tensor.ofFloats(kw, DType.F32, new long[] {k}, gaussian(rnd, k, std)));
            tensors.put(ki, Tensor.ofInts(ki, DType.I32, new long[] {2, k}, indices));
        }
        PeftConfig config = PeftConfig.shira(r, targetModules(targets), "random", seed).toBuilder()
                .baseModelNameOrPath(baseModelName)
                .build();
        return write(dir, config, tensors);
    }

    /**
     * {@code k} distinct random positions of an [out, in] matrix as PEFT stores SHiRA indices: the k row indices,
     * then the k column indices. Rejection sampling while at most half the matrix is taken; a partial shuffle of
     * every position beyond that, where rejection would slow down (small k/v projections under grouped-query
     * attention reach it at modest ranks).
     */
    private static int[] positions(Random rnd, int out, int in, int k) {
        int[] indices = new int[2 * k];
        if (k <= (long) in * out / 2) {
            Set<Long> used = new HashSet<>();
            int n = 0;
            while (n < k) {
                int row = rnd.nextInt(out);
                int col = rnd.nextInt(in);
                if (used.add((long) row * in + col)) {
                    indices[n] = row;
                    indices[k + n] = col;
                    n++;
                }
            }
            return indices;
        }
        int[] flat = new int[out * in];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = i;
        }
        for (int n = 0; n < k; n++) {
            int j = n + rnd.nextInt(flat.length - n);
            int t = flat[n];
            flat[n] = flat[j];
            flat[j] = t;
            indices[n] = flat[n] / in;
            indices[k + n] = flat[n] % in;
        }
        return indices;
    }

    /** The decoder's linear layers (never lm_head) whose path ends with one of the suffixes, in model order. */
    private static Map<String, LinearModules.Shape> targets(LlamaConfig base, List<String> suffixes) {
        Map<String, LinearModules.Shape> out = new LinkedHashMap<>();
        LinearModules.forLlama(base).modules().forEach((module, shape) -> {
            if (suffixes.stream().anyMatch(s -> module.endsWith("." + s))) {
                out.put(module, shape);
            }
        });
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no linear layer ends with any of " + suffixes);
        }
        return out;
    }

    /** The short names (q_proj, ...) of the targets: as PEFT's list form they select exactly these modules. */
    private static TargetModules targetModules(Map<String, LinearModules.Shape> targets) {
        Set<String> shortNames = new LinkedHashSet<>();
        targets.keySet().forEach(m -> shortNames.add(m.substring(m.lastIndexOf('.') + 1)));
        return TargetModules.of(List.copyOf(shortNames));
    }

    private static Path write(Path dir, PeftConfig config, Map<String, Tensor> tensors) throws IOException {
        Files.createDirectories(dir);
        SafetensorsWriter.write(dir.resolve(PeftAdapterFiles.ADAPTER_WEIGHTS), tensors);
        config.writeTo(dir);
        return dir;
    }
}
