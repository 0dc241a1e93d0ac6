package dev.adapterhub.engine.method.shira;

/**
 * A SHiRA delta of one linear layer on the host: {@code W[rows[i], cols[i]] += values[i]}.
 *
 * @param rows   output indices (PEFT {@code shira_indices} row 0)
 * @param cols   input indices (PEFT {@code shira_indices} row 1)
 * @param values delta values (PEFT {@code shira_weight})
 */
public record SparseDelta(int[] rows, int[] cols, float[] values) {

    public SparseDelta {
        if (rows.length != cols.length || rows.length != values.length) {
            throw new IllegalArgumentException("rows, cols and values must have the same length");
        }
    }

    public int size() {
        return values.length;
    }

    /** Row-major flat positions in a weight with {@code in} columns. */
    public long[] flatIndices(long in) {
        long[] f = new long[rows.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = rows[i] * in + cols[i];
        }
        return f;
    }
}
