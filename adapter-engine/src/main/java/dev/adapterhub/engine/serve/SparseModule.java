package dev.adapterhub.engine.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.adapterhub.engine.method.TorchOwned;
import dev.adapterhub.engine.method.shira.SparseDelta;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.ResidentSparse;
import dev.adapterhub.engine.model.Scalars;

/**
 * One SHiRA module of a loaded adapter, resident on the model's device: int64 flat positions in W, and (from the
 * first fuse on) W's original values there and the fused values {@code original + scale·delta}, both in W's dtype.
 * A switch is then one scatter to fuse and one to restore (all modules of the adapter in one native call,
 * {@link dev.adapterhub.engine.model.LlamaModel#fuseSparseResident}), with no gather, arithmetic or copy: the serving engine
 * changes its base weights only through {@link WeightSwitcher}, which restores them bit-exactly, so the originals
 * read at the first fuse stay true for as long as the adapter is loaded. Costs one more K-sized array per module
 * than the delta alone.
 */
final class SparseModule {

    private final NDManager manager;
    private final NDArray flatIndices;
    private NDArray scaledValues;
    private NDArray originals;
    private NDArray fused;

    private SparseModule(NDManager manager, NDArray flatIndices, NDArray scaledValues) {
        this.manager = manager;
        this.flatIndices = flatIndices;
        this.scaledValues = scaledValues;
    }

    /** Builds it in {@code m} (on the model's device) from the host delta of {@code linear}'s weight. */
    static SparseModule resident(NDManager m, SparseDelta delta, AdaptableLinear linear, double scale) {
        // Torch-owned storage: a CPU array made from Java data wraps a direct buffer that only its first DJL handle
        // keeps alive, and toType(copy=true) to the same dtype returns an alias without that reference (torch's
        // to() does not copy then), so the values would be read from freed memory once the GC collects the buffer.
        NDArray idx = TorchOwned.create(m, delta.flatIndices(linear.inFeatures()));
        NDArray values = TorchOwned.create(m, delta.values(), new Shape(delta.size()));
        NDArray scaled = scale == 1.0 ? values : Scalars.mul(values, scale);
        NDArray typed = scaled.toType(linear.weight().getDataType(), false); // scaled itself when already that type
        if (scaled != values) {
            values.close();
        }
        if (typed != scaled) {
            scaled.close();
        }
        return new SparseModule(m, idx, typed);
    }

    /**
     * The resident arrays for fusing into {@code linear}, named {@code module} (which must hold its base values at
     * these positions the first time: the originals are read then).
     */
    ResidentSparse prepare(String module, AdaptableLinear linear) {
        if (fused == null) {
            originals = linear.gatherFlat(flatIndices, manager);
            fused = originals.add(scaledValues);
            fused.attach(manager);
            scaledValues.close();
            scaledValues = null;
        }
        return new ResidentSparse(module, flatIndices, fused, originals);
    }

    NDArray flatIndices() {
        return flatIndices;
    }
}
