package dev.adapterhub.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), as torch.optim.AdamW: {@code p ← p·(1 − lr·wd)},
 * then {@code p ← p − (lr / (1 − β1ᵗ)) · m / (sqrt(v) / sqrt(1 − β2ᵗ) + ε)}.
 *
 * <p>Fused over one flat buffer, like torch's foreach AdamW: the moments are two flat F32 arrays laid out like the
 * step's {@link FlatGradients}, so the moment and update arithmetic is a dozen native calls per step whatever the
 * number of parameters; each parameter then takes its slice of the update (two calls). The per-parameter version
 * cost about twenty calls per parameter. Checkpoints still hold one {@code exp_avg.<name>} /
 * {@code exp_avg_sq.<name>} array per parameter (views of the flat moments).
 *
 * <p>{@link #update} (the training loop's path) runs all of it, the gradients' flattening, clipping and zeroing
 * included, as one TorchScript call ({@link ScriptedAdamW}); where the script does not compile it runs the same
 * arithmetic through DJL calls.
 */
public final class AdamW implements Optimizer {

    private static final Logger LOG = Logger.getLogger(AdamW.class.getName());

    private final NDManager manager;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private List<String> names;
    private List<Shape> shapes;
    private NDArray firstMoment;
    private NDArray secondMoment;
    /** Restored per-parameter moments, laid out flat at the first step (the order is known then). */
    private Map<String, NDArray> restored = Map.of();
    private NDManager stateViews;
    private long steps;
    private ScriptedAdamW script;
    private boolean scriptUnavailable;

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
    public double update(Map<String, NDArray> params, double maxGradNorm, double lr, NDManager stepManager) {
        ScriptedAdamW scripted = script();
        if (scripted == null) {
            return Optimizer.super.update(params, maxGradNorm, lr, stepManager);
        }
        List<String> order = new ArrayList<>(params.keySet());
        List<Shape> paramShapes = new ArrayList<>(order.size());
        List<NDArray> ordered = new ArrayList<>(order.size());
        long size = 0;
        for (String name : order) {
            NDArray p = params.get(name);
            paramShapes.add(p.getShape());
            ordered.add(p);
            size += p.getShape().size();
        }
        layOut(order, paramShapes, size, ordered.get(0));
        steps++;
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        return scripted.update(ordered, firstMoment, secondMoment, lr, lr / correction1, beta1, beta2, epsilon,
                weightDecay, Math.sqrt(correction2), maxGradNorm);
    }

    /** Whether {@link #update} runs as one TorchScript call (false where the script did not compile). */
    boolean scripted() {
        return script() != null;
    }

    /** The compiled update, or null where it does not compile (logged once; the DJL path runs instead). */
    private ScriptedAdamW script() {
        if (script == null && !scriptUnavailable) {
            try {
                script = ScriptedAdamW.compile(manager);
            } catch (RuntimeException e) {
                scriptUnavailable = true;
                LOG.log(Level.WARNING, "AdamW update not compiled; running it through DJL calls", e);
            }
        }
        return script;
    }

    @Override
    public void step(Map<String, NDArray> params, FlatGradients grads, double lr) {
        layOut(grads.names(), grads.shapes(), grads.size(), grads.flat());
        steps++;
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        try (NDManager work = manager.newSubManager()) {
            // Lend the persistent arrays to the step scope so temporaries derived from them die with it.
            firstMoment.tempAttach(work);
            secondMoment.tempAttach(work);
            NDArray g = grads.flat();
            firstMoment.muli(beta1).addi(g.mul(1 - beta1));
            secondMoment.muli(beta2).addi(g.square().muli(1 - beta2));
            NDArray denom = secondMoment.sqrt().divi(Math.sqrt(correction2)).addi(epsilon);
            NDArray update = firstMoment.div(denom).muli(lr / correction1);
            for (int i = 0; i < names.size(); i++) {
                NDArray p = params.get(names.get(i));
                if (p == null) {
                    throw new IllegalStateException("no parameter " + names.get(i));
                }
                p.tempAttach(work);
                if (weightDecay > 0) {
                    p.muli(1 - lr * weightDecay);
                }
                p.subi(grads.slice(update, i));
            }
        }
    }

    /**
     * Allocates (or builds from a restored checkpoint) the flat moments on the first step, on {@code like}'s device;
     * checks the layout.
     */
    private void layOut(List<String> paramNames, List<Shape> paramShapes, long size, NDArray like) {
        if (firstMoment != null) {
            if (!names.equals(paramNames) || !shapes.equals(paramShapes)) {
                throw new IllegalStateException("the trainable parameters changed between optimizer steps");
            }
            return;
        }
        names = List.copyOf(paramNames);
        shapes = List.copyOf(paramShapes);
        if (restored.isEmpty()) {
            firstMoment = manager.zeros(new Shape(size), DataType.FLOAT32, like.getDevice());
            secondMoment = manager.zeros(new Shape(size), DataType.FLOAT32, like.getDevice());
        } else {
            firstMoment = flatten("exp_avg.", like);
            secondMoment = flatten("exp_avg_sq.", like);
            restored.values().forEach(NDArray::close);
            restored = Map.of();
        }
    }

    private NDArray flatten(String prefix, NDArray like) {
        NDList parts = new NDList(names.size());
        for (String name : names) {
            NDArray a = restored.get(prefix + name);
            if (a == null) {
                throw new IllegalStateException("the checkpoint has no " + prefix + name);
            }
            parts.add(a.reshape(-1));
        }
        NDArray flat = (parts.size() == 1 ? parts.get(0).duplicate() : NDArrays.concat(parts, 0))
                .toType(DataType.FLOAT32, false).toDevice(like.getDevice(), false);
        flat.attach(manager);
        parts.forEach(NDArray::close);
        return flat;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public Map<String, NDArray> state() {
        if (firstMoment == null) {
            return Map.copyOf(restored);
        }
        if (stateViews != null) {
            stateViews.close();
        }
        stateViews = manager.newSubManager();
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (String prefix : new String[] {"exp_avg.", "exp_avg_sq."}) {
            NDArray flat = prefix.equals("exp_avg.") ? firstMoment : secondMoment;
            long offset = 0;
            for (int i = 0; i < names.size(); i++) {
                long n = shapes.get(i).size();
                NDArray view = flat.get(new NDIndex("{}:{}", offset, offset + n))
                        .reshape(shapes.get(i));
                view.attach(stateViews);
                out.put(prefix + names.get(i), view);
                offset += n;
            }
        }
        return out;
    }

    @Override
    public void restore(Map<String, NDArray> state, long restoredSteps) {
        Map<String, NDArray> copies = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : state.entrySet()) {
            if (!e.getKey().startsWith("exp_avg.") && !e.getKey().startsWith("exp_avg_sq.")) {
                throw new IllegalArgumentException("unknown AdamW state entry " + e.getKey());
            }
            NDArray copy = e.getValue().duplicate();
            copy.attach(manager);
            copies.put(e.getKey(), copy);
        }
        if (firstMoment != null) {
            firstMoment.close();
            secondMoment.close();
            firstMoment = null;
            secondMoment = null;
        }
        restored.values().forEach(NDArray::close);
        restored = copies;
        this.steps = restoredSteps;
    }

    @Override
    public void close() {
        if (script != null) {
            script.close();
        }
        manager.close();
    }
}
