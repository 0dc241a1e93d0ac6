package dev.adapterhub.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of all layers for a batch, each {@code [B, kvHeads, S, headDim]}, plus the key-validity mask
 * {@code [B, S]} (int64, 1 = real token) used with left padding. Owns its arrays in its own manager.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private NDArray mask;
    private long length;

    private KvCache(NDManager manager, int layers) {
        this.manager = manager;
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** An empty cache for {@code model}; its arrays live in a sub-manager of {@code parent}. */
    public static KvCache create(LlamaModel model, NDManager parent) {
        return new KvCache(parent.newSubManager(), model.dims().numLayers());
    }

    /** Cached positions S (including padding). */
    public long length() {
        return length;
    }

    /** The key-validity mask [B, S] over cached positions, or null when the cache is empty. */
    public NDArray mask() {
        return mask;
    }

    /** Appends one layer's new keys/values {@code [B, kvH, T, d]} and returns the full ones (owned by the cache). */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        NDArray fullK = concatInto(keys[layer], k);
        NDArray fullV = concatInto(values[layer], v);
        keys[layer] = fullK;
        values[layer] = fullV;
        return new NDArray[] {fullK, fullV};
    }

    private NDArray concatInto(NDArray old, NDArray add) {
        NDArray full;
        if (old == null) {
            full = add.duplicate();
        } else {
            full = NDArrays.concat(new NDList(old, add), 2);
            old.close();
        }
        full.attach(manager);
        return full;
    }

    /** Called once per forward after all layers: records the new length and mask. */
    void commit(NDArray fullMask, long newLength) {
        NDArray m = fullMask.duplicate();
        m.attach(manager);
        if (mask != null) {
            mask.close();
        }
        mask = m;
        length = newLength;
    }

    /** The manager owning the cache's arrays. */
    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }
}
