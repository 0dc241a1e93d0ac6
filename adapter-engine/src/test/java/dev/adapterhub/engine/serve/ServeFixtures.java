package dev.adapterhub.engine.serve;

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

/** Random-weight PEFT adapters for serving tests (written with the engine's own PEFT export). */
final class ServeFixtures {

    private static final String EXPORT = "__fixture__";

    private ServeFixtures() {
    }

    /**
     * A LoRA on every layer's projections named by {@code suffixes} with rank {@code rank} (the first module gets
     * {@code rank + 2} so rank_pattern is exercised when {@code mixedRanks}). B is random (not PEFT's zero init) so
     * the adapter visibly changes the output.
     */
    static Path lora(LlamaModel model, Path dir, List<String> suffixes, int rank, boolean mixedRanks, long seed)
            throws IOException {
        Random rnd = new Random(seed);
        boolean first = true;
        for (AdaptableLinear l : model.linears().values()) {
            if (suffixes.stream().noneMatch(s -> l.name().endsWith("." + s))) {
                continue;
            }
            int r = mixedRanks && first ? rank + 2 : rank;
            first = false;
            NDManager m = model.manager();
            LoraAdapter a = LoraAdapter.create(m,
                    m.create(gaussian(rnd, r * l.inFeatures(), 0.3f), new Shape(r, l.inFeatures())),
                    m.create(gaussian(rnd, l.outFeatures() * r, 0.3f), new Shape(l.outFeatures(), r)),
                    2f * r, false);
            l.attach(EXPORT, a);
        }
        try {
            PeftIO.exportLora(model, EXPORT, dir, "tiny-llama");
        } finally {
            model.removeAdapter(EXPORT);
        }
        return dir;
    }

    /** A SHiRA with K = r·(in+out) random unique entries per targeted module, values N(0, std). */
    static Path shira(LlamaModel model, Path dir, List<String> suffixes, int r, float std, long seed)
            throws IOException {
        Random rnd = new Random(seed);
        Map<String, SparseDelta> deltas = new LinkedHashMap<>();
        for (AdaptableLinear l : model.linears().values()) {
            if (l.name().equals("lm_head") || suffixes.stream().noneMatch(s -> l.name().endsWith("." + s))) {
                continue;
            }
            int k = Math.min(r * (l.inFeatures() + l.outFeatures()), l.inFeatures() * l.outFeatures() / 2);
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
        PeftIO.exportShira(model, deltas, r, "random", seed, dir, "tiny-llama");
        return dir;
    }

    static float[] gaussian(Random rnd, int n, float std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian() * std;
        }
        return v;
    }
}
