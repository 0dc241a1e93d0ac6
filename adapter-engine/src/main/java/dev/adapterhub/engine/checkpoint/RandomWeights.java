package dev.adapterhub.engine.checkpoint;

import dev.adapterhub.engine.model.LlamaDims;
import dev.adapterhub.engine.model.LlamaModel;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Deterministic random Llama weights as float arrays, in HF order and with HF names. */
public final class RandomWeights {

    /** A weight's shape and values (row-major). */
    public record Weight(long[] shape, float[] values) {
    }

    private RandomWeights() {
    }

    /** Weight names and shapes of a Llama checkpoint, in HF order. */
    public static Map<String, long[]> shapes(LlamaDims d) {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put(LlamaModel.EMBED, new long[] {d.vocabSize(), d.hiddenSize()});
        for (int i = 0; i < d.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            s.put(p + "self_attn.q_proj.weight", new long[] {d.qOut(), d.hiddenSize()});
            s.put(p + "self_attn.k_proj.weight", new long[] {d.kvOut(), d.hiddenSize()});
            s.put(p + "self_attn.v_proj.weight", new long[] {d.kvOut(), d.hiddenSize()});
            s.put(p + "self_attn.o_proj.weight", new long[] {d.hiddenSize(), d.qOut()});
            s.put(p + "mlp.gate_proj.weight", new long[] {d.intermediateSize(), d.hiddenSize()});
            s.put(p + "mlp.up_proj.weight", new long[] {d.intermediateSize(), d.hiddenSize()});
            s.put(p + "mlp.down_proj.weight", new long[] {d.hiddenSize(), d.intermediateSize()});
            s.put(p + "input_layernorm.weight", new long[] {d.hiddenSize()});
            s.put(p + "post_attention_layernorm.weight", new long[] {d.hiddenSize()});
        }
        s.put(LlamaModel.NORM, new long[] {d.hiddenSize()});
        if (!d.tieWordEmbeddings()) {
            s.put(LlamaModel.LM_HEAD, new long[] {d.vocabSize(), d.hiddenSize()});
        }
        return s;
    }

    /** All weights of {@code spec}: Gaussian(0, initStd) matrices, norm weights 1 + N(0, 0.1). */
    public static Map<String, Weight> generate(TinyLlamaSpec spec) {
        Map<String, Weight> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapes(spec.dims()).entrySet()) {
            out.put(e.getKey(), new Weight(e.getValue(), values(spec, e.getKey(), e.getValue())));
        }
        return out;
    }

    /** One tensor's values; depends only on the seed, the name and the shape. */
    public static float[] values(TinyLlamaSpec spec, String name, long[] shape) {
        long n = 1;
        for (long x : shape) {
            n *= x;
        }
        float[] v = new float[Math.toIntExact(n)];
        Random r = new Random(spec.seed() * 0x9E3779B97F4A7C15L ^ fnv(name));
        boolean norm = name.endsWith("norm.weight");
        for (int i = 0; i < v.length; i++) {
            double g = r.nextGaussian();
            v[i] = norm ? (float) (1.0 + 0.1 * g) : (float) (spec.initStd() * g);
        }
        return v;
    }

    private static long fnv(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
