package dev.adapterhub.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.testkit.RandomWeights;
import dev.adapterhub.engine.testkit.TinyLlamaGenerator;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DJL forward against a naive double-precision re-implementation of HF's LlamaForCausalLM written from its
 * definition (RMSNorm, rotate_half rotary, repeat_kv grouped-query attention, causal softmax, SwiGLU).
 */
class ReferenceForwardTest {

    @TempDir
    Path tmp;

    @Test
    void matchesANaiveReferenceImplementation() throws Exception {
        for (boolean tie : new boolean[] {false, true}) {
            TinyLlamaSpec spec = TinyLlamaSpec.tiny().withSize(2, 48, 80, 6, 2, 259).withSeed(tie ? 13 : 12)
                    .withTiedEmbeddings(tie);
            Path dir = TinyLlamaGenerator.generate(spec, tmp.resolve("m" + tie));
            long[] ids = {1, 72, 101, 108, 108, 111, 44, 32, 119, 111};
            double[][] want = reference(spec, RandomWeights.generate(spec), ids);
            try (LlamaModel model = CheckpointIO.load(dir, Device.cpu(), DataType.FLOAT32);
                 NDManager m = Devices.newManager(Device.cpu())) {
                float[] got = model.forward(m.create(new long[][] {ids})).toFloatArray();
                int v = spec.vocab();
                double maxDiff = 0;
                double maxAbs = 0;
                for (int t = 0; t < ids.length; t++) {
                    for (int j = 0; j < v; j++) {
                        maxDiff = Math.max(maxDiff, Math.abs(got[t * v + j] - want[t][j]));
                        maxAbs = Math.max(maxAbs, Math.abs(want[t][j]));
                    }
                }
                assertTrue(maxAbs > 0.1, "logits should not be trivially small: " + maxAbs);
                assertTrue(maxDiff < 1e-4, "tie=" + tie + ": max |djl - reference| = " + maxDiff);
            }
        }
    }

    static double[][] reference(TinyLlamaSpec spec, Map<String, RandomWeights.Weight> w, long[] ids) {
        int hs = spec.hidden();
        int heads = spec.heads();
        int kvHeads = spec.kvHeads();
        int d = hs / heads;
        int rep = heads / kvHeads;
        int t = ids.length;
        double[][] h = new double[t][];
        float[] emb = w.get("model.embed_tokens.weight").values();
        for (int i = 0; i < t; i++) {
            h[i] = new double[hs];
            for (int j = 0; j < hs; j++) {
                h[i][j] = emb[(int) ids[i] * hs + j];
            }
        }
        for (int layer = 0; layer < spec.layers(); layer++) {
            String p = "model.layers." + layer + ".";
            double[][] x = rms(h, w.get(p + "input_layernorm.weight").values(), spec.rmsNormEps());
            double[][] q = lin(x, w.get(p + "self_attn.q_proj.weight"));
            double[][] k = lin(x, w.get(p + "self_attn.k_proj.weight"));
            double[][] v = lin(x, w.get(p + "self_attn.v_proj.weight"));
            for (int i = 0; i < t; i++) {
                rope(q[i], heads, d, i, spec.ropeTheta());
                rope(k[i], kvHeads, d, i, spec.ropeTheta());
            }
            double[][] attn = new double[t][heads * d];
            for (int head = 0; head < heads; head++) {
                int kvh = head / rep; // repeat_kv: query head h reads kv head h // n_rep
                for (int i = 0; i < t; i++) {
                    double[] s = new double[i + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= i; j++) {
                        double dot = 0;
                        for (int c = 0; c < d; c++) {
                            dot += q[i][head * d + c] * k[j][kvh * d + c];
                        }
                        s[j] = dot / Math.sqrt(d);
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j <= i; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    for (int j = 0; j <= i; j++) {
                        for (int c = 0; c < d; c++) {
                            attn[i][head * d + c] += s[j] / sum * v[j][kvh * d + c];
                        }
                    }
                }
            }
            double[][] o = lin(attn, w.get(p + "self_attn.o_proj.weight"));
            add(h, o);
            double[][] x2 = rms(h, w.get(p + "post_attention_layernorm.weight").values(), spec.rmsNormEps());
            double[][] g = lin(x2, w.get(p + "mlp.gate_proj.weight"));
            double[][] u = lin(x2, w.get(p + "mlp.up_proj.weight"));
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < g[i].length; j++) {
                    g[i][j] = g[i][j] / (1 + Math.exp(-g[i][j])) * u[i][j];
                }
            }
            add(h, lin(g, w.get(p + "mlp.down_proj.weight")));
        }
        double[][] n = rms(h, w.get("model.norm.weight").values(), spec.rmsNormEps());
        RandomWeights.Weight head = spec.tieEmbeddings() ? w.get("model.embed_tokens.weight") : w.get("lm_head.weight");
        return lin(n, head);
    }

    static double[][] rms(double[][] x, float[] weight, double eps) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double ms = 0;
            for (double v : x[i]) {
                ms += v * v;
            }
            ms /= x[i].length;
            out[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                out[i][j] = x[i][j] / Math.sqrt(ms + eps) * weight[j];
            }
        }
        return out;
    }

    static double[][] lin(double[][] x, RandomWeights.Weight w) {
        int out = (int) w.shape()[0];
        int in = (int) w.shape()[1];
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < out; o++) {
                double s = 0;
                for (int c = 0; c < in; c++) {
                    s += x[i][c] * w.values()[o * in + c];
                }
                y[i][o] = s;
            }
        }
        return y;
    }

    static void rope(double[] v, int heads, int d, int pos, double theta) {
        for (int head = 0; head < heads; head++) {
            int base = head * d;
            for (int i = 0; i < d / 2; i++) {
                double angle = pos * Math.pow(theta, -2.0 * i / d);
                double x1 = v[base + i];
                double x2 = v[base + i + d / 2];
                v[base + i] = x1 * Math.cos(angle) - x2 * Math.sin(angle);
                v[base + i + d / 2] = x2 * Math.cos(angle) + x1 * Math.sin(angle);
            }
        }
    }

    static void add(double[][] h, double[][] y) {
        for (int i = 0; i < h.length; i++) {
            for (int j = 0; j < h[i].length; j++) {
                h[i][j] += y[i][j];
            }
        }
    }
}
