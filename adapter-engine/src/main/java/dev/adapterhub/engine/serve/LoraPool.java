package dev.adapterhub.engine.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.CompiledStep;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.model.RowDelta;
import dev.adapterhub.engine.method.lora.LoraWeights;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All loaded LoRAs, stacked per linear for S-LoRA style batching: for every linear some adapter targets,
 * {@code A [slots, R, in]} and {@code B [slots, out, R]} where R is the largest loaded rank (smaller ranks padded
 * with zeros, which add exact zeros) and the LoRA scale is folded into B. Slot 0 is all zeros (base rows); an
 * adapter that does not target a linear has zeros there too. Per step, rows gather their slot's factors and one
 * batched matmul pair computes every row's delta.
 *
 * <p>Only the scheduler thread uses a pool (no locking).
 */
final class LoraPool implements AutoCloseable {

    private static final int INITIAL_SLOTS = 8;

    private static final class Stack {
        NDArray a;
        NDArray b;
    }

    private final LlamaModel model;
    private final NDManager manager;
    private final DataType dtype;
    private final Map<String, Stack> stacks = new LinkedHashMap<>();
    private final Map<String, Integer> slots = new HashMap<>();
    private final Map<String, List<String>> modulesOf = new HashMap<>();
    private final Deque<Integer> free = new ArrayDeque<>();
    /** Decode row buffers: entry e holds the factors of slot entrySlot[e], pre-transposed for bmm. */
    private final Map<String, Stack> rowBuffers = new HashMap<>();
    private int[] entrySlot = new int[0];
    private int capacity = INITIAL_SLOTS;
    private int nextSlot = 1;
    private int rank = 1;

    LoraPool(LlamaModel model) {
        this.model = model;
        this.manager = model.manager().newSubManager();
        this.dtype = model.dataType();
    }

    /** Copies the LoRA's factors (scale folded into B) into a free slot; returns the slot. */
    int add(String key, LoraWeights w) {
        if (slots.containsKey(key)) {
            throw new IllegalStateException("LoRA '" + key + "' is already in the pool");
        }
        int maxRank = 0;
        for (long[] s : w.aShape().values()) {
            maxRank = Math.max(maxRank, (int) s[0]);
        }
        int slot = free.isEmpty() ? nextSlot++ : free.poll();
        ensureCapacity(slot + 1);
        ensureRank(maxRank);
        for (String module : w.a().keySet()) {
            AdaptableLinear linear = model.linear(module);
            Stack st = stacks.computeIfAbsent(module, m -> newStack(linear));
            int in = linear.inFeatures();
            int out = linear.outFeatures();
            int r = (int) w.aShape().get(module)[0];
            float scale = (float) w.config().scaling(module);
            float[] a = new float[rank * in];
            System.arraycopy(w.a().get(module), 0, a, 0, r * in);
            float[] bSrc = w.b().get(module);
            float[] b = new float[out * rank];
            for (int o = 0; o < out; o++) {
                for (int j = 0; j < r; j++) {
                    b[o * rank + j] = bSrc[o * r + j] * scale;
                }
            }
            try (NDManager tmp = manager.newSubManager()) {
                st.a.set(new NDIndex(slot), typed(tmp.create(a, new Shape(rank, in))));
                st.b.set(new NDIndex(slot), typed(tmp.create(b, new Shape(out, rank))));
            }
        }
        slots.put(key, slot);
        modulesOf.put(key, List.copyOf(w.a().keySet()));
        invalidateRowBuffers();
        return slot;
    }

    /** Zeroes the adapter's slot and frees it. */
    void remove(String key) {
        Integer slot = slots.remove(key);
        if (slot == null) {
            return;
        }
        modulesOf.remove(key);
        // set(index, Number) would create its scalar on the pool's manager and keep it until the pool closes
        try (NDManager tmp = manager.newSubManager()) {
            NDArray zero = tmp.zeros(new Shape(), dtype);
            for (Stack st : stacks.values()) {
                st.a.set(new NDIndex(slot), zero);
                st.b.set(new NDIndex(slot), zero);
            }
        }
        free.push(slot);
        invalidateRowBuffers();
    }

    /** Linears the adapter targets. */
    List<String> modules(String key) {
        return modulesOf.getOrDefault(key, List.of());
    }

    /** Dense {@code ΔW = s·B·A [out, in]} of one adapter on one linear, in {@code target}. */
    NDArray deltaWeight(String key, String module, NDManager target) {
        int slot = slots.get(key);
        Stack st = stacks.get(module);
        try (NDManager tmp = manager.newSubManager()) {
            NDArray a = st.a.get(new NDIndex(slot));
            NDArray b = st.b.get(new NDIndex(slot));
            a.attach(tmp);
            b.attach(tmp);
            NDArray d = b.matMul(a);
            d.attach(target);
            return d;
        }
    }

