package dev.adapterhub.engine.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.model.ResidentSparse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the base weights hold: nothing, one fused SHiRA, or one merged LoRA. Every switch restores the base
 * bit-exactly: SHiRA through {@link LlamaModel#unfuseSparse(String, java.util.Collection)} (saved originals), a merged LoRA by copying back
 * the weights saved before merging (add-then-subtract would drift by rounding over many switches).
 * Only the scheduler thread calls this (merging must not overlap a forward).
 */
final class WeightSwitcher implements AutoCloseable {

    private final LlamaModel model;
    private final LoraPool pool;
    private SchedulerPhase phase = SchedulerPhase.MIXED;
    private LoadedAdapter current;
    private NDManager saved;
    private final Map<String, NDArray> savedWeights = new LinkedHashMap<>();
    private long switches;
    private double lastMillis;

    WeightSwitcher(LlamaModel model, LoraPool pool) {
        this.model = model;
        this.pool = pool;
    }

    SchedulerPhase phase() {
        return phase;
    }

    /** The fused or merged adapter, null in MIXED. */
    LoadedAdapter current() {
        return current;
    }

    String currentKey() {
        return current == null ? null : current.key();
    }

    long switches() {
        return switches;
    }

    double lastMillis() {
        return lastMillis;
    }

    /** Fuses a SHiRA (the weights must hold nothing else). */
    void fuseShira(LoadedAdapter a) {
        requireMixed();
        long t0 = System.nanoTime();
        List<ResidentSparse> modules = new ArrayList<>(a.sparse.size());
        for (Map.Entry<String, SparseModule> e : a.sparse.entrySet()) {
            modules.add(e.getValue().prepare(e.getKey(), model.linear(e.getKey())));
        }
        model.fuseSparseResident(a.key(), modules); // every module in one native call
        phase = SchedulerPhase.SHIRA;
        current = a;
        done(t0);
    }

    /** Merges a LoRA: saves each targeted weight, then {@code W += s·B·A} (the weights must hold nothing else). */
    void mergeLora(LoadedAdapter a) {
        requireMixed();
        long t0 = System.nanoTime();
        saved = model.manager().newSubManager();
        for (String module : pool.modules(a.key())) {
            NDArray w = model.linear(module).weight();
            NDArray copy = w.duplicate();
            copy.attach(saved);
            savedWeights.put(module, copy);
            try (NDManager tmp = saved.newSubManager()) {
                w.addi(pool.deltaWeight(a.key(), module, tmp));
            }
        }
        phase = SchedulerPhase.LORA_MERGED;
        current = a;
        done(t0);
    }

    /** Back to the plain base weights (no-op in MIXED). */
    void restore() {
        if (phase == SchedulerPhase.MIXED) {
            return;
        }
        long t0 = System.nanoTime();
        if (phase == SchedulerPhase.SHIRA) {
            model.unfuseSparse(current.key(), current.sparse.keySet());
        } else {
            for (Map.Entry<String, NDArray> e : savedWeights.entrySet()) {
                model.linear(e.getKey()).weight().set(new NDIndex("..."), e.getValue());
            }
            savedWeights.clear();
            saved.close();
            saved = null;
        }
        phase = SchedulerPhase.MIXED;
        current = null;
        done(t0);
    }

    private void requireMixed() {
        if (phase != SchedulerPhase.MIXED) {
            throw new IllegalStateException("weights already hold adapter '" + currentKey() + "'");
        }
    }

    private void done(long t0) {
        lastMillis = (System.nanoTime() - t0) / 1e6;
        switches++;
    }

    @Override
    public void close() {
        restore();
    }
}
