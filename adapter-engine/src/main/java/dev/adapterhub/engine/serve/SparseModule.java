package dev.adapterhub.engine.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.adapterhub.engine.method.shira.SparseDelta;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.Scalars;

/**
 * One SHiRA module of a loaded adapter, resident on the model's device: int64 flat positions in W, and (from the
 * first fuse on) W's original values there and the fused values {@code original + scale·delta}, both in W's dtype.
 * A switch is then one scatter to fuse and one to restore, with no gather, arithmetic or copy: the serving engine
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
        NDArray idx = m.create(delta.flatIndices(linear.inFeatures()));
        NDArray values = m.create(delta.values());
        try (NDManager tmp = m.newSubManager()) {
            values.attach(tmp); // only the final array stays with the adapter
            NDArray scaled = scale == 1.0 ? values : values.mul(Scalars.like(values, scale));
            NDArray typed = scaled.toType(linear.weight().getDataType(), true);
            typed.attach(m);
            return new SparseModule(m, idx, typed);
        }
    }

    /** Fuses into {@code linear} (which must hold its base values at these positions, the first time). */
    void fuseInto(AdaptableLinear linear, String adapterName) {
        if (fused == null) {
            originals = linear.gatherFlat(flatIndices, manager);
            fused = originals.add(scaledValues);
            fused.attach(manager);
            scaledValues.close();
            scaledValues = null;
        }
        linear.fuseSparseResident(adapterName, flatIndices, fused, originals);
    }

    NDArray flatIndices() {
        return flatIndices;
    }
}
