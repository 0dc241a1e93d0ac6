package dev.adapterhub.engine.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.adapterhub.engine.model.LlamaDims;
import dev.adapterhub.formats.hf.LlamaConfig;
import dev.adapterhub.formats.safetensors.DType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** HF {@code config.json} of a Llama model, through the formats module's {@link LlamaConfig}. */
public final class HfConfigJson {

    private HfConfigJson() {
    }

    /** Reads the dimensions of a Llama-family {@code config.json} (file or model directory). */
    public static LlamaDims read(Path configJson) throws IOException {
        return dims(LlamaConfig.read(configJson));
    }

    /** The forward-pass numbers of a config; refuses what the engine's forward does not implement. */
    public static LlamaDims dims(LlamaConfig c) throws IOException {
        if (c.attentionBias() || c.mlpBias()) {
            throw new IOException("config.json: biased attention/MLP projections are not supported");
        }
        JsonNode scaling = c.extra("rope_scaling").orElse(null);
        if (scaling != null && !scaling.isNull()) {
            throw new IOException("config.json: rope_scaling is not supported");
        }
        String act = c.hiddenAct();
        if (act != null && !act.equals("silu")) {
            throw new IOException("config.json: hidden_act '" + act + "' is not supported (silu only)");
        }
        return new LlamaDims(c.vocabSize(), c.hiddenSize(), c.intermediateSize(), c.numHiddenLayers(),
                c.numAttentionHeads(), c.numKeyValueHeads(), c.headDim(), c.ropeTheta(), c.rmsNormEps(),
                c.tieWordEmbeddings(), c.maxPositionEmbeddings());
    }

    /** The HF config for these dimensions. */
    public static LlamaConfig config(LlamaDims d, DType dtype, int bosId, int eosId, int padId) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        extra.put("hidden_act", f.textNode("silu"));
        extra.put("rope_scaling", f.nullNode());
        extra.put("bos_token_id", f.numberNode(bosId));
        extra.put("eos_token_id", f.numberNode(eosId));
        extra.put("pad_token_id", f.numberNode(padId));
        extra.put("initializer_range", f.numberNode(0.02));
        extra.put("use_cache", f.booleanNode(true));
        String torchDtype = switch (dtype) {
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            default -> "float32";
        };
        return new LlamaConfig(d.hiddenSize(), d.intermediateSize(), d.numLayers(), d.numHeads(), d.numKvHeads(),
                d.headDim(), d.vocabSize(), d.rmsNormEps(), d.ropeTheta(), d.maxPositions(), d.tieWordEmbeddings(),
                "llama", List.of("LlamaForCausalLM"), torchDtype, false, false, extra);
    }

    /** Writes a HF-compatible {@code config.json} for these dimensions. */
    public static void write(Path configJson, LlamaDims d, DType dtype, int bosId, int eosId, int padId)
            throws IOException {
        config(d, dtype, bosId, eosId, padId).write(configJson);
    }
}
