package dev.adapterhub.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The training forward (full causal sequences, no cache, F32 activations, logits of every position) as one
 * TorchScript call that autograd records, so the backward reaches the LoRA factors (and, in full fine-tuning, the
 * weights) as it does from {@link LlamaModel#forward(ForwardInput)}. It replaces the eager forward's ~60 DJL calls
 * per layer, each with JNI, handle and manager costs, by the TorchScript interpreter running the same ops natively:
 * what matters where the host queues kernels for a fast device (ADR 17).
 *
 * <p>Scope: every linear has at most one active adapter and it is a {@link LoraAdapter} (LoRA, LoRA-GA) or none
 * (full fine-tuning); other adapters (LoRA-SB, SHiRA) train through the eager forward ({@link #applies()}).
 * Right-padded batches need no padding mask under causal attention, as in the eager training forward.
 * Weights and factors are read live on every call: in-place updates, LoRA-GA's offset and fusions apply.
 */
public final class CompiledTrainingForward implements AutoCloseable {

    private final LlamaModel model;
    private final PtSymbolBlock module;
    private final NDManager manager;
    private final List<NDArray> weights = new ArrayList<>();
    private final List<AdaptableLinear> linears = new ArrayList<>();
    private final NDArray none;

    private CompiledTrainingForward(LlamaModel model, NDManager manager, PtSymbolBlock module) {
        this.model = model;
        this.manager = manager;
        this.module = module;
        Map<String, NDArray> p = model.parameters();
        weights.add(p.get(LlamaModel.EMBED));
        weights.add(p.get(LlamaModel.NORM));
        weights.add(model.linear("lm_head").weight()); // the embedding itself when tied
        for (int l = 0; l < model.dims().numLayers(); l++) {
            String prefix = "model.layers." + l + ".";
            weights.add(p.get(prefix + "input_layernorm.weight"));
            weights.add(p.get(prefix + "post_attention_layernorm.weight"));
            for (String n : LlamaModel.PROJECTIONS) {
                linears.add(model.linear(prefix + n));
                weights.add(model.linear(prefix + n).weight());
            }
        }
        linears.add(model.linear("lm_head"));
        this.none = manager.zeros(new ai.djl.ndarray.types.Shape(0), DataType.FLOAT32);
    }

    /** Compiles the forward for {@code model}'s shape onto its device (tens of milliseconds). */
    public static CompiledTrainingForward compile(LlamaModel model) {
        NDManager m = model.manager().newSubManager();
        try {
            return new CompiledTrainingForward(model, m, TorchScript.load(m, "Train", source(model.dims())));
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** Whether {@link #forward} computes what the eager forward would with the adapters attached now. */
    public boolean applies() {
        for (AdaptableLinear linear : linears) {
            if (!linear.activeIsAtMostOneLora()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Logits F32 [B, T, V] of every position for int64 {@code ids [B, T]}, in the ids' manager, recorded by an open
     * gradient collector like the eager forward.
     */
    public NDArray forward(NDArray ids) {
        if (!applies()) {
            throw new IllegalStateException("the compiled training forward takes at most one LoRA per linear");
        }
        NDManager fm = ids.getManager();
        NDArray invFreq = model.inverseFrequencies(); // on the model's device
        NDArray onDevice = ids.getDevice().equals(invFreq.getDevice()) ? ids
                : ids.toDevice(invFreq.getDevice(), false);
        if (onDevice.getDataType() != DataType.INT64) {
            onDevice = onDevice.toType(DataType.INT64, false);
        }
        float[] scales = new float[linears.size()];
        List<NDArray> a = new ArrayList<>(linears.size());
        List<NDArray> b = new ArrayList<>(linears.size());
        for (int i = 0; i < linears.size(); i++) {
            LoraAdapter lora = linears.get(i).activeLora();
            a.add(lora == null ? none : lora.a());
            b.add(lora == null ? none : lora.b());
            scales[i] = lora == null ? 0f : lora.scaling();
        }
        NDList in = new NDList();
        in.add(onDevice);
        in.add(invFreq);
        in.add(fm.create(scales).toDevice(invFreq.getDevice(), false));
        in.addAll(weights);
        in.addAll(a);
        in.addAll(b);
        for (NDArray x : in) {
            // DJL reads input names as list/tuple/dict markers; these must all be plain positional tensors
            if (x.getName() != null) {
                throw new IllegalStateException("array " + x.getName() + " is named; the compiled forward needs "
                        + "unnamed inputs");
            }
        }
        // The NDList route with training=true: the only DJL call that runs a module method outside InferenceMode.
        return TorchScript.unoptimized(() -> IValueUtils.forward(module, in, true).singletonOrThrow());
    }

    @Override
    public void close() {
        module.close();
        manager.close();
    }

    /**
     * The script: {@code forward(ids, inv_freq, scales, w..., a..., b...)} with the weights in {@link CompiledStep}'s
     * order ([embed, norm, lm_head], then per layer its two norms and the projections), then one LoRA A and one B per
     * linear (an empty tensor where none applies) and their scales.
     */
    static String source(LlamaDims d) {
        int layers = d.numLayers();
        int weightCount = 3 + 9 * layers;
        int linearCount = 7 * layers + 1;
        int kv = d.numKvHeads();
        int heads = d.numHeads();
        int rep = heads / kv;
        int hd = d.headDim();
        List<String> s = new ArrayList<>();
        s.add("class Train(Module):");
        s.add("  __parameters__ = []");
        s.add("  __buffers__ = []");
        s.add("  training : bool");
        StringBuilder sig = new StringBuilder("  def forward(self: __torch__.Train, ids: Tensor, inv_freq: Tensor, "
                + "scales: Tensor");
        StringBuilder w = new StringBuilder("    w = [");
        StringBuilder la = new StringBuilder("    la = [");
        StringBuilder lb = new StringBuilder("    lb = [");
        for (int i = 0; i < weightCount; i++) {
            sig.append(", w").append(i).append(": Tensor");
            w.append(i == 0 ? "" : ", ").append('w').append(i);
        }
        for (int i = 0; i < linearCount; i++) {
            sig.append(", a").append(i).append(": Tensor");
            la.append(i == 0 ? "" : ", ").append('a').append(i);
        }
        for (int i = 0; i < linearCount; i++) {
            sig.append(", b").append(i).append(": Tensor");
            lb.append(i == 0 ? "" : ", ").append('b').append(i);
        }
        s.add(sig.append(") -> Tensor:").toString());
        s.add(w.append(']').toString());
        s.add(la.append(']').toString());
        s.add(lb.append(']').toString());
        s.add("    b = ids.size(0)");
        s.add("    t = ids.size(1)");
        s.add("    h = torch.embedding(w[0], ids).float()");
        s.add("    freqs = torch.unsqueeze(torch.arange(t, device=ids.device).float(), -1) * inv_freq");
        s.add("    c = torch.cos(freqs)");
        s.add("    sn = torch.sin(freqs)");
        s.add("    cos = torch.cat([c, c], -1).view(1, 1, t, " + hd + ")");
        s.add("    sin = torch.cat([torch.neg(sn), sn], -1).view(1, 1, t, " + hd + ")");
        s.add("    half = " + hd / 2);
        s.add("    for l in range(" + layers + "):");
        s.add("      base = 3 + 9 * l");
        s.add("      lo = 7 * l");
        s.add("      x = self.norm(h, w[base])");
        s.add("      q = self.proj(x, w[base + 2], la[lo], lb[lo], scales[lo]).view(b, t, " + heads + ", " + hd
                + ").transpose(1, 2)");
        s.add("      k = self.proj(x, w[base + 3], la[lo + 1], lb[lo + 1], scales[lo + 1]).view(b, t, " + kv + ", "
                + hd + ").transpose(1, 2)");
        s.add("      v = self.proj(x, w[base + 4], la[lo + 2], lb[lo + 2], scales[lo + 2]).view(b, t, " + kv + ", "
                + hd + ").transpose(1, 2)");
        s.add("      q = q * cos + torch.cat([q[..., half:], q[..., :half]], -1) * sin");
        s.add("      k = k * cos + torch.cat([k[..., half:], k[..., :half]], -1) * sin");
        if (rep > 1) {
            // each KV head serves rep query heads (HF's repeat_kv): expand is a view, the reshape copies once
            s.add("      k = k.unsqueeze(2).expand(b, " + kv + ", " + rep + ", t, " + hd + ").reshape(b, " + heads
                    + ", t, " + hd + ")");
            s.add("      v = v.unsqueeze(2).expand(b, " + kv + ", " + rep + ", t, " + hd + ").reshape(b, " + heads
                    + ", t, " + hd + ")");
        }
        s.add("      a = torch.scaled_dot_product_attention(q, k, v, is_causal=True)");
        s.add("      a = a.transpose(1, 2).reshape(b, t, " + heads * hd + ")");
        s.add("      h = h + self.proj(a, w[base + 5], la[lo + 3], lb[lo + 3], scales[lo + 3])");
        s.add("      x = self.norm(h, w[base + 1])");
        s.add("      g = self.proj(x, w[base + 6], la[lo + 4], lb[lo + 4], scales[lo + 4])");
        s.add("      u = self.proj(x, w[base + 7], la[lo + 5], lb[lo + 5], scales[lo + 5])");
        s.add("      h = h + self.proj(torch.silu(g) * u, w[base + 8], la[lo + 6], lb[lo + 6], scales[lo + 6])");
        s.add("    h = self.norm(h, w[1])");
        int last = linearCount - 1;
        s.add("    return self.proj(h, w[2], la[" + last + "], lb[" + last + "], scales[" + last + "])");
        s.add(CompiledStep.normMethod("Train", d));
        s.add("  def proj(self: __torch__.Train, x: Tensor, weight: Tensor, a: Tensor, b: Tensor,");
        s.add("      s: Tensor) -> Tensor:");
        // a half-precision frozen base computes in F32 (the activations' dtype); the cast needs no gradient
        s.add("    y = torch.linear(x, weight.to(x.dtype))");
        s.add("    if torch.numel(a) > 0:");
        s.add("      y = y + torch.linear(torch.linear(x, a), b) * s");
        s.add("    return y");
        s.add("");
        return String.join("\n", s);
    }
}
