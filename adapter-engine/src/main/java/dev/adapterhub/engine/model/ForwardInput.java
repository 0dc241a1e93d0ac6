package dev.adapterhub.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Arguments of {@link LlamaModel#forward(ForwardInput)}.
 *
 * @param inputIds      int64 [B, T]
 * @param positions     int64 [B, T] rotary positions, or null for {@code cache.length() + 0..T-1}
 * @param attentionMask int64 [B, S_total] over cached + new keys (1 = real token), or null for all real
 * @param cache         KV cache to read and extend, or null
 * @param rowAdapters   adapter name per row (null entries = base), or null for "all active adapters, all rows"
 * @param lastTokenOnly compute logits only for the last position ([B, 1, V])
 * @param rowDelta      optional batched per-row delta added by every linear (serving), or null
 * @param computeType   dtype of the activations, or null for the model's. Training on a half-precision base
 *                      computes in FLOAT32: DJL's dtype casts run without autograd, so activations must not change
 *                      dtype between layers; each linear casts its (frozen) weight instead.
 */
public record ForwardInput(NDArray inputIds, NDArray positions, NDArray attentionMask, KvCache cache,
                           String[] rowAdapters, boolean lastTokenOnly, RowDelta rowDelta, DataType computeType) {

    public static Builder builder(NDArray inputIds) {
        return new Builder(inputIds);
    }

    /** Fluent builder; only {@code inputIds} is required. */
    public static final class Builder {
        private final NDArray inputIds;
        private NDArray positions;
        private NDArray attentionMask;
        private KvCache cache;
        private String[] rowAdapters;
        private boolean lastTokenOnly;
        private RowDelta rowDelta;
        private DataType computeType;

        private Builder(NDArray inputIds) {
            this.inputIds = inputIds;
        }

        public Builder positions(NDArray v) {
            positions = v;
            return this;
        }

        public Builder attentionMask(NDArray v) {
            attentionMask = v;
            return this;
        }

        public Builder cache(KvCache v) {
            cache = v;
            return this;
        }

        public Builder rowAdapters(String[] v) {
            rowAdapters = v;
            return this;
        }

        public Builder lastTokenOnly(boolean v) {
            lastTokenOnly = v;
            return this;
        }

        public Builder rowDelta(RowDelta v) {
            rowDelta = v;
            return this;
        }

        public Builder computeType(DataType v) {
            computeType = v;
            return this;
        }

        public ForwardInput build() {
            return new ForwardInput(inputIds, positions, attentionMask, cache, rowAdapters, lastTokenOnly, rowDelta,
                    computeType);
        }
    }
}
