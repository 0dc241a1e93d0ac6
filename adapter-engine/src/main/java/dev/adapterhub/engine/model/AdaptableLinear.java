package dev.adapterhub.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A bias-free linear layer {@code y = x·Wᵀ} with a frozen base weight {@code W [out, in]} and any number of named
 * adapters adding to its output.
 *
 * <p>The adapter set is copy-on-write: a forward reads one consistent snapshot, so forwards may run while other
 * adapters are attached or detached (a detached adapter must not be closed while a forward may still use it).
 * Merging and fusing change W in place and must not overlap forwards.
 */
public final class AdaptableLinear {

    /** Immutable adapter state; replaced as a whole on every change. */
    private record State(Map<String, LinearAdapter> adapters, Set<String> inactive, Set<String> merged) {
        State {
            adapters = Collections.unmodifiableMap(new LinkedHashMap<>(adapters));
            inactive = Collections.unmodifiableSet(new LinkedHashSet<>(inactive));
            merged = Collections.unmodifiableSet(new LinkedHashSet<>(merged));
        }

        boolean applies(String adapterName) {
            return adapters.containsKey(adapterName) && !inactive.contains(adapterName);
        }
    }

    private final String name;
    private final NDArray weight;
    private volatile State state = new State(Map.of(), Set.of(), Set.of());
    private final Map<String, ShiraFusion> fused = new LinkedHashMap<>();

    public AdaptableLinear(String name, NDArray weight) {
        if (weight.getShape().dimension() != 2) {
            throw new IllegalArgumentException(name + ": weight must be [out, in], got " + weight.getShape());
        }
        this.name = name;
        this.weight = weight;
    }

    /** HF module name, e.g. {@code model.layers.3.mlp.down_proj}. */
    public String name() {
        return name;
    }

    /** The live base weight [out, in]; in-place changes change the model. */
    public NDArray weight() {
        return weight;
    }

    public int inFeatures() {
        return (int) weight.getShape().get(1);
    }

    public int outFeatures() {
        return (int) weight.getShape().get(0);
    }

    /** {@code F.linear(x, W)} plus the deltas of the adapters that apply (see {@link ForwardContext}). */
    public NDArray forward(NDArray x, ForwardContext ctx) {
        State s = state;
        NDArray w = weight;
        if (w.getDataType() != x.getDataType()) {
            // a half-precision base computed in F32 (training): the cast needs no gradient, the base is frozen
            w = weight.toType(x.getDataType(), false);
            w.attach(x.getManager());
        }
        NDArray y = Linear.linear(x, w).singletonOrThrow();
        if (ctx != null && ctx.rowDelta() != null) {
            NDArray d = ctx.rowDelta().delta(this, x);
            if (d != null) {
                y = y.add(d);
            }
        }
        if (s.adapters().isEmpty()) {
            return y;
        }
        if (ctx == null || !ctx.isPerRow()) {
            for (Map.Entry<String, LinearAdapter> e : s.adapters().entrySet()) {
                if (!s.inactive().contains(e.getKey())) {
                    y = y.add(e.getValue().delta(x, this));
                }
            }
            return y;
        }
        return y.add(perRowDelta(s, x, y, ctx));
    }

    private NDArray perRowDelta(State s, NDArray x, NDArray y, ForwardContext ctx) {
        NDList parts = new NDList();
        boolean any = false;
        for (ForwardContext.RowGroup g : ctx.groups()) {
            List<LinearAdapter> apply = new ArrayList<>();
            if (g.adapter() == null) {
                for (Map.Entry<String, LinearAdapter> e : s.adapters().entrySet()) {
                    if (!s.inactive().contains(e.getKey())) {
                        apply.add(e.getValue());
                    }
                }
            } else if (s.adapters().containsKey(g.adapter()) && !s.merged().contains(g.adapter())) {
                apply.add(s.adapters().get(g.adapter()));
            }
            NDArray rows = null;
            NDArray delta = null;
            for (LinearAdapter adapter : apply) {
                if (rows == null) {
                    rows = x.get(new NDIndex("{}", g.rows()));
                }
                NDArray d = adapter.delta(rows, this);
                delta = delta == null ? d : delta.add(d);
            }
            if (delta == null) {
                long[] dims = y.getShape().getShape().clone();
                dims[0] = g.size();
                delta = x.getManager().zeros(new Shape(dims), y.getDataType(), y.getDevice());
            } else {
                any = true;
            }
            parts.add(delta);
        }
        if (!any) {
            return x.getManager().zeros(y.getShape(), y.getDataType(), y.getDevice());
        }
        NDArray all = parts.size() == 1 ? parts.singletonOrThrow() : NDArrays.concat(parts, 0);
        return all.get(new NDIndex("{}", ctx.inverse()));
    }

