package dev.adapterhub.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of all layers for a batch, plus the key-validity mask {@code [B, S]} (int64, 1 = real token) used
 * with left padding. Owns its arrays in its own manager.
 *
 * <p>Each layer's keys and values live in a preallocated buffer {@code [B, kvHeads, capacity, headDim]} of which
 * the first {@link #length()} positions are valid: a decode step writes its new position in place and attends over
 * a view, so a step costs the same at position 10 and at 10,000 (growing by concatenation copied the whole cache
 * every step and layer). When a forward needs more room the buffer grows to double (rounded up to
 * {@link #CAPACITY_STEP}), so copies are rare. Changes of the batch (rows joining or leaving) first compact the
 * buffers to their valid length.
 */
public final class KvCache implements AutoCloseable {

    /** Capacity is a multiple of this many positions. */
    static final long CAPACITY_STEP = 64;

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final int kvHeads;
    private final int headDim;
    /** Of keys and values (the model's; the compiled step allocates buffers before any forward wrote them). */
    private final DataType dataType;
    private NDArray mask;
    private long length;

    private KvCache(NDManager manager, int layers, int kvHeads, int headDim, DataType dataType) {
        this.manager = manager;
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.dataType = dataType;
    }

    /** An empty cache for {@code model}; its arrays live in a sub-manager of {@code parent}. */
    public static KvCache create(LlamaModel model, NDManager parent) {
        LlamaDims d = model.dims();
        return new KvCache(parent.newSubManager(), d.numLayers(), d.numKvHeads(), d.headDim(), model.dataType());
    }

    /** Cached positions S (including padding). */
    public long length() {
        return length;
    }

    /** Positions the buffers hold without growing (0 when empty). */
    public long capacity() {
        return keys[0] == null ? 0 : keys[0].getShape().get(2);
    }

    /** The key-validity mask [B, S] over cached positions, or null when the cache is empty. */
    public NDArray mask() {
        return mask;
    }

    /**
     * Writes one layer's new keys/values {@code [B, kvH, T, d]} after the cached positions and returns views of all
     * {@code length + T} positions, attached to {@code step} (views made from the cache's arrays would land in the
     * cache's manager and pile up there, two per layer and step, in a long-lived cache).
     */
    NDArray[] append(int layer, NDArray k, NDArray v, NDManager step) {
        long need = length + k.getShape().get(2);
        keys[layer] = withRoom(keys[layer], k, need);
        values[layer] = withRoom(values[layer], v, need);
        NDIndex fresh = new NDIndex(":, :, {}:{}", length, need);
        keys[layer].set(fresh, k);
        values[layer].set(fresh, v);
        return new NDArray[] {prefix(keys[layer], need, step), prefix(values[layer], need, step)};
    }

    /**
     * Makes every layer's buffers hold {@code need} positions of {@code rows} rows: allocates them when the cache is
     * empty, grows them (keeping the valid part) otherwise.
     */
    void reserve(long rows, long need) {
        for (int l = 0; l < keys.length; l++) {
            if (keys[l] == null) {
                Shape s = new Shape(rows, kvHeads, roundedUp(need), headDim);
                keys[l] = own(manager.zeros(s, dataType, manager.getDevice()));
                values[l] = own(manager.zeros(s, dataType, manager.getDevice()));
            } else {
                keys[l] = withRoom(keys[l], keys[l], need);
                values[l] = withRoom(values[l], values[l], need);
            }
        }
    }

    /** Layer {@code layer}'s key buffer [B, kvHeads, capacity, headDim]; valid up to {@link #length()}. */
    NDArray keyBuffer(int layer) {
        return keys[layer];
    }

    /** Layer {@code layer}'s value buffer, like {@link #keyBuffer}. */
    NDArray valueBuffer(int layer) {
        return values[layer];
    }

    /** {@code buffer} when it holds {@code need} positions, else a larger buffer with the valid part copied in. */
    private NDArray withRoom(NDArray buffer, NDArray like, long need) {
        long capacity = buffer == null ? 0 : buffer.getShape().get(2);
        if (capacity >= need) {
            return buffer;
        }
        long grown = Math.max(need, 2 * capacity);
        grown = roundedUp(grown);
        Shape s = like.getShape();
        NDArray bigger = own(manager.zeros(new Shape(s.get(0), s.get(1), grown, s.get(3)), like.getDataType(),
                like.getDevice()));
        if (buffer != null) {
            if (length > 0) {
                NDArray valid = buffer.get(new NDIndex(":, :, :{}", length));
                bigger.set(new NDIndex(":, :, :{}", length), valid);
                valid.close();
            }
            buffer.close();
        }
        return bigger;
    }

    /** {@code positions} rounded up to a multiple of {@link #CAPACITY_STEP}. */
    private static long roundedUp(long positions) {
        return (positions + CAPACITY_STEP - 1) / CAPACITY_STEP * CAPACITY_STEP;
    }

    /** A view of the first {@code positions} positions of a buffer, in {@code into}. */
    private static NDArray prefix(NDArray buffer, long positions, NDManager into) {
        NDArray view = buffer.get(new NDIndex(":, :, :{}", positions));
        view.attach(into);
        return view;
    }

    /** Shrinks every buffer to the valid positions, so that the batch operations below see exact arrays. */
    private void compact() {
        for (int l = 0; l < keys.length; l++) {
            if (keys[l] != null && keys[l].getShape().get(2) != length) {
                NDArray k = take(keys[l], new NDIndex(":, :, :{}", length));
                NDArray v = take(values[l], new NDIndex(":, :, :{}", length));
                keys[l].close();
                values[l].close();
                keys[l] = k;
                values[l] = v;
            }
        }
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

    /** Rows B (0 when empty). */
    public long rows() {
        return mask == null ? 0 : mask.getShape().get(0);
    }

    /**
     * Continuous batching: appends the rows of {@code other} (e.g. freshly prefilled requests) below this cache's
     * rows. The shorter of the two is left-padded with masked zero keys/values, so every row keeps its own
     * positions and attends to exactly the keys it had. {@code other} is left unchanged (the caller closes it).
     */
    public void appendRows(KvCache other) {
        if (other.mask == null) {
            return;
        }
        compact();
        other.compact();
        if (mask == null) {
            for (int l = 0; l < keys.length; l++) {
                keys[l] = own(other.keys[l].duplicate());
                values[l] = own(other.values[l].duplicate());
            }
            mask = own(other.mask.duplicate());
            length = other.length;
            return;
        }
        long total = Math.max(length, other.length);
        for (int l = 0; l < keys.length; l++) {
            NDArray k = concatRows(leftPad(keys[l], total - length), leftPad(other.keys[l], total - other.length));
            NDArray v = concatRows(leftPad(values[l], total - length),
                    leftPad(other.values[l], total - other.length));
            keys[l].close();
            values[l].close();
            keys[l] = k;
            values[l] = v;
        }
        NDArray m = concatRows(leftPadMask(mask, total - length), leftPadMask(other.mask, total - other.length));
        mask.close();
        mask = m;
        length = total;
    }

    /**
     * Keeps only the given rows (in this order) and drops leading positions that no remaining row uses. With no
     * rows left the cache is empty again ({@link #length()} 0). Returns how many leading positions were dropped
     * from the remaining rows, so a caller holding a host copy of the mask can trim it the same way.
     */
    public long retainRows(long[] rows) {
        if (mask == null) {
            return 0;
        }
        if (rows.length == 0) {
            for (int l = 0; l < keys.length; l++) {
                keys[l].close();
                values[l].close();
                keys[l] = null;
                values[l] = null;
            }
            mask.close();
            mask = null;
            length = 0;
            return 0;
        }
        compact();
        try (NDManager tmp = manager.newSubManager()) {
            NDArray idx = tmp.create(rows).toDevice(mask.getDevice(), false);
            NDArray m = take(mask, new NDIndex("{}", idx));
            long[] hostMask = m.toLongArray();
            long drop = length;
            for (int r = 0; r < rows.length; r++) {
                for (int c = 0; c < length; c++) {
                    if (hostMask[(int) (r * length + c)] != 0) {
                        drop = Math.min(drop, c);
                        break;
                    }
                }
            }
            drop = Math.min(drop, length - 1);
            for (int l = 0; l < keys.length; l++) {
                NDArray k = take(keys[l], new NDIndex("{}, :, {}:, :", idx, drop));
                NDArray v = take(values[l], new NDIndex("{}, :, {}:, :", idx, drop));
                keys[l].close();
                values[l].close();
                keys[l] = k;
                values[l] = v;
            }
            NDArray trimmed = take(m, new NDIndex(":, {}:", drop));
            m.close();
            mask.close();
            mask = trimmed;
            length -= drop;
            return drop;
        }
    }

    private NDArray take(NDArray from, NDIndex index) {
        NDArray view = from.get(index);
        NDArray r = view.duplicate();
        view.close();
        return own(r);
    }

    private NDArray own(NDArray a) {
        a.attach(manager);
        return a;
    }

    private NDArray leftPad(NDArray kv, long pad) {
        if (pad == 0) {
            return kv;
        }
        Shape s = kv.getShape();
        NDArray zeros = manager.zeros(new Shape(s.get(0), s.get(1), pad, s.get(3)), kv.getDataType(), kv.getDevice());
        NDArray padded = NDArrays.concat(new NDList(zeros, kv), 2);
        zeros.close();
        return padded;
    }

    private NDArray leftPadMask(NDArray m, long pad) {
        if (pad == 0) {
            return m;
        }
        NDArray zeros = manager.zeros(new Shape(m.getShape().get(0), pad), DataType.INT64, m.getDevice());
        NDArray padded = NDArrays.concat(new NDList(zeros, m), 1);
        zeros.close();
        return padded;
    }

    /** Concatenates along the batch axis; closes padded temporaries (never the inputs owned elsewhere). */
    private NDArray concatRows(NDArray a, NDArray b) {
        NDArray r = own(NDArrays.concat(new NDList(a, b), 0));
        closeIfTemporary(a);
        closeIfTemporary(b);
        return r;
    }

    private void closeIfTemporary(NDArray a) {
        boolean ours = false;
        for (int l = 0; l < keys.length; l++) {
            ours |= a == keys[l] || a == values[l];
        }
        if (!ours && a != mask && a.getManager() == manager) {
            // padded copies created above; inputs from another cache live in that cache's manager
            a.close();
        }
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
