package dev.adapterhub.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), as torch.optim.AdamW: {@code p ← p·(1 − lr·wd)},
 * then {@code p ← p − (lr / (1 − β1ᵗ)) · m / (sqrt(v) / sqrt(1 − β2ᵗ) + ε)}. Moments are fp32 arrays owned by
 * the optimizer's manager; all arithmetic is in place or in a per-step sub-manager, so nothing accumulates.
 */
public final class AdamW implements Optimizer {

    private final NDManager manager;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private long steps;

    public AdamW(NDManager parent, double beta1, double beta2, double epsilon, double weightDecay) {
        if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || epsilon <= 0 || weightDecay < 0) {
            throw new IllegalArgumentException("invalid AdamW hyperparameters");
        }
        this.manager = parent.newSubManager();
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    @Override
    public void step(Map<String, NDArray> params, Map<String, NDArray> grads, double lr) {
        steps++;
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        try (NDManager work = manager.newSubManager()) {
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                String name = e.getKey();
                NDArray p = e.getValue();
                NDArray g = grads.get(name);
                if (g == null) {
                    throw new IllegalStateException("no gradient for " + name);
                }
                NDArray m = firstMoments.computeIfAbsent(name, k -> manager.zeros(p.getShape(), p.getDataType(), p.getDevice()));
                NDArray v = secondMoments.computeIfAbsent(name, k -> manager.zeros(p.getShape(), p.getDataType(), p.getDevice()));
                // Lend the persistent arrays to the step scope so temporaries derived from them die with it.
                m.tempAttach(work);
                v.tempAttach(work);
                p.tempAttach(work);
                NDArray gw = g.duplicate();
                gw.attach(work);
                m.muli(beta1).addi(gw.mul(1 - beta1));
                v.muli(beta2).addi(gw.square().muli(1 - beta2));
                if (weightDecay > 0) {
                    p.muli(1 - lr * weightDecay);
                }
                NDArray denom = v.sqrt().divi(Math.sqrt(correction2)).addi(epsilon);
                p.subi(m.div(denom).muli(lr / correction1));
            }
        }
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public Map<String, NDArray> state() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        firstMoments.forEach((k, v) -> out.put("exp_avg." + k, v));
        secondMoments.forEach((k, v) -> out.put("exp_avg_sq." + k, v));
        return out;
    }

    @Override
    public void restore(Map<String, NDArray> state, long restoredSteps) {
        firstMoments.values().forEach(NDArray::close);
        secondMoments.values().forEach(NDArray::close);
        firstMoments.clear();
        secondMoments.clear();
        for (Map.Entry<String, NDArray> e : state.entrySet()) {
            NDArray copy = e.getValue().duplicate();
            copy.attach(manager);
            if (e.getKey().startsWith("exp_avg_sq.")) {
                secondMoments.put(e.getKey().substring("exp_avg_sq.".length()), copy);
            } else if (e.getKey().startsWith("exp_avg.")) {
                firstMoments.put(e.getKey().substring("exp_avg.".length()), copy);
            } else {
                throw new IllegalArgumentException("unknown AdamW state entry " + e.getKey());
            }
        }
        this.steps = restoredSteps;
    }

    @Override
    public void close() {
        manager.close();
    }
}
