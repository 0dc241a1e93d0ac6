package dev.adapterhub.formats.peft;

import dev.adapterhub.formats.hf.LinearModules;
import dev.adapterhub.formats.hf.LlamaConfig;
import dev.adapterhub.formats.safetensors.DType;
import dev.adapterhub.formats.safetensors.SafetensorsHeader;
import dev.adapterhub.formats.safetensors.SafetensorsWriter;
import dev.adapterhub.formats.safetensors.Tensor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Tiny Llama base and valid LoRA / SHiRA adapters for it. */
final class Fixtures {

    static final LlamaConfig TINY = LlamaConfig.of(16, 32, 2, 4, 2, 50);
    static final LinearModules BASE = LinearModules.forLlama(TINY);

    private Fixtures() {
    }

    static float[] randomFloats(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    /** Valid LoRA tensors for every module {@code config} targets, in {@code dtype}. */
    static Map<String, Tensor> lora(PeftConfig config, DType dtype) {
        Map<String, Tensor> out = new TreeMap<>();
        long seed = 1;
        for (String m : config.targetModules().select(BASE)) {
            LinearModules.Shape s = BASE.modules().get(m);
            int r = config.rank(m);
            out.put(PeftKeys.loraA(m), Tensor.ofFloats(PeftKeys.loraA(m), dtype, new long[] {r, s.in()},
                    randomFloats((int) (r * s.in()), seed++)));
            out.put(PeftKeys.loraB(m), Tensor.ofFloats(PeftKeys.loraB(m), dtype, new long[] {s.out(), r},
                    randomFloats((int) (r * s.out()), seed++)));
        }
        return out;
    }

    /** Valid SHiRA tensors: K distinct random positions per targeted module. */
    static Map<String, Tensor> shira(PeftConfig config, DType indexType) {
        Map<String, Tensor> out = new TreeMap<>();
        Random rnd = new Random(7);
        for (String m : config.targetModules().select(BASE)) {
            LinearModules.Shape s = BASE.modules().get(m);
            int k = (int) PeftKeys.shiraK(config.r(), s.out(), s.in());
            int total = (int) (s.out() * s.in());
            int[] perm = new int[total];
            for (int i = 0; i < total; i++) {
                perm[i] = i;
            }
            for (int i = 0; i < k; i++) {
                int j = i + rnd.nextInt(total - i);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            long[] idx = new long[2 * k];
            for (int i = 0; i < k; i++) {
                idx[i] = perm[i] / s.in();
                idx[k + i] = perm[i] % s.in();
            }
            out.put(PeftKeys.shiraWeight(m), Tensor.ofFloats(PeftKeys.shiraWeight(m), new long[] {k},
                    randomFloats(k, k)));
            out.put(PeftKeys.shiraIndices(m), Tensor.ofLongs(PeftKeys.shiraIndices(m), indexType, new long[] {2, k},
                    idx));
        }
        return out;
    }

    static SafetensorsHeader header(Map<String, Tensor> tensors) {
        byte[] bytes = SafetensorsWriter.toBytes(tensors);
        try {
            return SafetensorsHeader.read(new ByteArrayInputStream(bytes), bytes.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
