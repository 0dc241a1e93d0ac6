package dev.adapterhub.engine.checkpoint;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.model.LoraAdapter;
import dev.adapterhub.engine.peft.PeftIO;
import dev.adapterhub.engine.peft.SparseDelta;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random-weight HF PEFT adapters for a model, written with the engine's own export: the LoRA and SHiRA
 * counterparts of {@link TinyLlamaGenerator}, for tests of everything that loads, validates or serves adapters.
 * B is random rather than PEFT's zero init, so every adapter visibly changes the model's output.
 */
public final class RandomAdapters {

    private static final String EXPORT = "__random_adapter__";

    private RandomAdapters() {
    }

    /**
     * A LoRA of rank {@code rank} (alpha 2·rank, values N(0, 0.3)) on every linear whose name ends with one of
     * {@code suffixes}; with {@code firstModuleRank} different from {@code rank}, the first module gets that rank
     * instead, so the file carries a PEFT {@code rank_pattern}.
     */
    public static Path lora(LlamaModel model, Path dir, List<String> suffixes, int rank, int firstModuleRank, long seed,
                            String baseModelName) throws IOException {
        Random rnd = new Random(seed);
        boolean first = true;
        NDManager m = model.manager();
        for (AdaptableLinear l : targets(model, suffixes)) {
            int r = first ? firstModuleRank : rank;
            first = false;
            LoraAdapter a = LoraAdapter.create(m,
                    m.create(gaussian(rnd, r * l.inFeatures(), 0.3f), new Shape(r, l.inFeatures())),
                    m.create(gaussian(rnd, l.outFeatures() * r, 0.3f), new Shape(l.outFeatures(), r)),
                    2f * r, false);
            l.attach(EXPORT, a);
        }
        try {
            PeftIO.exportLora(model, EXPORT, dir, baseModelName);
        } finally {
            model.removeAdapter(EXPORT);
        }
        return dir;
    }

    /**
     * A SHiRA with exactly K = r·(in+out) distinct random entries per targeted module (the budget the registry
     * checks), values N(0, std). {@code lm_head} is never targeted.
     */
    public static Path shira(LlamaModel model, Path dir, List<String> suffixes, int r, float std, long seed,
                             String baseModelName) throws IOException {
        Random rnd = new Random(seed);
        Map<String, SparseDelta> deltas = new LinkedHashMap<>();
        for (AdaptableLinear l : targets(model, suffixes)) {
            if (l.name().equals("lm_head")) {
                continue;
            }
            int k = r * (l.inFeatures() + l.outFeatures());
            if (k > l.inFeatures() * l.outFeatures() / 2) {
                throw new IllegalArgumentException(l.name() + ": r = " + r + " asks for " + k
                        + " entries, more than half of the matrix; use a smaller r");
            }
            Set<Long> used = new HashSet<>();
            int[] rows = new int[k];
            int[] cols = new int[k];
            int n = 0;
            while (n < k) {
                int row = rnd.nextInt(l.outFeatures());
                int col = rnd.nextInt(l.inFeatures());
                if (used.add((long) row * l.inFeatures() + col)) {
                    rows[n] = row;
                    cols[n] = col;
                    n++;
                }
            }
            deltas.put(l.name(), new SparseDelta(rows, cols, gaussian(rnd, k, std)));
        }
        PeftIO.exportShira(model, deltas, r, "random", seed, dir, baseModelName);
        return dir;
    }

    private static List<AdaptableLinear> targets(LlamaModel model, List<String> suffixes) {
        return model.linears().values().stream()
                .filter(l -> suffixes.stream().anyMatch(s -> l.name().endsWith("." + s)))
                .toList();
    }

    private static float[] gaussian(Random rnd, int n, float std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian() * std;
        }
        return v;
    }
}
