package dev.adapterhub.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
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
     * @param cos      [B, 1, T, headDim] rotary cosines (dtype of h)
     * @param sin      [B, 1, T, headDim]
     * @param mask     F32 [B, 1, 1, T, S]: 0 where query t may attend key s, {@link LlamaModel#MASKED} elsewhere
     * @param cache    optional
     */
    NDArray forward(NDArray h, NDArray cos, NDArray sin, NDArray mask, KvCache cache, ForwardContext ctx) {
        NDArray attnIn = RmsNorm.apply(h, inputNorm, dims.rmsNormEps());
        NDArray attn = attention(attnIn, cos, sin, mask, cache, ctx);
        NDArray h1 = h.add(attn);
        NDArray mlpIn = RmsNorm.apply(h1, postAttentionNorm, dims.rmsNormEps());
        NDArray g = gate.forward(mlpIn, ctx);
        NDArray act = g.mul(Activation.sigmoid(g));
        NDArray mlp = down.forward(act.mul(up.forward(mlpIn, ctx)), ctx);
        return h1.add(mlp);
    }

    private NDArray attention(NDArray x, NDArray cos, NDArray sin, NDArray mask, KvCache cache, ForwardContext ctx) {
        Shape s = x.getShape();
        long b = s.get(0);
        long t = s.get(1);
        int hd = dims.headDim();
        int heads = dims.numHeads();
        int kvHeads = dims.numKvHeads();
        NDArray qs = q.forward(x, ctx).reshape(b, t, heads, hd).transpose(0, 2, 1, 3);
        NDArray ks = k.forward(x, ctx).reshape(b, t, kvHeads, hd).transpose(0, 2, 1, 3);
        NDArray vs = v.forward(x, ctx).reshape(b, t, kvHeads, hd).transpose(0, 2, 1, 3);
        qs = rotate(qs, cos, sin);
        ks = rotate(ks, cos, sin);
        if (cache != null) {
            NDArray[] full = cache.append(index, ks, vs, x.getManager());
            ks = full[0];
            vs = full[1];
        }
        int rep = heads / kvHeads;
        // Grouped-query attention without copying K/V: queries [B, kvH, rep, T, d] against keys [B, kvH, 1, S, d].
        NDArray q5 = qs.reshape(b, kvHeads, rep, t, hd);
        NDArray k5 = ks.expandDims(2);
        NDArray v5 = vs.expandDims(2);
        NDArray scores = q5.matMul(k5.transpose(0, 1, 2, 4, 3));
        scores = Scalars.mul(scores, 1.0 / Math.sqrt(hd));
        DataType type = scores.getDataType();
        if (type != DataType.FLOAT32) {
            scores = scores.toType(DataType.FLOAT32, false);
        }
        scores = scores.add(mask);
        NDArray probs = scores.softmax(-1);
        if (type != DataType.FLOAT32) {
            probs = probs.toType(type, false);
        }
        NDArray out = probs.matMul(v5); // [B, kvH, rep, T, d]
        out = out.reshape(b, heads, t, hd).transpose(0, 2, 1, 3).reshape(b, t, (long) heads * hd);
        return o.forward(out, ctx);
    }

    /** HF convention: {@code x·cos + rotate_half(x)·sin} with {@code rotate_half(x) = [-x2, x1]}. */
    private static NDArray rotate(NDArray x, NDArray cos, NDArray sin) {
        long half = x.getShape().get(3) / 2;
        NDArray x1 = x.get(new NDIndex("..., :{}", half));
        NDArray x2 = x.get(new NDIndex("..., {}:", half));
        NDArray rotated = NDArrays.concat(new NDList(x2.neg(), x1), -1);
        return x.mul(cos).add(rotated.mul(sin));
    }
}
