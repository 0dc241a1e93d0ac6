package dev.adapterhub.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

import java.util.List;

/** One Llama decoder layer: pre-norm grouped-query attention with rotary positions, then a pre-norm SwiGLU MLP. */
public final class DecoderLayer {

    private final int index;
    private final LlamaDims dims;
    private final NDArray inputNorm;
    private final NDArray postAttentionNorm;
    private final AdaptableLinear q;
    private final AdaptableLinear k;
    private final AdaptableLinear v;
    private final AdaptableLinear o;
    private final AdaptableLinear gate;
    private final AdaptableLinear up;
    private final AdaptableLinear down;

    DecoderLayer(int index, LlamaDims dims, NDArray inputNorm, NDArray postAttentionNorm,
                 AdaptableLinear q, AdaptableLinear k, AdaptableLinear v, AdaptableLinear o,
                 AdaptableLinear gate, AdaptableLinear up, AdaptableLinear down) {
        this.index = index;
        this.dims = dims;
        this.inputNorm = inputNorm;
        this.postAttentionNorm = postAttentionNorm;
        this.q = q;
        this.k = k;
        this.v = v;
        this.o = o;
        this.gate = gate;
        this.up = up;
        this.down = down;
    }

    public int index() {
        return index;
    }

    /** q, k, v, o, gate, up, down. */
    public List<AdaptableLinear> linears() {
        return List.of(q, k, v, o, gate, up, down);
    }

    /**
     * @param h        [B, T, hidden]
     * @param rotary   the forward's rotary tables
     * @param mask     F32 [B, 1, 1, T, S]: 0 where query t may attend key s, {@link LlamaModel#MASKED} elsewhere
     * @param cache    optional
     * @param ctx      per-row adapters of the forward
     */
    NDArray forward(NDArray h, Rotary rotary, NDArray mask, KvCache cache, ForwardContext ctx) {
        NDArray attnIn = RmsNorm.apply(h, inputNorm, dims.rmsNormEps());
        NDArray attn = attention(attnIn, rotary, mask, cache, ctx);
        NDArray h1 = h.add(attn);
        NDArray mlpIn = RmsNorm.apply(h1, postAttentionNorm, dims.rmsNormEps());
        NDArray g = gate.forward(mlpIn, ctx);
        NDArray act = g.mul(Activation.sigmoid(g));
        NDArray mlp = down.forward(act.mul(up.forward(mlpIn, ctx)), ctx);
        return h1.add(mlp);
    }

    private NDArray attention(NDArray x, Rotary rotary, NDArray mask, KvCache cache, ForwardContext ctx) {
        Shape s = x.getShape();
        long b = s.get(0);
        long t = s.get(1);
        int hd = dims.headDim();
        int heads = dims.numHeads();
        int kvHeads = dims.numKvHeads();
        // queries come out of the rotation scaled by 1/sqrt(headDim)
        NDArray qs = rotary.queries(heads(q.forward(x, ctx), b, t, heads, hd));
        NDArray ks = rotary.keys(heads(k.forward(x, ctx), b, t, kvHeads, hd));
        NDArray vs = heads(v.forward(x, ctx), b, t, kvHeads, hd);
        if (cache != null) {
            NDArray[] full = cache.append(index, ks, vs, x.getManager());
            ks = full[0];
            vs = full[1];
        }
        int rep = heads / kvHeads;
        long keys = ks.getShape().get(2);
        // Grouped-query attention without copying K/V: the rep query heads of each KV head become rows of one
        // matrix, so queries [B, kvH, rep·T, d] meet keys [B, kvH, S, d] with the same batch dims. (Broadcasting
        // keys [B, kvH, 1, S, d] over rep made the matmul copy K and V rep times, per layer and step.)
        NDArray scores = qs.reshape(b, kvHeads, rep * t, hd).matMul(ks.transpose(0, 1, 3, 2));
        DataType type = scores.getDataType();
        if (type != DataType.FLOAT32) {
            scores = scores.toType(DataType.FLOAT32, false);
        }
        scores = scores.reshape(b, kvHeads, rep, t, keys).add(mask); // mask [B, 1, 1, T, S]
        NDArray probs = scores.softmax(-1).reshape(b, kvHeads, rep * t, keys);
        if (type != DataType.FLOAT32) {
            probs = probs.toType(type, false);
        }
        NDArray out = probs.matMul(vs); // [B, kvH, rep·T, d] = [B, heads, T, d]
        out = t == 1 ? out.reshape(b, 1, (long) heads * hd)
                : out.reshape(b, heads, t, hd).transpose(0, 2, 1, 3).reshape(b, t, (long) heads * hd);
        return o.forward(out, ctx);
    }

    /** [B, T, n·d] -> [B, n, T, d]; one reshape when T = 1 (a decode step), where no transpose is needed. */
    private static NDArray heads(NDArray x, long b, long t, int n, int hd) {
        return t == 1 ? x.reshape(b, n, 1, hd) : x.reshape(b, t, n, hd).transpose(0, 2, 1, 3);
    }
}
