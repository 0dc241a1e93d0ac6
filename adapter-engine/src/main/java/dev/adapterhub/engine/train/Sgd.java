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
    public void step(Map<String, NDArray> params, FlatGradients grads, double lr) {
        steps++;
        try (NDManager work = manager.newSubManager()) {
            NDArray update = grads.flat().mul(lr);
            update.attach(work);
            for (int i = 0; i < grads.names().size(); i++) {
                NDArray p = params.get(grads.names().get(i));
                if (p == null) {
                    throw new IllegalStateException("no parameter " + grads.names().get(i));
                }
                p.tempAttach(work);
                p.subi(grads.slice(update, i));
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
