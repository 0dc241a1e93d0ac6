package dev.adapterhub.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import dev.adapterhub.engine.model.TorchScript;

import java.util.List;

/**
 * {@link AdamW}'s whole update as one TorchScript call: read every parameter's gradient, flatten, clip the global
 * norm, update the flat moments, apply each parameter's slice (foreach ops) and zero the gradients. The same
 * arithmetic as the Java path ({@link FlatGradients}, {@link AdamW#step}), which costs about six DJL calls per
 * parameter (gradient handle, reshape, slice, view, subtract, zero): on a GPU each is a JNI round trip plus a
 * kernel launch, here the interpreter issues them natively and foreach ops batch the per-parameter ones.
 */
final class ScriptedAdamW implements AutoCloseable {

    private final PtSymbolBlock module;

    private ScriptedAdamW(PtSymbolBlock module) {
        this.module = module;
    }

    /** Compiles the update onto {@code manager}'s device. */
    static ScriptedAdamW compile(NDManager manager) {
        return new ScriptedAdamW(TorchScript.load(manager, "Update", SOURCE));
    }

    /**
     * One update of {@code params} from their gradients, which it zeroes; returns the gradients' global norm before
     * clipping.
     *
     * @param first      the flat first moment, updated in place
     * @param second     the flat second moment, updated in place
     * @param stepSize   lr / (1 - beta1^t)
     * @param sqrtSecondCorrection sqrt(1 - beta2^t)
     * @param maxGradNorm clip to this global norm; off when {@code <= 0}
     */
    double update(List<NDArray> params, NDArray first, NDArray second, double lr, double stepSize, double beta1,
                  double beta2, double epsilon, double weightDecay, double sqrtSecondCorrection, double maxGradNorm) {
        IValue[] in = {
            IValue.listFrom(params.stream().map(p -> (PtNDArray) p).toArray(PtNDArray[]::new)),
            IValue.from((PtNDArray) first), IValue.from((PtNDArray) second),
            IValue.listFrom(lr, stepSize, beta1, beta2, epsilon, weightDecay, sqrtSecondCorrection, maxGradNorm)};
        try (IValue out = TorchScript.unoptimized(() -> IValueUtils.forward(module, in))) {
            return out.toDouble();
        } finally {
            for (IValue v : in) {
                v.close();
            }
        }
    }

    @Override
    public void close() {
        module.close();
    }

    // Runs under DJL's InferenceMode (no autograd): in-place updates of leaf parameters are legal there.
    private static final String SOURCE = String.join("\n",
            "class Update(Module):",
            "  __parameters__ = []",
            "  __buffers__ = []",
            "  training : bool",
            "  def forward(self: __torch__.Update, params: List[Tensor], m: Tensor, v: Tensor, h: List[float])"
                    + " -> float:",
            "    lr = h[0]",
            "    step_size = h[1]",
            "    b1 = h[2]",
            "    b2 = h[3]",
            "    eps = h[4]",
            "    wd = h[5]",
            "    sqrt_c2 = h[6]",
            "    max_norm = h[7]",
            "    grads: List[Tensor] = []",
            "    rows: List[Tensor] = []",
            "    for p in params:",
            "      g = p.grad",
            "      if g is None:",
            "        raise RuntimeError(\"a trainable parameter has no gradient\")",
            "      grads.append(g)",
            "      rows.append(g.reshape(-1).float())",
            "    flat = torch.cat(rows)",
            // the norm in F64 from the F32 sum of squares, as FlatGradients.norm; no host sync until the end
            "    norm = torch.sqrt(torch.sum(torch.square(flat)).double())",
            "    if max_norm > 0.0:",
            "      clip = torch.logical_and(torch.isfinite(norm), torch.gt(norm, max_norm))",
            "      coef = torch.where(clip, torch.full_like(norm, max_norm) / (norm + 1e-6), torch.ones_like(norm))",
            "      flat = flat * coef.float()",
            "    m.mul_(b1).add_(flat * (1.0 - b1))",
            "    v.mul_(b2).add_(torch.square(flat) * (1.0 - b2))",
            "    denom = torch.sqrt(v).div_(sqrt_c2).add_(eps)",
            "    update = m.div(denom).mul_(step_size)",
            "    pieces: List[Tensor] = []",
            "    offset = 0",
            "    for p in params:",
            "      n = p.numel()",
            "      pieces.append(update[offset:offset + n].view(p.shape))",
            "      offset = offset + n",
            "    if wd > 0.0:",
            "      torch._foreach_mul_(params, 1.0 - lr * wd)",
            "    torch._foreach_sub_(params, pieces)",
            // not torch._foreach_zero_(grads): in a script it leaves the gradients as they were (TrainingPiecesTest)
            "    for g in grads:",
            "      g.zero_()",
            "    return float(norm)",
            "");
}
