package dev.adapterhub.engine.linalg;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Thin SVD in fp64 on the heap by one-sided Jacobi rotations (Hestenes): A [m, n] = U [m, k] · diag(S) · Vᵀ
 * [k, n], k = min(m, n), singular values descending. Accurate to fp64 round-off; meant for matrices whose
 * smaller side is at most a few hundred (the q×n core of randomized SVD).
 */
public final class SvdDecomposition {

    private static final int MAX_SWEEPS = 60;
    private static final double TOLERANCE = 1e-15;

    private final HostMatrix u;
    private final double[] singularValues;
    private final HostMatrix vt;

    private SvdDecomposition(HostMatrix u, double[] singularValues, HostMatrix vt) {
        this.u = u;
        this.singularValues = singularValues;
        this.vt = vt;
    }

    public static SvdDecomposition of(HostMatrix a) {
        if (a.rows() >= a.cols()) {
            Parts p = jacobi(a);
            return new SvdDecomposition(p.left, p.sigma, p.right.transpose());
        }
        // A = (Aᵀ)ᵀ = (U' S V'ᵀ)ᵀ = V' S U'ᵀ
        Parts p = jacobi(a.transpose());
        return new SvdDecomposition(p.right, p.sigma, p.left.transpose());
    }

    private record Parts(HostMatrix left, double[] sigma, HostMatrix right) {
    }

    /** One-sided Jacobi on a tall matrix (rows ≥ cols): orthogonalizes the columns. */
    private static Parts jacobi(HostMatrix a) {
        int m = a.rows();
        int n = a.cols();
        HostMatrix w = a.copy();
        HostMatrix v = HostMatrix.identity(n, n);
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int i = 0; i < n - 1; i++) {
                for (int j = i + 1; j < n; j++) {
                    double[] ci = w.column(i);
                    double[] cj = w.column(j);
                    double alpha = 0;
                    double beta = 0;
                    double gamma = 0;
                    for (int r = 0; r < m; r++) {
                        alpha += ci[r] * ci[r];
                        beta += cj[r] * cj[r];
                        gamma += ci[r] * cj[r];
                    }
                    if (gamma == 0.0 || Math.abs(gamma) <= TOLERANCE * Math.sqrt(alpha * beta)) {
                        continue;
                    }
                    rotated = true;
                    double zeta = (beta - alpha) / (2.0 * gamma);
                    double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1.0 + zeta * zeta));
                    if (zeta == 0.0) {
                        t = 1.0;
                    }
                    double c = 1.0 / Math.sqrt(1.0 + t * t);
                    double s = c * t;
                    rotate(ci, cj, c, s);
                    rotate(v.column(i), v.column(j), c, s);
                }
            }
            if (!rotated) {
                break;
            }
        }
        double[] sigma = new double[n];
        for (int c = 0; c < n; c++) {
            double s = 0;
            for (double x : w.column(c)) {
                s += x * x;
            }
            sigma[c] = Math.sqrt(s);
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -sigma[i]));
        HostMatrix left = new HostMatrix(m, n);
        HostMatrix right = new HostMatrix(n, n);
        double[] sorted = new double[n];
        double largest = n > 0 ? sigma[order[0]] : 0;
        for (int k = 0; k < n; k++) {
            int src = order[k];
            sorted[k] = sigma[src];
            double[] col = w.column(src);
            double[] target = left.column(k);
            if (sigma[src] > largest * 1e-300 && sigma[src] > 0) {
                for (int r = 0; r < m; r++) {
                    target[r] = col[r] / sigma[src];
                }
            }
            System.arraycopy(v.column(src), 0, right.column(k), 0, n);
        }
        completeZeroColumns(left, sorted);
        return new Parts(left, sorted, right);
    }

    /** Columns of U for zero singular values are arbitrary; make them orthonormal so U stays orthogonal. */
    private static void completeZeroColumns(HostMatrix left, double[] sigma) {
        int m = left.rows();
        for (int k = 0; k < sigma.length; k++) {
            if (sigma[k] > 0) {
                continue;
            }
            double[] target = left.column(k);
            for (int e = 0; e < m; e++) {
                Arrays.fill(target, 0);
                target[e] = 1.0;
                for (int p = 0; p < left.cols(); p++) {
                    if (p == k || (p > k && sigma[p] == 0)) {
                        continue;
                    }
                    double[] other = left.column(p);
                    double dot = 0;
                    for (int r = 0; r < m; r++) {
                        dot += other[r] * target[r];
                    }
                    for (int r = 0; r < m; r++) {
                        target[r] -= dot * other[r];
                    }
                }
                double norm = 0;
                for (double x : target) {
                    norm += x * x;
                }
                if (norm > 1e-6) {
                    norm = Math.sqrt(norm);
                    for (int r = 0; r < m; r++) {
                        target[r] /= norm;
                    }
                    break;
                }
            }
        }
    }

    private static void rotate(double[] x, double[] y, double c, double s) {
        for (int r = 0; r < x.length; r++) {
            double xi = x[r];
            double yi = y[r];
            x[r] = c * xi - s * yi;
            y[r] = s * xi + c * yi;
        }
    }

    public HostMatrix u() {
        return u;
    }

    public double[] singularValues() {
        return singularValues.clone();
    }

    public HostMatrix vt() {
        return vt;
    }
}
