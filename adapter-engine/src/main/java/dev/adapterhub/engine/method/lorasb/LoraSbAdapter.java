package dev.adapterhub.engine.method.lorasb;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.LinearAdapter;
import dev.adapterhub.engine.model.Scalars;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ΔW = s·B·R·A with B [out, r] and A [r, in] frozen and only R [r, r] trained (LoRA-XS architecture used by
 * LoRA-SB). Owns its arrays in a sub-manager.
 */
public final class LoraSbAdapter implements LinearAdapter {

    private final NDManager manager;
    private final NDArray a;
    private final NDArray r;
    private final NDArray b;
    private final float scaling;

    private LoraSbAdapter(NDManager manager, NDArray a, NDArray r, NDArray b, float scaling) {
        this.manager = manager;
        this.a = a;
        this.r = r;
        this.b = b;
        this.scaling = scaling;
    }

    /** Takes ownership of the three arrays. */
    public static LoraSbAdapter create(NDManager parent, NDArray a, NDArray r, NDArray b, float scaling) {
        long rank = a.getShape().get(0);
        if (!r.getShape().equals(new Shape(rank, rank)) || b.getShape().get(1) != rank) {
            throw new IllegalArgumentException("LoRA-SB needs A [r, in], R [r, r], B [out, r]");
        }
        NDManager own = parent.newSubManager();
        a.attach(own);
        r.attach(own);
        b.attach(own);
        return new LoraSbAdapter(own, a, r, b, scaling);
    }

    public NDArray a() {
        return a;
    }

    public NDArray r() {
        return r;
    }

    public NDArray b() {
        return b;
    }

    public float scaling() {
        return scaling;
    }

    @Override
    public NDArray delta(NDArray x, AdaptableLinear base) {
        NDArray xa = Linear.linear(LinearAdapter.inType(x, a.getDataType()), a).singletonOrThrow();
        NDArray xar = Linear.linear(xa, r).singletonOrThrow();
        NDArray y = Linear.linear(xar, b).singletonOrThrow();
        return LinearAdapter.inType(Scalars.mul(y, scaling), x.getDataType());
    }

    /** Only R is trained. */
    @Override
    public Map<String, NDArray> trainableParameters() {
        return Map.of("lora_R", r);
    }

    /** The SVD factors B and A stay fixed. */
    @Override
    public Map<String, NDArray> frozenState() {
        Map<String, NDArray> p = new LinkedHashMap<>();
        p.put("lora_A", a);
        p.put("lora_B", b);
        return p;
    }

    @Override
    public NDArray deltaWeight(NDManager target) {
        try (NDManager tmp = target.newSubManager()) {
            NDArray bc = b.duplicate();
            bc.attach(tmp);
            NDArray product = bc.matMul(r).matMul(a).muli(scaling);
            product.attach(target);
            return product;
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
