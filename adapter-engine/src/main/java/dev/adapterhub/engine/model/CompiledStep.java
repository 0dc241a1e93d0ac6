package dev.adapterhub.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A whole serving step (every layer, the LM head of each row's last position) as one TorchScript call: a prefill
 * of left-padded prompts into an empty cache, or a decode step of one new token per row. The eager forward makes
 * about 60 DJL calls per layer, each with JNI, handle and manager overhead; here the TorchScript interpreter runs
 * the same ops natively, attention is torch's fused {@code scaled_dot_product_attention}, and keys and values are
 * written into the {@link KvCache}'s preallocated buffers in place. Same math as
 * {@link LlamaModel#forward(ForwardInput)} (RMSNorm in F32, rotary, grouped-query attention folded into rows, an
 * additive finite mask, SwiGLU); logits agree within float rounding ({@code CompiledStepTest}).
 *
 * <p>Scope: per-row LoRA factors passed in ({@link Lora}: the serving engine keeps LoRAs in its pool and fuses
 * SHiRA into the weights), or the model's own attached adapters when each linear has at most one active and it is
 * a LoRA ({@link #attachedLora}). Weights are read live on every call, so merges and fusions into W apply. Not for
 * training: DJL runs it under {@code InferenceMode} (ADR 16).
 */
public final class CompiledStep implements AutoCloseable {

    /**
     * Per-row LoRA of a step, in one of three layouts (scale folded into B everywhere):
     * <ul>
     *   <li>{@link Layout#SHARED}: every row uses one LoRA: {A [R, in], B [out, R]} per linear, {@code rows} null;
     *   <li>{@link Layout#GATHER}: the pool's stacks {A [slots, R, in], B [slots, out, R]} (slot 0 zeros) and each
     *       row's slot in {@code rows}; the step gathers each row's factors;
     *   <li>{@link Layout#ENTRIES}: per-entry buffers {A [entries, in, R], B [entries, R, out]} already holding each
     *       row's factors and each row's entry in {@code rows} (decode steps of a steady batch: no gather).
     * </ul>
     *
     * @param factors linear name -> {A, B}; linears without an entry get no LoRA
     * @param rows    int64 [B] slot or entry of each row, or null for {@link Layout#SHARED}
     */
    public record Lora(Map<String, NDArray[]> factors, NDArray rows, Layout layout) {
    }

    /** See {@link Lora}; the ordinal is the script's mode. */
    public enum Layout { SHARED, GATHER, ENTRIES }

    private final LlamaModel model;
    private final PtSymbolBlock module;
    private final PtNDArray[] weights;
    private final List<String> linearNames = new ArrayList<>();
    private final NDManager manager;
    private final PtNDArray inverseFrequencies;
    private final PtNDArray none;
    private final AtomicLong calls = new AtomicLong();

    private CompiledStep(LlamaModel model, NDManager manager, PtSymbolBlock module) {
        this.model = model;
        this.manager = manager;
        this.module = module;
        LlamaDims d = model.dims();
        Map<String, NDArray> p = model.parameters();
        List<PtNDArray> w = new ArrayList<>(List.of(param(p, LlamaModel.EMBED), param(p, LlamaModel.NORM),
                (PtNDArray) model.linear("lm_head").weight())); // the embedding itself when tied
        for (int l = 0; l < d.numLayers(); l++) {
            String prefix = "model.layers." + l + ".";
            w.add(param(p, prefix + "input_layernorm.weight"));
            w.add(param(p, prefix + "post_attention_layernorm.weight"));
            for (String n : LlamaModel.PROJECTIONS) {
                linearNames.add(prefix + n);
                w.add((PtNDArray) model.linear(prefix + n).weight());
            }
        }
        linearNames.add("lm_head");
        this.weights = w.toArray(PtNDArray[]::new);
        this.inverseFrequencies = (PtNDArray) model.inverseFrequencies();
        this.none = (PtNDArray) manager.zeros(new Shape(0), model.dataType());
    }

    /** Compiles the step for {@code model}'s shape onto its device (tens of milliseconds). */
    public static CompiledStep compile(LlamaModel model) {
        NDManager m = model.manager().newSubManager();
        try {
            return new CompiledStep(model, m, TorchScript.load(m, "Step", source(model.dims())));
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** Whether {@link #forward} without a {@link Lora} computes what the eager forward would for this model state. */
    public boolean applies() {
        return model.adapterNames().isEmpty();
    }

    /**
     * The model's active attached adapters as a {@link Layout#SHARED} LoRA for {@link #forward}, with the scale
     * folded into B and both factors in the model's dtype, in {@code step}; no factors when none is active. Empty
     * when the step cannot apply them: a linear has an active adapter other than one LoRA (LoRA-SB, SHiRA).
     */
    public Optional<Lora> attachedLora(NDManager step) {
        Map<String, NDArray[]> factors = new LinkedHashMap<>();
        for (String name : linearNames) {
            AdaptableLinear linear = model.linear(name);
            if (!linear.activeIsAtMostOneLora()) {
                return Optional.empty();
            }
            LoraAdapter lora = linear.activeLora();
            if (lora != null) {
                NDArray scale = step.create(lora.scaling()).toDevice(lora.b().getDevice(), false);
                NDArray scaledB = lora.b().mul(scale.toType(lora.b().getDataType(), false));
                scaledB.attach(step); // results land in the first operand's manager, the adapter's
                factors.put(name, new NDArray[] {inModelType(lora.a(), step), inModelType(scaledB, step)});
            }
        }
        return Optional.of(new Lora(factors, null, Layout.SHARED));
    }

    /** {@code a} itself when it already has the model's dtype (DJL returns the same array), else a copy in step. */
    private NDArray inModelType(NDArray a, NDManager step) {
        if (a.getDataType() == model.dataType()) {
            return a;
        }
        NDArray typed = a.toType(model.dataType(), false);
        typed.attach(step);
        return typed;
    }

    /** Steps run so far (prefill and decode calls that returned logits). */
    public long calls() {
        return calls.get();
    }

    /**
     * One step over {@code T} new tokens per row (a prefill: T = prompt length over an empty cache; a decode step:
     * T = 1): logits F32 [B, 1, V] of each row's last position, in {@code ids}' manager; the cache grows by T.
     *
     * @param ids       int64 [B, T], left-padded
     * @param positions int64 [B, T] rotary position of each token
     * @param newMask   int64 [B, T] 1 for real tokens of the new positions, or null for all real
     * @param cache     empty, or holding these B rows
     * @param lora      per-row LoRA factors, or null
     */
    public NDArray forward(NDArray ids, NDArray positions, NDArray newMask, KvCache cache, Lora lora) {
        long b = ids.getShape().get(0);
        long t = ids.getShape().get(1);
        if (cache.length() > 0 && cache.rows() != b) {
            throw new IllegalArgumentException("the cache holds " + cache.rows() + " rows, the step has " + b);
        }
        NDManager step = ids.getManager();
        // inputs built on the host work with a model on a GPU, as in the eager forward (copies stay in the caller's)
        ids = onModelDevice(ids);
        positions = onModelDevice(positions);
        long past = cache.length();
        cache.reserve(b, past + t);
        NDArray fresh = newMask != null ? onModelDevice(newMask)
                : step.ones(new Shape(b, t), DataType.INT64, cache.manager().getDevice());
        NDArray keyMask = fresh;
        if (past > 0) {
            keyMask = NDArrays.concat(new NDList(cache.mask(), fresh), 1);
            keyMask.attach(step); // concat lands in the cache's manager (first operand)
        }
        int layers = model.dims().numLayers();
        PtNDArray[] keys = new PtNDArray[layers];
        PtNDArray[] values = new PtNDArray[layers];
        for (int l = 0; l < layers; l++) {
            keys[l] = (PtNDArray) cache.keyBuffer(l);
            values[l] = (PtNDArray) cache.valueBuffer(l);
        }
        PtNDArray[] loraA = new PtNDArray[linearNames.size()];
        PtNDArray[] loraB = new PtNDArray[linearNames.size()];
        for (int i = 0; i < loraA.length; i++) {
            NDArray[] f = lora == null ? null : lora.factors().get(linearNames.get(i));
            loraA[i] = f == null ? none : (PtNDArray) f[0];
            loraB[i] = f == null ? none : (PtNDArray) f[1];
        }
        PtNDArray rows = lora == null || lora.rows() == null ? none : (PtNDArray) lora.rows();
        long mode = lora == null ? Layout.SHARED.ordinal() : lora.layout().ordinal();
        IValue[] in = {
            IValue.from((PtNDArray) ids), IValue.from((PtNDArray) positions),
            IValue.from((PtNDArray) keyMask), IValue.from(past), IValue.listFrom(weights),
            IValue.listFrom(keys), IValue.listFrom(values), IValue.from(inverseFrequencies),
            IValue.listFrom(loraA), IValue.listFrom(loraB), IValue.from(rows), IValue.from(mode)};
        NDArray logits;
        try (IValue out = IValueUtils.forward(module, in)) {
            logits = out.toTensor((PtNDManager) step);
        } finally {
            for (IValue v : in) {
                v.close();
            }
        }
        cache.commit(keyMask, past + t);
        calls.incrementAndGet();
        return logits;
    }

    private NDArray onModelDevice(NDArray a) {
        return a.getDevice().equals(inverseFrequencies.getDevice()) ? a
                : a.toDevice(inverseFrequencies.getDevice(), false);
    }

    @Override
    public void close() {
        module.close();
        manager.close();
    }

    private static PtNDArray param(Map<String, NDArray> p, String name) {
        NDArray a = p.get(name);
        if (a == null) {
            throw new IllegalStateException("model has no parameter " + name);
        }
        return (PtNDArray) a;
    }

    /** RMSNorm as a method of script class {@code className}: in F32, cast back, scaled by the weight. */
    static String normMethod(String className, LlamaDims d) {
        String eps = String.format(Locale.ROOT, "%.10e", d.rmsNormEps());
        return String.join("\n",
                "  def norm(self: __torch__." + className + ", x: Tensor, weight: Tensor) -> Tensor:",
                "    x32 = x.float()",
                "    normed = x32 * torch.rsqrt(torch.mean(x32 * x32, [-1], True) + " + eps + ")",
                "    return normed.to(x.dtype) * weight");
    }

    /**
     * The step's TorchScript. Weights: [embed, norm, lm_head] then per layer its two norms and
     * {@link LlamaModel#PROJECTIONS}. LoRA lists hold one entry per linear (7 per layer, then lm_head): an empty tensor where
     * none applies.
     */
    static String source(LlamaDims d) {
        int kv = d.numKvHeads();
        int rep = d.numHeads() / kv;
        int hd = d.headDim();
        return String.join("\n",
                "class Step(Module):",
                "  __parameters__ = []",
                "  __buffers__ = []",
                "  training : bool",
                "  def forward(self: __torch__.Step, ids: Tensor, pos: Tensor, key_mask: Tensor, past: int,",
                "      w: List[Tensor], kc: List[Tensor], vc: List[Tensor], inv_freq: Tensor,",
                "      la: List[Tensor], lb: List[Tensor], rows: Tensor, mode: int) -> Tensor:",
                "    b = ids.size(0)",
                "    t = ids.size(1)",
                "    s = past + t",
                "    h = torch.embedding(w[0], ids)",
                "    dt = h.dtype",
                "    freqs = torch.unsqueeze(pos, -1).float() * inv_freq",
                "    c = torch.cos(freqs)",
                "    sn = torch.sin(freqs)",
                "    cos = torch.cat([c, c], -1).to(dt)",
                "    sin = torch.cat([torch.neg(sn), sn], -1).to(dt)",
                "    qcos = cos.view(b, 1, 1, t, " + hd + ")",
                "    qsin = sin.view(b, 1, 1, t, " + hd + ")",
                "    kcos = cos.view(b, 1, t, " + hd + ")",
                "    ksin = sin.view(b, 1, t, " + hd + ")",
                // Additive mask like the eager forward's: a large finite negative, so that a padding query whose
                // keys are all masked stays finite (a boolean mask would make it NaN, and NaN keys poison rows).
                "    allowed = torch.gt(key_mask, 0).view(b, 1, 1, 1, s)",
                "    if t > 1:",
                "      kpos = torch.arange(s, device=ids.device).view(1, s)",
                "      qpos = torch.arange(past, s, device=ids.device).view(t, 1)",
                "      allowed = torch.logical_and(allowed, torch.le(kpos, qpos).view(1, 1, 1, t, s))",
                "    bias = (allowed.to(dt) - 1.0) * 30000.0",
                "    bias = bias.expand(b, 1, " + rep + ", t, s).reshape(b, 1, " + rep + " * t, s)",
                "    half = " + hd / 2,
                "    for l in range(" + d.numLayers() + "):",
                "      base = 3 + 9 * l",
                "      lo = 7 * l",
                "      x = self.norm(h, w[base])",
                "      q = self.proj(x, w[base + 2], la[lo], lb[lo], rows, mode).view(b, t, " + kv + ", " + rep + ", "
                        + hd + ").permute(0, 2, 3, 1, 4)",
                "      k = self.proj(x, w[base + 3], la[lo + 1], lb[lo + 1], rows, mode).view(b, t, " + kv + ", " + hd
                        + ").transpose(1, 2)",
                "      v = self.proj(x, w[base + 4], la[lo + 2], lb[lo + 2], rows, mode).view(b, t, " + kv + ", " + hd
                        + ").transpose(1, 2)",
                "      q = q * qcos + torch.cat([q[..., half:], q[..., :half]], -1) * qsin",
                "      k = k * kcos + torch.cat([k[..., half:], k[..., :half]], -1) * ksin",
                "      kc[l][:, :, past:s] = k",
                "      vc[l][:, :, past:s] = v",
                // the rep query heads of a KV head become rows: [B, kv, rep·T, d] against [B, kv, S, d]
                "      a = torch.scaled_dot_product_attention(q.reshape(b, " + kv + ", " + rep + " * t, " + hd
                        + "), kc[l][:, :, :s], vc[l][:, :, :s], bias)",
                "      a = a.view(b, " + kv + ", " + rep + ", t, " + hd + ").permute(0, 3, 1, 2, 4).reshape(b, t, -1)",
                "      h = h + self.proj(a, w[base + 5], la[lo + 3], lb[lo + 3], rows, mode)",
                "      x = self.norm(h, w[base + 1])",
                "      g = self.proj(x, w[base + 6], la[lo + 4], lb[lo + 4], rows, mode)",
                "      u = self.proj(x, w[base + 7], la[lo + 5], lb[lo + 5], rows, mode)",
                "      h = h + self.proj(torch.silu(g) * u, w[base + 8], la[lo + 6], lb[lo + 6], rows, mode)",
                "    h = self.norm(h[:, t - 1:], w[1])",
                "    return self.proj(h, w[2], la[" + 7 * d.numLayers() + "], lb[" + 7 * d.numLayers()
                        + "], rows, mode).float()",
                normMethod("Step", d),
                "  def proj(self: __torch__.Step, x: Tensor, weight: Tensor, a: Tensor, b: Tensor,",
                "      rows: Tensor, mode: int) -> Tensor:",
                "    y = torch.linear(x, weight)",
                "    if torch.numel(a) > 0:",
                "      if mode == 0:",
                "        y = y + torch.linear(torch.linear(x, a), b)",
                "      elif mode == 1:",
                "        xa = torch.bmm(x, torch.index_select(a, 0, rows).transpose(1, 2))",
                "        y = y + torch.bmm(xa, torch.index_select(b, 0, rows).transpose(1, 2))",
                "      else:",
                "        xs = torch.zeros([a.size(0), x.size(1), x.size(2)], dtype=x.dtype, device=x.device)",
                "        xs = torch.index_copy(xs, 0, rows, x)",
                "        y = y + torch.index_select(torch.bmm(torch.bmm(xs, a), b), 0, rows)",
                "    return y",
                "");
    }
}
