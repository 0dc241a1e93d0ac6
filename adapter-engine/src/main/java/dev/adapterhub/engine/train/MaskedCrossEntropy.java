package dev.adapterhub.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Token cross-entropy over the masked positions only, computed from an fp32 log-softmax.
 * Written by hand because DJL's SoftmaxCrossEntropyLoss rejects [B, T, V] and its scalar arithmetic uses
 * {@code mul(Number)}, which corrupts gradients (djl-notes bugs 1 and 6): every scalar here is a 0-d array.
 */
public final class MaskedCrossEntropy {

    private MaskedCrossEntropy() {
    }

    /**
     * Sum over masked positions of −log p(target), divided by {@code normalizer}.
     *
     * @param logits     [B, T, V], any float type (upcast to fp32)
     * @param targets    [B, T] int64
     * @param mask       [B, T] float 0/1
     * @param normalizer usually the number of masked tokens of the whole (accumulated) batch
     * @return a 0-d fp32 array in the logits' manager
     */
    public static NDArray sum(NDArray logits, NDArray targets, NDArray mask, double normalizer) {
        NDArray nll = tokenNll(logits, targets);
        NDArray maskF = mask.toType(DataType.FLOAT32, false);
        NDArray total = nll.mul(maskF).sum();
        NDArray divisor = logits.getManager().full(new Shape(), (float) normalizer, DataType.FLOAT32);
        return total.div(divisor);
    }

    /** Mean over masked positions (0 when nothing is masked in). */
    public static NDArray mean(NDArray logits, NDArray targets, NDArray mask) {
        double count = mask.sum().getFloat();
        return sum(logits, targets, mask, Math.max(count, 1.0));
    }

    /** −log p(target) at every position, [B, T] fp32. */
    public static NDArray tokenNll(NDArray logits, NDArray targets) {
        NDArray logp = logits.toType(DataType.FLOAT32, false).logSoftmax(-1);
        NDArray index = targets.toType(DataType.INT64, false).expandDims(-1);
        return logp.gather(index, -1).squeeze(-1).neg();
    }
}
