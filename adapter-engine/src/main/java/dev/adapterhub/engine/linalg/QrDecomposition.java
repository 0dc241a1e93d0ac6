package dev.adapterhub.engine.linalg;

/**
 * Thin Householder QR in fp64 on the heap: A [m, n] = Q [m, k] · R [k, n] with k = min(m, n).
 * Used for the small factorizations of randomized SVD (the big products run in DJL); DJL's NDArray API has
 * no QR of its own.
 */
public final class QrDecomposition {

    private final HostMatrix q;
    private final HostMatrix r;

    private QrDecomposition(HostMatrix q, HostMatrix r) {
        this.q = q;
        this.r = r;
    }

    public static QrDecomposition of(HostMatrix a) {
        int m = a.rows();
        int n = a.cols();
        int k = Math.min(m, n);
        HostMatrix work = a.copy();
        double[][] reflectors = new double[k][];
        for (int j = 0; j < k; j++) {
            double[] col = work.column(j);
            double norm = 0;
            for (int i = j; i < m; i++) {
                norm += col[i] * col[i];
            }
            norm = Math.sqrt(norm);
            if (norm == 0.0) {
                reflectors[j] = null;
                continue;
            }
            double alpha = col[j] > 0 ? -norm : norm;
            double[] v = new double[m - j];
            for (int i = j; i < m; i++) {
                v[i - j] = col[i];
            }
            v[0] -= alpha;
            double vNorm2 = 0;
            for (double x : v) {
                vNorm2 += x * x;
            }
            if (vNorm2 == 0.0) {
                reflectors[j] = null;
                continue;
            }
            double scale = 1.0 / Math.sqrt(vNorm2);
            for (int i = 0; i < v.length; i++) {
                v[i] *= scale;
            }
            reflectors[j] = v;
            for (int c = j; c < n; c++) {
                applyReflector(v, j, work.column(c));
            }
        }
        HostMatrix r = new HostMatrix(k, n);
        for (int c = 0; c < n; c++) {
            double[] col = work.column(c);
            for (int i = 0; i <= Math.min(c, k - 1); i++) {
                r.set(i, c, col[i]);
            }
        }
        HostMatrix q = HostMatrix.identity(m, k);
        for (int j = k - 1; j >= 0; j--) {
            if (reflectors[j] == null) {
                continue;
            }
            for (int c = 0; c < k; c++) {
                applyReflector(reflectors[j], j, q.column(c));
            }
        }
        return new QrDecomposition(q, r);
    }

    /** x ← (I − 2·v·vᵀ)·x on rows offset.. of x, with v of unit norm. */
    private static void applyReflector(double[] v, int offset, double[] x) {
        double dot = 0;
        for (int i = 0; i < v.length; i++) {
            dot += v[i] * x[offset + i];
        }
        if (dot == 0.0) {
            return;
        }
        double f = 2.0 * dot;
        for (int i = 0; i < v.length; i++) {
            x[offset + i] -= f * v[i];
        }
    }

    /** Orthonormal columns spanning A's column space, [m, min(m, n)]. */
    public HostMatrix q() {
        return q;
    }

    /** Upper triangular [min(m, n), n]. */
    public HostMatrix r() {
        return r;
    }
}
