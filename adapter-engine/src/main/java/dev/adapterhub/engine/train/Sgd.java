package dev.adapterhub.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/** Plain stochastic gradient descent {@code p ← p − lr·g} (no momentum); used to test first-step geometry. */
public final class Sgd implements Optimizer {

    private final NDManager manager;
    private long steps;

    public Sgd(NDManager parent) {
        this.manager = parent.newSubManager();
    }

    @Override
    public void step(Map<String, NDArray> params, Map<String, NDArray> grads, double lr) {
        steps++;
        try (NDManager work = manager.newSubManager()) {
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                NDArray g = grads.get(e.getKey());
                if (g == null) {
                    throw new IllegalStateException("no gradient for " + e.getKey());
                }
                NDArray update = g.duplicate();
                update.attach(work);
                e.getValue().subi(update.muli(lr));
            }
        }
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public Map<String, NDArray> state() {
        return Map.of();
    }

    @Override
    public void restore(Map<String, NDArray> state, long restoredSteps) {
        this.steps = restoredSteps;
    }

    @Override
    public void close() {
        manager.close();
    }
}