    /**
     * Attaches (or replaces, closing the old one) an adapter; it is active. A LoRA must match this layer's shape,
     * and its dtype must be the weight's or F32 (F32 factors on a half-precision base: how a half base trains).
     */
    public synchronized void attach(String adapterName, LinearAdapter adapter) {
        if (adapter instanceof LoraAdapter l) {
            if (l.a().getShape().get(1) != inFeatures() || l.b().getShape().get(0) != outFeatures()) {
                throw new IllegalArgumentException(name + ": LoRA A " + l.a().getShape() + " / B " + l.b().getShape()
                        + " does not fit a [" + outFeatures() + ", " + inFeatures() + "] weight");
            }
            DataType type = l.a().getDataType();
            if (type != l.b().getDataType() || type != weight.getDataType() && type != DataType.FLOAT32) {
                throw new IllegalArgumentException(name + ": LoRA dtype " + type + "/" + l.b().getDataType()
                        + " is neither the weight's " + weight.getDataType() + " nor float32");
            }
        }
        State s = state;
        if (s.merged().contains(adapterName)) {
            throw new IllegalStateException(name + ": adapter '" + adapterName + "' is merged; unmerge it first");
        }
        Map<String, LinearAdapter> adapters = new LinkedHashMap<>(s.adapters());
        LinearAdapter old = adapters.put(adapterName, adapter);
        Set<String> inactive = new LinkedHashSet<>(s.inactive());
        inactive.remove(adapterName);
        state = new State(adapters, inactive, s.merged());
        if (old != null && old != adapter) {
            old.close();
        }
    }

    /** Removes an adapter and returns it (the caller closes it); null if absent. Refuses a merged adapter. */
    public synchronized LinearAdapter detach(String adapterName) {
        State s = state;
        if (s.merged().contains(adapterName)) {
            throw new IllegalStateException(name + ": adapter '" + adapterName + "' is merged; unmerge it first");
        }
        Map<String, LinearAdapter> adapters = new LinkedHashMap<>(s.adapters());
        LinearAdapter removed = adapters.remove(adapterName);
        Set<String> inactive = new LinkedHashSet<>(s.inactive());
        inactive.remove(adapterName);
        state = new State(adapters, inactive, s.merged());
        return removed;
    }

    /** Attached adapters in attach order (an immutable snapshot). */
    public Map<String, LinearAdapter> adapters() {
        return state.adapters();
    }

    /** Typed access to a LoRA adapter, null if absent or of another kind. */
    public LoraAdapter lora(String adapterName) {
        return state.adapters().get(adapterName) instanceof LoraAdapter l ? l : null;
    }

    /** Makes exactly these attached adapters active (merged ones stay inactive in the forward). */
    public synchronized void setActive(Set<String> names) {
        State s = state;
        Set<String> inactive = new LinkedHashSet<>();
        for (String n : s.adapters().keySet()) {
            if (!names.contains(n)) {
                inactive.add(n);
            }
        }
        inactive.addAll(s.merged());
        state = new State(s.adapters(), inactive, s.merged());
    }

    /** Adapters whose delta is added in the forward (attached, active, not merged). */
    public Set<String> activeAdapters() {
        State s = state;
        Set<String> active = new LinkedHashSet<>();
        for (String n : s.adapters().keySet()) {
            if (s.applies(n)) {
                active.add(n);
            }
        }
        return active;
    }

