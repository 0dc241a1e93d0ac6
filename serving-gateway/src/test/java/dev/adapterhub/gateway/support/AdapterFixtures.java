package dev.adapterhub.gateway.support;

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
 * Random-weight PEFT adapters written with the engine's own export (the same recipe as adapter-engine's serving
 * test fixtures): B is random rather than PEFT's zero init, so every adapter visibly changes the output.
 */
final class AdapterFixtures {

    private static final String EXPORT = "__fixture__";

    private AdapterFixtures() {
    }

    static Path lora(LlamaModel model, Path dir, List<String> suffixes, int rank, long seed, String baseName)
            throws IOException {
        Random rnd = new Random(seed);
        for (AdaptableLinear l : model.linears().values()) {
            if (suffixes.stream().noneMatch(s -> l.name().endsWith("." + s))) {
                continue;
            }
            NDManager m = model.manager();
            LoraAdapter a = LoraAdapter.create(m,
                    m.create(gaussian(rnd, rank * l.inFeatures(), 0.3f), new Shape(rank, l.inFeatures())),
                    m.create(gaussian(rnd, l.outFeatures() * rank, 0.3f), new Shape(l.outFeatures(), rank)),
                    2f * rank, false);
            l.attach(EXPORT, a);
        }
        try {
            PeftIO.exportLora(model, EXPORT, dir, baseName);
        } finally {
            model.removeAdapter(EXPORT);
        }
        return dir;
    }

    /** K = r·(in+out) unique random entries per targeted module (what the registry requires), values N(0, std). */
    static Path shira(LlamaModel model, Path dir, List<String> suffixes, int r, float std, long seed, String baseName)
            throws IOException {
        Random rnd = new Random(seed);
        Map<String, SparseDelta> deltas = new LinkedHashMap<>();
        for (AdaptableLinear l : model.linears().values()) {
            if (l.name().equals("lm_head") || suffixes.stream().noneMatch(s -> l.name().endsWith("." + s))) {
                continue;
            }
            int k = r * (l.inFeatures() + l.outFeatures());
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
        PeftIO.exportShira(model, deltas, r, "random", seed, dir, baseName);
        return dir;
    }

    private static float[] gaussian(Random rnd, int n, float std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian() * std;
        }
        return v;
    }
}
