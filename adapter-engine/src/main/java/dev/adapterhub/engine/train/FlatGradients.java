package dev.adapterhub.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * All gradients of a step in one flat F32 array, in the order of the trainable parameters. Clipping and the
 * optimizer then run a handful of native calls on it instead of a dozen per parameter (on a GPU each call is a
 * kernel launch; torch gets the same effect from its foreach / fused optimizers).
 */
public final class FlatGradients {

    private final List<String> names;
    private final List<Shape> shapes;
    private final long[] offsets;
    private final NDArray flat;

    private FlatGradients(List<String> names, List<Shape> shapes, long[] offsets, NDArray flat) {
        this.names = names;
        this.shapes = shapes;
        this.offsets = offsets;
        this.flat = flat;
    }

    /**
     * Copies {@code grads} (one per parameter of {@code params}, same names) into one array owned by
     * {@code manager}.
     */
    public static FlatGradients of(Map<String, NDArray> params, Map<String, NDArray> grads, NDManager manager) {
        List<String> names = new ArrayList<>(params.keySet());
        List<Shape> shapes = new ArrayList<>(names.size());
        long[] offsets = new long[names.size() + 1];
        NDList parts = new NDList(names.size());
        for (int i = 0; i < names.size(); i++) {
            NDArray g = grads.get(names.get(i));
            if (g == null) {
                throw new IllegalStateException("no gradient for " + names.get(i));
            }
            shapes.add(g.getShape());
            offsets[i + 1] = offsets[i] + g.getShape().size();
            NDArray row = g.reshape(-1);
            row.attach(manager); // a view made from the gradient lands in the gradient's (long-lived) manager
            parts.add(row.getDataType() == DataType.FLOAT32 ? row : row.toType(DataType.FLOAT32, false));
        }
        NDArray flat = parts.size() == 1 ? parts.get(0).duplicate() : NDArrays.concat(parts, 0);
        flat.attach(manager);
        return new FlatGradients(List.copyOf(names), List.copyOf(shapes), offsets, flat);
    }

    /** Parameter names, in the flat order. */
    public List<String> names() {
        return names;
    }

    public Shape shape(int i) {
        return shapes.get(i);
    }

    /** Total number of values. */
    public long size() {
        return offsets[offsets.length - 1];
    }

    /** The flat array (F32, {@link #size()} values). */
    public NDArray flat() {
        return flat;
    }

    /** A view of parameter {@code i}'s slice of a flat array laid out like this one, in its shape. */
    public NDArray slice(NDArray flatLike, int i) {
        return flatLike.get(new NDIndex("{}:{}", offsets[i], offsets[i + 1])).reshape(shapes.get(i));
    }

    /** The L2 norm over all gradients (fp64 on the host). */
    public double norm() {
        try (NDArray sq = flat.square().sum()) {
            return Math.sqrt(sq.toType(DataType.FLOAT64, false).getDouble());
        }
    }

    /**
     * torch.nn.utils.clip_grad_norm_: scales the flat gradients by {@code maxNorm / (norm + 1e-6)} when their global
     * norm is above {@code maxNorm} (off when {@code maxNorm <= 0}); returns the norm before clipping.
     */
    public double clip(double maxNorm) {
        double norm = norm();
        if (maxNorm > 0 && norm > maxNorm && Double.isFinite(norm)) {
            flat.muli(maxNorm / (norm + 1e-6));
        }
        return norm;
    }

    List<Shape> shapes() {
        return shapes;
    }
}