    /**
     * The per-row delta of one forward: row i uses slot {@code rowSlots[i]} (0 = base). Returns null when every
     * row is a base row. When all rows share one adapter its factors are used directly (no gather).
     */
    RowDelta forRows(int[] rowSlots, NDManager step) {
        boolean any = false;
        int uniform = rowSlots[0];
        long[] idx = new long[rowSlots.length];
        for (int i = 0; i < rowSlots.length; i++) {
            any |= rowSlots[i] != 0;
            if (rowSlots[i] != uniform) {
                uniform = -1;
            }
            idx[i] = rowSlots[i];
        }
        if (!any) {
            return null;
        }
        if (uniform > 0) {
            int slot = uniform;
            return (linear, x) -> {
                Stack st = stacks.get(linear.name());
                if (st == null) {
                    return null;
                }
                NDArray a = st.a.get(new NDIndex(slot));
                NDArray b = st.b.get(new NDIndex(slot));
                a.attach(x.getManager());
                b.attach(x.getManager());
                NDArray xa = Linear.linear(x, a).singletonOrThrow();
                return Linear.linear(xa, b).singletonOrThrow();
            };
        }
        NDArray rows = step.create(idx).toDevice(model.manager().getDevice(), false);
        return (linear, x) -> {
            Stack st = stacks.get(linear.name());
            if (st == null) {
                return null;
            }
            NDArray a = st.a.get(new NDIndex("{}", rows)); // [B, R, in]
            NDArray b = st.b.get(new NDIndex("{}", rows)); // [B, out, R]
            a.attach(x.getManager());
            b.attach(x.getManager());
            NDArray xa = x.matMul(a.transpose(0, 2, 1));  // [B, T, R]
            return xa.matMul(b.transpose(0, 2, 1));       // [B, T, out]
        };
    }