    /**
     * Whether the active adapters are none or exactly one {@link LoraAdapter}: what the compiled forwards
     * ({@link CompiledStep}, {@link CompiledTrainingForward}) can apply.
     */
    public boolean activeIsAtMostOneLora() {
        Set<String> active = activeAdapters();
        return active.isEmpty()
                || active.size() == 1 && state.adapters().get(active.iterator().next()) instanceof LoraAdapter;
    }

    /** The one active LoRA, or null when no adapter is active; only where {@link #activeIsAtMostOneLora()}. */
    public LoraAdapter activeLora() {
        if (!activeIsAtMostOneLora()) {
            throw new IllegalStateException(name + " has active adapters other than one LoRA: " + activeAdapters());
        }
        Set<String> active = activeAdapters();
        return active.isEmpty() ? null : (LoraAdapter) state.adapters().get(active.iterator().next());
    }

    /** Names of adapters merged into W. */
    public Set<String> mergedAdapters() {
        return state.merged();
    }

    /** {@code W += ΔW} in place; the adapter stays attached but no longer adds in the forward. */
    public synchronized void merge(String adapterName) {
        State s = state;
        LinearAdapter adapter = require(s, adapterName);
        if (s.merged().contains(adapterName)) {
            throw new IllegalStateException(name + ": adapter '" + adapterName + "' is already merged");
        }
        try (NDManager tmp = weight.getManager().newSubManager()) {
            weight.addi(sameType(adapter.deltaWeight(tmp)));
        }
        Set<String> merged = new LinkedHashSet<>(s.merged());
        merged.add(adapterName);
        Set<String> inactive = new LinkedHashSet<>(s.inactive());
        inactive.add(adapterName);
        state = new State(s.adapters(), inactive, merged);
    }

    /** {@code W -= ΔW} in place and reactivates the adapter. Exact only up to floating-point rounding. */
    public synchronized void unmerge(String adapterName) {
        State s = state;
        LinearAdapter adapter = require(s, adapterName);
        if (!s.merged().contains(adapterName)) {
            throw new IllegalStateException(name + ": adapter '" + adapterName + "' is not merged");
        }
        try (NDManager tmp = weight.getManager().newSubManager()) {
            weight.subi(sameType(adapter.deltaWeight(tmp)));
        }
        Set<String> merged = new LinkedHashSet<>(s.merged());
        merged.remove(adapterName);
        Set<String> inactive = new LinkedHashSet<>(s.inactive());
        inactive.remove(adapterName);
        state = new State(s.adapters(), inactive, merged);
    }

    private NDArray sameType(NDArray delta) {
        return delta.getDataType() == weight.getDataType() ? delta : delta.toType(weight.getDataType(), false);
    }

    /**
     * Fuses a sparse delta into W: {@code W.flat[idx] += scale·values}, keeping the K original values. Indices must
     * be unique (PEFT's masks are; {@code PeftFiles} validates files): a repeated index would receive one value only.
     *
     * @param flatIndices int64 [K] row-major positions ({@code row * in + col})
     * @param values      [K] delta values (any float dtype)
     */
    public synchronized ShiraFusion fuseSparse(String adapterName, NDArray flatIndices, NDArray values, float scale) {
        requireNotFused(adapterName);
        NDManager owner = weight.getManager();
        // Private copies: toDevice(copy=true) shares storage when the device is already right (torch's to() does
        // not copy then), and the caller's arrays may be freed or reused before unfuseSparse needs the indices.
        NDArray onDeviceIndices = flatIndices.toDevice(weight.getDevice(), false);
        NDArray idx = onDeviceIndices.duplicate();
        idx.attach(owner);
        if (onDeviceIndices != flatIndices) {
            onDeviceIndices.close();
        }
        try (NDManager tmp = owner.newSubManager()) {
            // both copies are temporaries: the first lands in the values' manager, so move it before converting
            NDArray onDevice = values.toDevice(weight.getDevice(), true);
            onDevice.attach(tmp);
            NDArray v = onDevice.toType(weight.getDataType(), true);
            v.attach(tmp);
            return fuse(adapterName, idx, scale == 1f ? v : Scalars.mul(v, scale));
        }
    }

