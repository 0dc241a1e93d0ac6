package dev.adapterhub.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;

import java.util.List;

/**
 * Writes values at flat positions of several weights in one TorchScript call ({@code W_i.flat[idx_i] = v_i} for
 * every i): a whole SHiRA switch, every module of an adapter, instead of a reshape, an indexer and a scatter per
 * weight through DJL. On a GPU the scatters are microseconds each and the host's per-call cost is the switch.
 */
final class SparseScatter implements AutoCloseable {

    private static final String SOURCE = String.join("\n",
            "class Scatter(Module):",
            "  __parameters__ = []",
            "  __buffers__ = []",
            "  training : bool",
            "  def forward(self: __torch__.Scatter, weights: List[Tensor], indices: List[Tensor],",
            "      values: List[Tensor]) -> int:",
            "    for i in range(len(weights)):",
            "      flat = weights[i].view(-1)",
            "      flat.index_copy_(0, indices[i], values[i])",
            "    return len(weights)",
            "");

    private final PtSymbolBlock module;

    private SparseScatter(PtSymbolBlock module) {
        this.module = module;
    }

    static SparseScatter compile(NDManager manager) {
        return new SparseScatter(TorchScript.load(manager, "Scatter", SOURCE));
    }

    /** Same sizes; each index array int64 [K_i] on its weight's device, values [K_i] in its weight's dtype. */
    void scatter(List<NDArray> weights, List<NDArray> indices, List<NDArray> values) {
        IValue[] in = {list(weights), list(indices), list(values)};
        try {
            TorchScript.unoptimized(() -> IValueUtils.forward(module, in)).close();
        } finally {
            for (IValue v : in) {
                v.close();
            }
        }
    }

    private static IValue list(List<NDArray> arrays) {
        return IValue.listFrom(arrays.stream().map(a -> (PtNDArray) a).toArray(PtNDArray[]::new));
    }

    @Override
    public void close() {
        module.close();
    }
}
