package dev.adapterhub.engine.train;

import ai.djl.ndarray.NDArray;
import java.util.Collection;

/**
 * Global-norm clipping as torch.nn.utils.clip_grad_norm_: if the L2 norm over all gradients exceeds
 * {@code maxNorm}, every gradient is scaled by {@code maxNorm / (norm + 1e-6)}. (DJL's optimizers only clamp
 * element values.)
 */
public final class GradientClipping {

    private GradientClipping() {
    }

    /** The L2 norm over all arrays, accumulated in fp64. */
    public static double globalNorm(Collection<NDArray> grads) {
        double sum = 0;
        for (NDArray g : grads) {
            try (NDArray sq = g.square().sum()) {
                sum += sq.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
            }
        }
        return Math.sqrt(sum);
    }

    /**
     * Scales the gradients in place when their global norm is above {@code maxNorm}; returns the norm before
     * clipping. {@code maxNorm <= 0} disables clipping (the norm is still measured).
     */
    public static double clip(Collection<NDArray> grads, double maxNorm) {
        double norm = globalNorm(grads);
        if (maxNorm > 0 && norm > maxNorm && Double.isFinite(norm)) {
            double factor = maxNorm / (norm + 1e-6);
            for (NDArray g : grads) {
                g.muli(factor);
            }
        }
        return norm;
    }
}