    /**
     * Fuses precomputed values without copies, for the serving switcher: {@code W.flat[flatIndices] = fusedValues},
     * and {@link #unfuseSparse} writes {@code originals} back. All three arrays are on W's device (values in W's
     * dtype) and stay the caller's: it keeps them alive until unfused. One native scatter; several linears at once:
     * {@link LlamaModel#fuseSparseResident(String, List)}.
     */
    public synchronized ShiraFusion fuseSparseResident(String adapterName, NDArray flatIndices, NDArray fusedValues,
                                                       NDArray originals) {
        checkResident(adapterName, flatIndices, fusedValues, originals);
        writeFlat(flatIndices, fusedValues);
        return recordResident(adapterName, flatIndices, originals);
    }

    /** Throws where {@link #fuseSparseResident} would refuse these arrays. */
    synchronized void checkResident(String adapterName, NDArray flatIndices, NDArray fusedValues,
                                    NDArray originals) {
        requireNotFused(adapterName);
        if (!flatIndices.getDevice().equals(weight.getDevice()) || fusedValues.getDataType() != weight.getDataType()
                || originals.getDataType() != weight.getDataType()) {
            throw new IllegalArgumentException(name + ": resident sparse values must be on " + weight.getDevice()
                    + " in " + weight.getDataType());
        }
    }

    /** Records a resident fusion whose values the caller has written into W. */
    synchronized ShiraFusion recordResident(String adapterName, NDArray flatIndices, NDArray originals) {
        requireNotFused(adapterName);
        ShiraFusion f = new ShiraFusion(flatIndices, originals, false);
        fused.put(adapterName, f);
        return f;
    }

    /** {@code W.flat[flatIndices] = values}: one native scatter through DJL. */
    void writeFlat(NDArray flatIndices, NDArray values) {
        NDArray flat = weight.reshape(-1); // a view: writes through to W
        flat.set(new NDIndex("{}", flatIndices), values);
        flat.close();
    }

    /** A copy of W's values at the flat positions, in {@code into}. */
    public NDArray gatherFlat(NDArray flatIndices, NDManager into) {
        NDArray flat = weight.reshape(-1);
        NDArray values = flat.take(into, flatIndices);
        flat.close();
        return values;
    }

    private void requireNotFused(String adapterName) {
        if (fused.containsKey(adapterName)) {
            throw new IllegalStateException(name + ": sparse adapter '" + adapterName + "' is already fused");
        }
    }

    private ShiraFusion fuse(String adapterName, NDArray idx, NDArray delta) {
        NDManager owner = weight.getManager();
        NDArray flat = weight.reshape(-1); // a view: writes through to W
        NDArray originals = flat.take(owner, idx);
        try (NDManager tmp = owner.newSubManager()) {
            NDArray updated = originals.add(delta);
            updated.attach(tmp);
            flat.set(new NDIndex("{}", idx), updated);
        }
        flat.close();
        ShiraFusion f = new ShiraFusion(idx, originals, true);
        fused.put(adapterName, f);
        return f;
    }

    /** Writes the saved originals back: W is bit-exactly what it was before {@link #fuseSparse}. */
    public synchronized void unfuseSparse(String adapterName) {
        ShiraFusion f = fusion(adapterName);
        writeFlat(f.flatIndices(), f.originals());
        forget(adapterName);
    }

    /** The fusion of {@code adapterName}; throws when it is not fused. */
    synchronized ShiraFusion fusion(String adapterName) {
        ShiraFusion f = fused.get(adapterName);
        if (f == null) {
            throw new IllegalStateException(name + ": sparse adapter '" + adapterName + "' is not fused");
        }
        return f;
    }

    /** Drops the record of a fusion whose originals the caller has written back (freeing arrays it owns). */
    synchronized void forget(String adapterName) {
        ShiraFusion f = fused.remove(adapterName);
        if (f != null && f.ownsArrays()) {
            f.flatIndices().close();
            f.originals().close();
        }
    }

    /** Names of sparse deltas fused into W. */
    public synchronized Set<String> fusedAdapters() {
        return Set.copyOf(fused.keySet());
    }

    private LinearAdapter require(State s, String adapterName) {
        LinearAdapter a = s.adapters().get(adapterName);
        if (a == null) {
            throw new IllegalArgumentException(name + ": no adapter '" + adapterName + "'");
        }
        return a;
    }
}
