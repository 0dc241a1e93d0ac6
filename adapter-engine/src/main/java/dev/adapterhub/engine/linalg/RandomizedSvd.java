package dev.adapterhub.engine.linalg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/**
 * Randomized truncated SVD (Halko, Martinsson, Tropp 2011) of an fp32 matrix held in DJL, as methods.md
 * prescribes for LoRA-GA / LoRA-SB: a Gaussian sketch with q columns, power iterations with
 * re-orthonormalization, then an exact SVD of the small q×n core. The O(m·n·q) products run in DJL; the
 * O(m·q²) factorizations run in fp64 on the heap ({@link QrDecomposition}, {@link SvdDecomposition}) because
 * the NDArray API has none.
 */
public final class RandomizedSvd {

    /** Power iterations used by LoRA-GA's reference code. */
    public static final int DEFAULT_POWER_ITERATIONS = 4;

    private RandomizedSvd() {
    }

    /**
     * The top {@code min(columns, m, n)} singular triplets of {@code g}.
     *
     * @param g          a 2-D matrix [m, n]; read only
     * @param columns    sketch width q (LoRA-GA: 4·r, to get 2·r accurate components)
     * @param iterations power iterations
     * @param seed       seed of the Gaussian sketch, so a job's initialization is reproducible
     * @param manager    where the returned arrays live (its device; the products run on {@code g}'s)
     */
    public static TruncatedSvd compute(NDArray g, int columns, int iterations, long seed, NDManager manager) {
        Shape shape = g.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("expected a matrix, got shape " + shape);
        }
        int m = Math.toIntExact(shape.get(0));
        int n = Math.toIntExact(shape.get(1));
        int q = Math.min(columns, Math.min(m, n));
        if (q < 1) {
            throw new IllegalArgumentException("sketch width must be positive, got " + columns);
        }
        // Every array of the products is created on g's device, whatever the caller's manager is on: LoRA-GA hands
        // in host gradients with a manager on the GPU (the sketch was created on cuda:0 and met g on the CPU).
        try (NDManager work = manager.newSubManager(g.getDevice())) {
            // Results of ops land on the first operand's manager: lend g to the work manager for the duration
            // (it returns to its owner when work closes) so no temporaries leak into the caller's manager.
            g.tempAttach(work);
            NDArray a = g.getDataType() == DataType.FLOAT32 ? g : g.toType(DataType.FLOAT32, true);
            Random random = new Random(seed);
            float[] omega = new float[n * q];
            for (int i = 0; i < omega.length; i++) {
                omega[i] = (float) random.nextGaussian();
            }
            NDArray sketch = work.create(omega, new Shape(n, q));
            NDArray y = a.matMul(sketch); // [m, q]
            HostMatrix basis = orthonormalize(y);
            for (int it = 0; it < iterations; it++) {
                NDArray qArray = basis.toNDArray(work, DataType.FLOAT32); // [m, q]
                NDArray z = a.transpose().matMul(qArray); // Aᵀ·Q [n, q]
                NDArray zBasis = orthonormalize(z).toNDArray(work, DataType.FLOAT32);
                basis = orthonormalize(a.matMul(zBasis)); // A·Qz [m, q]
            }
            NDArray qArray = basis.toNDArray(work, DataType.FLOAT32);
            HostMatrix core = HostMatrix.fromNDArray(a.transpose().matMul(qArray)).transpose(); // Qᵀ·A [q, n]
            SvdDecomposition svd = SvdDecomposition.of(core);
            HostMatrix u = basis.multiply(svd.u()); // [m, q]
            NDArray uArray = u.toNDArray(manager, DataType.FLOAT32);
            NDArray vtArray = svd.vt().toNDArray(manager, DataType.FLOAT32);
            return new TruncatedSvd(uArray, svd.singularValues(), vtArray);
        }
    }

    private static HostMatrix orthonormalize(NDArray tall) {
        return QrDecomposition.of(HostMatrix.fromNDArray(tall)).q();
    }
}
