package dev.adapterhub.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Per-forward state shared by all linears: the per-row adapter choice of a multi-adapter batch, grouped once per
 * forward. Arrays are created in the forward's manager (the input ids' manager).
 */
public final class ForwardContext {

    /** Row adapter name meaning "the base weights only, no adapter". */
    public static final String BASE = "";

    /**
     * One adapter's rows in a multi-adapter batch: {@code adapter == null} means the linear's active adapters
     * (the model as configured), {@link #BASE} means no adapter.
     */
    public record RowGroup(String adapter, NDArray rows, int size) {
    }

    private static final ForwardContext NONE = new ForwardContext(null, List.of(), null, null);

    private final String[] rowAdapters;
    private final List<RowGroup> groups;
    private final NDArray inverse;
    private final RowDelta rowDelta;

    private ForwardContext(String[] rowAdapters, List<RowGroup> groups, NDArray inverse, RowDelta rowDelta) {
        this.rowAdapters = rowAdapters;
        this.groups = groups;
        this.inverse = inverse;
        this.rowDelta = rowDelta;
    }

    /** This context plus a batched per-row delta that every linear adds (null = none). */
    public ForwardContext withRowDelta(RowDelta delta) {
        return new ForwardContext(rowAdapters, groups, inverse, delta);
    }

    /** The batched per-row delta of this forward, or null. */
    public RowDelta rowDelta() {
        return rowDelta;
    }

    /** All active adapters apply to all rows. */
    public static ForwardContext none() {
        return NONE;
    }

    /**
     * Each row {@code i} uses adapter {@code rowAdapters[i]} (null = the active adapters, {@link #BASE} = none).
     * Rows are grouped per adapter; the
     * deltas of the groups are concatenated and put back in row order with one gather ({@link #inverse()}).
     */
    public static ForwardContext perRow(String[] rowAdapters, NDManager manager) {
        return perRow(rowAdapters, manager, manager.getDevice());
    }

    /** As {@link #perRow(String[], NDManager)} with the index arrays on {@code device}. */
    public static ForwardContext perRow(String[] rowAdapters, NDManager manager, Device device) {
        Map<String, List<Integer>> byAdapter = new LinkedHashMap<>();
        for (int i = 0; i < rowAdapters.length; i++) {
            byAdapter.computeIfAbsent(rowAdapters[i] == null ? "\u0000base" : rowAdapters[i], k -> new ArrayList<>())
                    .add(i);
        }
        List<RowGroup> groups = new ArrayList<>();
        long[] inverse = new long[rowAdapters.length];
        int position = 0;
        for (Map.Entry<String, List<Integer>> e : byAdapter.entrySet()) {
            List<Integer> rows = e.getValue();
            long[] idx = new long[rows.size()];
            for (int j = 0; j < rows.size(); j++) {
                idx[j] = rows.get(j);
                inverse[rows.get(j)] = position++;
            }
            String name = "\u0000base".equals(e.getKey()) ? null : e.getKey();
            groups.add(new RowGroup(name, manager.create(idx).toDevice(device, false), idx.length));
        }
        return new ForwardContext(rowAdapters.clone(), Collections.unmodifiableList(groups),
                manager.create(inverse).toDevice(device, false), null);
    }

    /** True when rows choose their adapters. */
    public boolean isPerRow() {
        return rowAdapters != null;
    }

    /** The adapter of each row, or null when not a per-row batch. */
    public String[] rowAdapters() {
        return rowAdapters == null ? null : rowAdapters.clone();
    }

    /** Groups in the order their deltas are concatenated. */
    public List<RowGroup> groups() {
        return groups;
    }

    /** int64 [B]: row i's position in the concatenation of the groups. */
    public NDArray inverse() {
        return Objects.requireNonNull(inverse, "not a per-row context");
    }

}
