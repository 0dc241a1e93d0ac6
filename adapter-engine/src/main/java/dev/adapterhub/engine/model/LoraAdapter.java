package dev.adapterhub.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.core.Linear;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A LoRA on one linear: {@code ΔW = s·B·A} with {@code A [r, in]}, {@code B [out, r]},
 * {@code s = alpha / r} (or {@code alpha / sqrt(r)} with rsLoRA). Unmerged forward: {@code F.linear(F.linear(x, A), B)·s}.
 */
public final class LoraAdapter implements LinearAdapter {

    private final NDManager manager;
    private final NDArray a;
    private final NDArray b;
    private final float alpha;
    private final boolean rsLora;

    private LoraAdapter(NDManager manager, NDArray a, NDArray b, float alpha, boolean rsLora) {
        this.manager = manager;
        this.a = a;
        this.b = b;
        this.alpha = alpha;
        this.rsLora = rsLora;
    }

    /**
     * Creates an adapter that takes ownership of {@code a} and {@code b}: they are attached to a new sub-manager of
     * {@code parent} and freed by {@link #close()}.
     */
    public static LoraAdapter create(NDManager parent, NDArray a, NDArray b, float alpha, boolean rsLora) {
        if (a.getShape().dimension() != 2 || b.getShape().dimension() != 2 || a.getShape().get(0) != b.getShape().get(1)) {
            throw new IllegalArgumentException("LoRA needs A [r, in] and B [out, r], got A " + a.getShape()
                    + " and B " + b.getShape());
        }
        NDManager own = parent.newSubManager();
        a.attach(own);
        b.attach(own);
        return new LoraAdapter(own, a, b, alpha, rsLora);
    }

    /** {@code alpha / r}, or {@code alpha / sqrt(r)} for rsLoRA. */
    public static float scaling(float alpha, int rank, boolean rsLora) {
        return rsLora ? (float) (alpha / Math.sqrt(rank)) : alpha / rank;
    }

    public NDArray a() {
        return a;
    }

    public NDArray b() {
        return b;
    }

    public int rank() {
        return (int) a.getShape().get(0);
    }

    public float alpha() {
        return alpha;
    }

    public boolean rsLora() {
        return rsLora;
    }

    public float scaling() {
        return scaling(alpha, rank(), rsLora);
    }

    /** The manager owning A and B. */
    public NDManager manager() {
        return manager;
    }

    @Override
    public NDArray delta(NDArray x, AdaptableLinear base) {
        NDArray xa = Linear.linear(LinearAdapter.inType(x, a.getDataType()), a).singletonOrThrow();
        NDArray xab = Linear.linear(xa, b).singletonOrThrow();
        return LinearAdapter.inType(Scalars.mul(xab, scaling()), x.getDataType());
    }

    @Override
    public Map<String, NDArray> trainableParameters() {
        Map<String, NDArray> p = new LinkedHashMap<>();
        p.put("lora_A", a);
        p.put("lora_B", b);
        return p;
    }

    @Override
    public NDArray deltaWeight(NDManager target) {
        // s·(B·A) = B·(s·A): scale the small factor, so the [out, in] product is written exactly once.
        try (NDManager tmp = target.newSubManager()) {
            NDArray scaledA = Scalars.mul(a, scaling());
            scaledA.attach(tmp);
            NDArray product = b.matMul(scaledA.toDevice(b.getDevice(), false));
            product.attach(target);
            return product;
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
