package dev.adapterhub.engine.linalg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * A small dense fp64 matrix on the Java heap, stored column by column because every algorithm in this
 * package (Householder QR, one-sided Jacobi) walks columns.
 */
public final class HostMatrix {

    private final int rows;
    private final int cols;
    /** {@code data[c][r]}. */
    private final double[][] columns;

    public HostMatrix(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative dimension " + rows + "x" + cols);
        }
        this.rows = rows;
        this.cols = cols;
        this.columns = new double[cols][rows];
    }

    public static HostMatrix identity(int rows, int cols) {
        HostMatrix m = new HostMatrix(rows, cols);
        for (int i = 0; i < Math.min(rows, cols); i++) {
            m.columns[i][i] = 1.0;
        }
        return m;
    }

    /** Builds a matrix from row-major values. */
    public static HostMatrix fromRowMajor(int rows, int cols, double[] values) {
        if (values.length != (long) rows * cols) {
            throw new IllegalArgumentException("expected " + rows * cols + " values, got " + values.length);
        }
        HostMatrix m = new HostMatrix(rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m.columns[c][r] = values[r * cols + c];
            }
        }
        return m;
    }

    /** Copies a 2-D NDArray (any float type) to the heap. */
    public static HostMatrix fromNDArray(NDArray array) {
        Shape shape = array.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("expected a 2-D array, got " + shape);
        }
        int rows = Math.toIntExact(shape.get(0));
        int cols = Math.toIntExact(shape.get(1));
        double[] values = array.toType(DataType.FLOAT64, false).toDoubleArray();
        return fromRowMajor(rows, cols, values);
    }

    /** Creates a row-major NDArray of the given type on {@code manager}. */
    public NDArray toNDArray(NDManager manager, DataType type) {
        if (type == DataType.FLOAT64) {
            return manager.create(toRowMajor(), new Shape(rows, cols));
        }
        if (type != DataType.FLOAT32) {
            throw new IllegalArgumentException("only FLOAT32 and FLOAT64 are produced here, not " + type);
        }
        return manager.create(toRowMajorFloat(), new Shape(rows, cols));
    }

    public double[] toRowMajor() {
        double[] out = new double[rows * cols];
        for (int c = 0; c < cols; c++) {
            double[] col = columns[c];
            for (int r = 0; r < rows; r++) {
                out[r * cols + c] = col[r];
            }
        }
        return out;
    }

    public float[] toRowMajorFloat() {
        float[] out = new float[rows * cols];
        for (int c = 0; c < cols; c++) {
            double[] col = columns[c];
            for (int r = 0; r < rows; r++) {
                out[r * cols + c] = (float) col[r];
            }
        }
        return out;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public double get(int r, int c) {
        return columns[c][r];
    }

    public void set(int r, int c, double v) {
        columns[c][r] = v;
    }

    /** The live column array (no copy): callers in this package update columns in place. */
    double[] column(int c) {
        return columns[c];
    }

    public HostMatrix copy() {
        HostMatrix m = new HostMatrix(rows, cols);
        for (int c = 0; c < cols; c++) {
            System.arraycopy(columns[c], 0, m.columns[c], 0, rows);
        }
        return m;
    }

    public HostMatrix transpose() {
        HostMatrix t = new HostMatrix(cols, rows);
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                t.columns[r][c] = columns[c][r];
            }
        }
        return t;
    }

    public HostMatrix multiply(HostMatrix other) {
        if (cols != other.rows) {
            throw new IllegalArgumentException("shape mismatch " + rows + "x" + cols + " * " + other.rows + "x" + other.cols);
        }
        HostMatrix out = new HostMatrix(rows, other.cols);
        for (int j = 0; j < other.cols; j++) {
            double[] target = out.columns[j];
            double[] right = other.columns[j];
            for (int k = 0; k < cols; k++) {
                double f = right[k];
                if (f == 0.0) {
                    continue;
                }
                double[] left = columns[k];
                for (int i = 0; i < rows; i++) {
                    target[i] += left[i] * f;
                }
            }
        }
        return out;
    }

    /** Columns {@code from} (inclusive) to {@code to} (exclusive). */
    public HostMatrix columns(int from, int to) {
        HostMatrix m = new HostMatrix(rows, to - from);
        for (int c = from; c < to; c++) {
            System.arraycopy(columns[c], 0, m.columns[c - from], 0, rows);
        }
        return m;
    }

    public double frobeniusNorm() {
        double s = 0;
        for (double[] col : columns) {
            for (double v : col) {
                s += v * v;
            }
        }
        return Math.sqrt(s);
    }

    public HostMatrix minus(HostMatrix other) {
        if (rows != other.rows || cols != other.cols) {
            throw new IllegalArgumentException("shape mismatch");
        }
        HostMatrix m = new HostMatrix(rows, cols);
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                m.columns[c][r] = columns[c][r] - other.columns[c][r];
            }
        }
        return m;
    }
}
