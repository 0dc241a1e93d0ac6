package dev.adapterhub.engine.testkit;

import dev.adapterhub.formats.hf.LlamaConfig;
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
    public static Map<String, long[]> shapes(LlamaConfig c) {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("model.embed_tokens.weight", new long[] {c.vocabSize(), c.hiddenSize()});
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String p = "model.layers." + i + ".";
            s.put(p + "self_attn.q_proj.weight", new long[] {c.qDim(), c.hiddenSize()});
            s.put(p + "self_attn.k_proj.weight", new long[] {c.kvDim(), c.hiddenSize()});
            s.put(p + "self_attn.v_proj.weight", new long[] {c.kvDim(), c.hiddenSize()});
            s.put(p + "self_attn.o_proj.weight", new long[] {c.hiddenSize(), c.qDim()});
            s.put(p + "mlp.gate_proj.weight", new long[] {c.intermediateSize(), c.hiddenSize()});
            s.put(p + "mlp.up_proj.weight", new long[] {c.intermediateSize(), c.hiddenSize()});
            s.put(p + "mlp.down_proj.weight", new long[] {c.hiddenSize(), c.intermediateSize()});
            s.put(p + "input_layernorm.weight", new long[] {c.hiddenSize()});
            s.put(p + "post_attention_layernorm.weight", new long[] {c.hiddenSize()});
        }
        s.put("model.norm.weight", new long[] {c.hiddenSize()});
        if (!c.tieWordEmbeddings()) {
            s.put("lm_head.weight", new long[] {c.vocabSize(), c.hiddenSize()});
        }
        return s;
    }

    /** All weights of {@code spec}: Gaussian(0, initStd) matrices, norm weights 1 + N(0, 0.1). */
    public static Map<String, Weight> generate(TinyLlamaSpec spec) {
        Map<String, Weight> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapes(spec.config()).entrySet()) {
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

    /** {@code n} values from N(0, std²) drawn from {@code rnd}: random adapter factors and test inputs. */
    public static float[] gaussian(Random rnd, int n, float std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian() * std;
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
