package dev.adapterhub.engine.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinalgTest {

    private static HostMatrix random(int rows, int cols, long seed) {
        Random r = new Random(seed);
        HostMatrix m = new HostMatrix(rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m.set(i, j, r.nextGaussian());
            }
        }
        return m;
    }

    private static double orthogonalityError(HostMatrix q) {
        HostMatrix gram = q.transpose().multiply(q);
        return gram.minus(HostMatrix.identity(q.cols(), q.cols())).frobeniusNorm();
    }

    @Test
    void qrReconstructsAndIsOrthonormal() {
        for (int[] dims : new int[][] {{40, 7}, {7, 40}, {12, 12}}) {
            HostMatrix a = random(dims[0], dims[1], 3);
            QrDecomposition qr = QrDecomposition.of(a);
            assertTrue(qr.q().multiply(qr.r()).minus(a).frobeniusNorm() < 1e-10 * a.frobeniusNorm());
            assertTrue(orthogonalityError(qr.q()) < 1e-12);
            for (int i = 0; i < qr.r().rows(); i++) {
                for (int j = 0; j < Math.min(i, qr.r().cols()); j++) {
                    assertEquals(0.0, qr.r().get(i, j), 0.0);
                }
            }
        }
    }

    @Test
    void svdMatchesAKnownSpectrum() {
        // A = U0·diag(5,3,1,0)·V0ᵀ with random orthonormal U0, V0: the singular values must come back exactly.
        HostMatrix u0 = QrDecomposition.of(random(30, 4, 1)).q();
        HostMatrix v0 = QrDecomposition.of(random(9, 4, 2)).q();
        double[] sigma = {5, 3, 1, 0};
        HostMatrix us = u0.copy();
        for (int c = 0; c < 4; c++) {
            for (int r = 0; r < 30; r++) {
                us.set(r, c, us.get(r, c) * sigma[c]);
            }
        }
        HostMatrix a = us.multiply(v0.transpose());
        for (HostMatrix m : new HostMatrix[] {a, a.transpose()}) {
            SvdDecomposition svd = SvdDecomposition.of(m);
            double[] s = svd.singularValues();
            for (int i = 0; i < 4; i++) {
                assertEquals(sigma[i], s[i], 1e-10);
            }
            HostMatrix us2 = svd.u().copy();
            for (int c = 0; c < s.length; c++) {
                for (int r = 0; r < us2.rows(); r++) {
                    us2.set(r, c, us2.get(r, c) * s[c]);
                }
            }
            assertTrue(us2.multiply(svd.vt()).minus(m).frobeniusNorm() < 1e-10);
            assertTrue(orthogonalityError(svd.u()) < 1e-10);
            assertTrue(orthogonalityError(svd.vt().transpose()) < 1e-10);
        }
    }

    @Test
    void randomizedSvdRecoversAPlantedSubspace() {
        int m = 300;
        int n = 200;
        int k = 8;
        // Planted rank-8 signal with geometric spectrum plus small noise.
        HostMatrix u0 = QrDecomposition.of(random(m, k, 11)).q();
        HostMatrix v0 = QrDecomposition.of(random(n, k, 12)).q();
        HostMatrix scaled = u0.copy();
        for (int c = 0; c < k; c++) {
            for (int r = 0; r < m; r++) {
                scaled.set(r, c, scaled.get(r, c) * (10.0 * Math.pow(0.8, c)));
            }
        }
        HostMatrix noise = random(m, n, 13);
        HostMatrix planted = scaled.multiply(v0.transpose());
        HostMatrix a = new HostMatrix(m, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                a.set(i, j, planted.get(i, j) + 1e-3 * noise.get(i, j));
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray g = a.toNDArray(manager, DataType.FLOAT32);
            TruncatedSvd svd = RandomizedSvd.compute(g, 4 * k, RandomizedSvd.DEFAULT_POWER_ITERATIONS, 7, manager);
            assertEquals(4 * k, svd.rank());
            HostMatrix u = HostMatrix.fromNDArray(svd.u()).columns(0, k);
            HostMatrix v = HostMatrix.fromNDArray(svd.vt()).transpose().columns(0, k);
            assertTrue(subspaceSimilarity(u, u0) > 0.9999, "U subspace");
            assertTrue(subspaceSimilarity(v, v0) > 0.9999, "V subspace");
            assertTrue(orthogonalityError(HostMatrix.fromNDArray(svd.u())) < 1e-4);
            for (int c = 0; c < k; c++) {
                // noise of spectral norm ~0.03 shifts each singular value by about noise²/σ
                assertEquals(10.0 * Math.pow(0.8, c), svd.singularValues()[c], 5e-3);
            }
            // Descending and the input untouched.
            for (int c = 1; c < svd.rank(); c++) {
                assertTrue(svd.singularValues()[c] <= svd.singularValues()[c - 1]);
            }
            assertEquals(manager, g.getManager());
            assertTrue(HostMatrix.fromNDArray(g).minus(a).frobeniusNorm() < 1e-3);
        }
    }

    @Test
    void randomizedSvdWithFullSketchIsExact() {
        HostMatrix a = random(20, 6, 5);
        try (NDManager manager = NDManager.newBaseManager()) {
            TruncatedSvd svd = RandomizedSvd.compute(a.toNDArray(manager, DataType.FLOAT32), 100, 0, 1, manager);
            assertEquals(6, svd.rank());
            double[] exact = SvdDecomposition.of(a).singularValues();
            for (int i = 0; i < 6; i++) {
                assertEquals(exact[i], svd.singularValues()[i], 1e-4 * exact[0]);
            }
        }
    }

    /** ||U1ᵀ·U2||_F² / k: 1 when the two k-dim subspaces coincide. */
    static double subspaceSimilarity(HostMatrix u1, HostMatrix u2) {
        double f = u1.transpose().multiply(u2).frobeniusNorm();
        return f * f / u1.cols();
    }
}
