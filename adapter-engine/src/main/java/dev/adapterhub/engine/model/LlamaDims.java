package dev.adapterhub.engine.model;

/**
 * The numbers the forward pass needs, taken from a HF Llama {@code config.json}.
 *
 * @param vocabSize          rows of {@code model.embed_tokens.weight}
 * @param hiddenSize         model width
 * @param intermediateSize   SwiGLU inner width
 * @param numLayers          decoder layers
 * @param numHeads           query heads
 * @param numKvHeads         key/value heads (grouped-query attention when smaller than {@code numHeads})
 * @param headDim            per-head width (hidden / heads unless the config says otherwise)
 * @param ropeTheta          rotary base
 * @param rmsNormEps         RMSNorm epsilon
 * @param tieWordEmbeddings  lm_head shares the embedding matrix
 * @param maxPositions       max_position_embeddings (informational; rotary has no table)
 */
public record LlamaDims(int vocabSize, int hiddenSize, int intermediateSize, int numLayers, int numHeads,
                        int numKvHeads, int headDim, double ropeTheta, double rmsNormEps,
                        boolean tieWordEmbeddings, int maxPositions) {

    public LlamaDims {
        if (numHeads <= 0 || numKvHeads <= 0 || numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads must be a multiple of num_key_value_heads");
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim must be even for rotary embeddings");
        }
    }

    public int qOut() {
        return numHeads * headDim;
    }

    public int kvOut() {
        return numKvHeads * headDim;
    }
}
