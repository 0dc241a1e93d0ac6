package dev.adapterhub.engine.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.adapterhub.formats.hf.LlamaConfig;
import dev.adapterhub.formats.safetensors.DType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shape and randomness of a generated Llama checkpoint.
 *
 * @param layers        decoder layers
 * @param hidden        model width (divisible by heads)
 * @param intermediate  SwiGLU width
 * @param heads         query heads
 * @param kvHeads       key/value heads (divides heads)
 * @param vocab         vocabulary size; at least {@link ByteLevelTokenizerJson#VOCAB_SIZE}
 *                      when a tokenizer is written
 * @param maxPositions  max_position_embeddings
 * @param ropeTheta     rotary base
 * @param rmsNormEps    RMSNorm epsilon
 * @param tieEmbeddings lm_head shares the embedding matrix (no lm_head.weight tensor)
 * @param seed          all weights derive from it (per tensor, independent of order and sharding)
 * @param dtype         file dtype: F32, F16 or BF16
 * @param initStd       standard deviation of the Gaussian weights (norm weights are 1 + N(0, 0.1))
 * @param shards        1 = single model.safetensors; more = model-0000i-of-0000n.safetensors + index
 */
public record TinyLlamaSpec(int layers, int hidden, int intermediate, int heads, int kvHeads, int vocab,
                            int maxPositions, double ropeTheta, double rmsNormEps, boolean tieEmbeddings,
                            long seed, DType dtype, double initStd, int shards) {

    public TinyLlamaSpec {
        if (layers < 1 || hidden < 2 || intermediate < 1 || heads < 1 || kvHeads < 1 || vocab < 1 || shards < 1) {
            throw new IllegalArgumentException("all sizes must be positive");
        }
        if (hidden % heads != 0 || heads % kvHeads != 0 || (hidden / heads) % 2 != 0) {
            throw new IllegalArgumentException("hidden must be heads x even head_dim and heads a multiple of kv_heads");
        }
        if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
            throw new IllegalArgumentException("dtype must be F32, F16 or BF16");
        }
    }

    /** 2 layers, width 64, 4 heads / 2 kv heads, vocab 259 (the byte-level tokenizer), F32, seed 0. */
    public static TinyLlamaSpec tiny() {
        return new TinyLlamaSpec(2, 64, 128, 4, 2, 259, 512, 10000.0, 1e-5, false, 0L, DType.F32, 0.05, 1);
    }

    public TinyLlamaSpec withSeed(long s) {
        return new TinyLlamaSpec(layers, hidden, intermediate, heads, kvHeads, vocab, maxPositions, ropeTheta,
                rmsNormEps, tieEmbeddings, s, dtype, initStd, shards);
    }

    public TinyLlamaSpec withDtype(DType d) {
        return new TinyLlamaSpec(layers, hidden, intermediate, heads, kvHeads, vocab, maxPositions, ropeTheta,
                rmsNormEps, tieEmbeddings, seed, d, initStd, shards);
    }

    public TinyLlamaSpec withShards(int n) {
        return new TinyLlamaSpec(layers, hidden, intermediate, heads, kvHeads, vocab, maxPositions, ropeTheta,
                rmsNormEps, tieEmbeddings, seed, dtype, initStd, n);
    }

    public TinyLlamaSpec withTiedEmbeddings(boolean tie) {
        return new TinyLlamaSpec(layers, hidden, intermediate, heads, kvHeads, vocab, maxPositions, ropeTheta,
                rmsNormEps, tie, seed, dtype, initStd, shards);
    }

    public TinyLlamaSpec withSize(int layerCount, int width, int inner, int headCount, int kvHeadCount, int vocabSize) {
        return new TinyLlamaSpec(layerCount, width, inner, headCount, kvHeadCount, vocabSize, maxPositions, ropeTheta,
                rmsNormEps, tieEmbeddings, seed, dtype, initStd, shards);
    }

    /**
     * The HF {@code config.json} of this checkpoint: the sizes plus what transformers writes for a Llama
     * ({@code hidden_act} silu, no rope scaling, the byte-level tokenizer's special ids, {@code torch_dtype}).
     */
    public LlamaConfig config() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        extra.put("hidden_act", f.textNode("silu"));
        extra.put("rope_scaling", f.nullNode());
        extra.put("bos_token_id", f.numberNode(ByteLevelTokenizerJson.BOS_ID));
        extra.put("eos_token_id", f.numberNode(ByteLevelTokenizerJson.EOS_ID));
        extra.put("pad_token_id", f.numberNode(ByteLevelTokenizerJson.PAD_ID));
        extra.put("initializer_range", f.numberNode(0.02));
        extra.put("use_cache", f.booleanNode(true));
        String torchDtype = switch (dtype) {
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            default -> "float32";
        };
        return new LlamaConfig(hidden, intermediate, layers, heads, kvHeads, hidden / heads, vocab, rmsNormEps,
                ropeTheta, maxPositions, tieEmbeddings, "llama", List.of("LlamaForCausalLM"), torchDtype, false, false,
                extra);
    }
}