    /**
     * The per-row LoRA of a compiled step (prefill or decode): every stacked linear's factors as they are and each
     * row's slot (0 = base), which the step gathers itself; when all rows share one LoRA, its own factors. Null
     * when every row is a base row.
     */
    CompiledStep.Lora forCompiled(int[] rowSlots, NDManager step) {
        long[] idx = new long[rowSlots.length];
        boolean any = false;
        int uniform = rowSlots[0];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = rowSlots[i];
            any |= rowSlots[i] != 0;
            if (rowSlots[i] != uniform) {
                uniform = -1;
            }
        }
        if (!any) {
            return null;
        }
        Map<String, NDArray[]> factors = new LinkedHashMap<>();
        for (Map.Entry<String, Stack> e : stacks.entrySet()) {
            Stack st = e.getValue();
            if (uniform > 0) {
                NDArray a = st.a.get(new NDIndex(uniform));
                NDArray b = st.b.get(new NDIndex(uniform));
                a.attach(step); // views of the pool's arrays would otherwise stay in its manager
                b.attach(step);
                factors.put(e.getKey(), new NDArray[] {a, b});
            } else {
                factors.put(e.getKey(), new NDArray[] {st.a, st.b});
            }
        }
        NDArray rows = uniform > 0 ? null : step.create(idx).toDevice(model.manager().getDevice(), false);
        return new CompiledStep.Lora(factors, rows,
                uniform > 0 ? CompiledStep.Layout.SHARED : CompiledStep.Layout.GATHER);
    }

    /**
     * Like {@link #forCompiled}, for a decode step of a batch whose rows own fixed buffer entries (see
     * {@link #forDecode}): mixed rows read their factors from the entry buffers, filled only when a row joins or
     * changes slot, instead of gathering them from the stacks every step.
     */
    CompiledStep.Lora forCompiledDecode(int[] rowSlots, int[] rowEntries, int entries, NDManager step) {
        boolean any = false;
        boolean uniform = true;
        for (int s : rowSlots) {
            any |= s != 0;
            uniform &= s == rowSlots[0];
        }
        if (!any || uniform) {
            return forCompiled(rowSlots, step);
        }
        fillEntries(rowSlots, rowEntries, entries);
        long[] idx = new long[rowEntries.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = rowEntries[i];
        }
        Map<String, NDArray[]> factors = new LinkedHashMap<>();
        for (Map.Entry<String, Stack> e : rowBuffers.entrySet()) {
            factors.put(e.getKey(), new NDArray[] {e.getValue().a, e.getValue().b});
        }
        return new CompiledStep.Lora(factors, step.create(idx).toDevice(model.manager().getDevice(), false),
                CompiledStep.Layout.ENTRIES);
    }

    /**
     * The per-row delta of a decode step (T = 1) for a batch whose rows own fixed buffer entries
     * ({@code rowEntries[i]} in {@code [0, entries)}). An entry's factors are copied from the pool only when a row
     * joins or its slot changes, so a steady batch reads each row's factors once per step instead of gathering
     * them: activations are scattered into entry order, two bmm over all entries, gathered back to row order.
     * Returns null when every row is a base row.
     */
    RowDelta forDecode(int[] rowSlots, int[] rowEntries, int entries, NDManager step) {
        boolean any = false;
        int uniform = rowSlots[0];
        for (int s : rowSlots) {
            any |= s != 0;
            if (s != uniform) {
                uniform = -1;
            }
        }
        if (!any) {
            return null;
        }
        if (uniform > 0) {
            return forRows(rowSlots, step);
        }
        fillEntries(rowSlots, rowEntries, entries);
        long[] idx = new long[rowEntries.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = rowEntries[i];
        }
        NDArray rows = step.create(idx).toDevice(model.manager().getDevice(), false);
        int cap = entrySlot.length;
        return (linear, x) -> {
            Stack buf = rowBuffers.get(linear.name());
            if (buf == null) {
                return null;
            }
            Shape xs = x.getShape();
            NDArray scattered = x.getManager().zeros(new Shape(cap, xs.get(1), xs.get(2)), x.getDataType(),
                    x.getDevice());
            scattered.set(new NDIndex("{}", rows), x);
            NDArray d = scattered.batchMatMul(buf.a).batchMatMul(buf.b); // [cap, T, R] -> [cap, T, out]
            return d.get(new NDIndex("{}", rows));
        };
    }

    private void invalidateRowBuffers() {
        Arrays.fill(entrySlot, -1);
    }

    /** Copies the factors of rows whose entry holds another slot (new rows, phase changes, pool changes). */
    private void fillEntries(int[] rowSlots, int[] rowEntries, int entries) {
        if (entrySlot.length < entries || rowBuffers.size() != stacks.size()
                || (!rowBuffers.isEmpty() && rowBuffers.values().iterator().next().a.getShape().get(2) != rank)) {
            rowBuffers.values().forEach(b -> {
                b.a.close();
                b.b.close();
            });
            rowBuffers.clear();
            for (Map.Entry<String, Stack> e : stacks.entrySet()) {
                long in = e.getValue().a.getShape().get(2);
                long out = e.getValue().b.getShape().get(1);
                Stack b = new Stack();
                b.a = manager.zeros(new Shape(entries, in, rank), dtype);
                b.b = manager.zeros(new Shape(entries, rank, out), dtype);
                rowBuffers.put(e.getKey(), b);
            }
            entrySlot = new int[entries];
            Arrays.fill(entrySlot, -1);
        }
        List<Integer> stale = new java.util.ArrayList<>();
        for (int i = 0; i < rowSlots.length; i++) {
            if (entrySlot[rowEntries[i]] != rowSlots[i]) {
                stale.add(i);
            }
        }
        if (stale.isEmpty()) {
            return;
        }
        long[] entryIdx = new long[stale.size()];
        long[] slotIdx = new long[stale.size()];
        for (int k = 0; k < stale.size(); k++) {
            int i = stale.get(k);
            entryIdx[k] = rowEntries[i];
            slotIdx[k] = rowSlots[i];
            entrySlot[rowEntries[i]] = rowSlots[i];
        }
        try (NDManager tmp = manager.newSubManager()) {
            NDArray e = tmp.create(entryIdx).toDevice(model.manager().getDevice(), false);
            NDArray s = tmp.create(slotIdx).toDevice(model.manager().getDevice(), false);
            for (Map.Entry<String, Stack> st : stacks.entrySet()) {
                Stack buf = rowBuffers.get(st.getKey());
                NDArray a = st.getValue().a.get(new NDIndex("{}", s));
                NDArray b = st.getValue().b.get(new NDIndex("{}", s));
                a.attach(tmp);
                b.attach(tmp);
                NDArray at = a.transpose(0, 2, 1);
                NDArray bt = b.transpose(0, 2, 1);
                at.attach(tmp);
                bt.attach(tmp);
                buf.a.set(new NDIndex("{}", e), at);
                buf.b.set(new NDIndex("{}", e), bt);
            }
        }
    }

    /** Loaded adapters. */
    int size() {
        return slots.size();
    }

    private Stack newStack(AdaptableLinear linear) {
        Stack st = new Stack();
        st.a = manager.zeros(new Shape(capacity, rank, linear.inFeatures()), dtype);
        st.b = manager.zeros(new Shape(capacity, linear.outFeatures(), rank), dtype);
        return st;
    }

    private void ensureCapacity(int needed) {
        if (needed <= capacity) {
            return;
        }
        int grown = Math.max(needed, capacity * 2);
        for (Stack st : stacks.values()) {
            st.a = padAxis(st.a, 0, grown - capacity);
            st.b = padAxis(st.b, 0, grown - capacity);
        }
        capacity = grown;
    }

    private void ensureRank(int needed) {
        if (needed <= rank) {
            return;
        }
        for (Stack st : stacks.values()) {
            st.a = padAxis(st.a, 1, needed - rank);
            st.b = padAxis(st.b, 2, needed - rank);
        }
        rank = needed;
    }

    /** Appends {@code extra} zero entries along {@code axis}; the old array is freed. */
    private NDArray padAxis(NDArray old, int axis, int extra) {
        long[] dims = old.getShape().getShape().clone();
        dims[axis] = extra;
        NDArray zeros = manager.zeros(new Shape(dims), dtype);
        NDArray grown = NDArrays.concat(new NDList(old, zeros), axis);
        grown.attach(manager);
        zeros.close();
        old.close();
        return grown;
    }

    private NDArray typed(NDArray a) {
        return a.getDataType() == dtype ? a : a.toType(dtype, false);
    }

    @Override
    public void close() {
        manager.close();
    }
}
