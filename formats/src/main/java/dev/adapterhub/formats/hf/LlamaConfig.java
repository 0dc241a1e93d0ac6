package dev.adapterhub.formats.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.adapterhub.formats.Json;
import dev.adapterhub.formats.JsonFields;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The part of a HF {@code config.json} that a Llama-family decoder needs, plus every other field kept verbatim
 * in {@link #extra()} (e.g. {@code rope_scaling}, {@code hidden_act}, token ids) so that {@link #toJson()}
 * writes back what was read.
 *
 * <p>Only {@code model_type} "llama" and "mistral" are accepted (same tensor layout). Defaults follow
 * transformers' {@code LlamaConfig}: {@code num_key_value_heads} = heads, {@code head_dim} = hidden / heads,
 * {@code rope_theta} 10000, {@code rms_norm_eps} 1e-6, {@code max_position_embeddings} 2048,
 * {@code tie_word_embeddings} false. Newer transformers write {@code dtype} instead of {@code torch_dtype} and
 * may nest {@code rope_theta} in {@code rope_parameters}; both are read.
 */
public record LlamaConfig(
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int headDim,
        int vocabSize,
        double rmsNormEps,
        double ropeTheta,
        int maxPositionEmbeddings,
        boolean tieWordEmbeddings,
        String modelType,
        List<String> architectures,
        String torchDtype,
        boolean attentionBias,
        boolean mlpBias,
        Map<String, JsonNode> extra) {

    /** The accepted {@code model_type} values. */
    public static final Set<String> SUPPORTED_MODEL_TYPES = Set.of("llama", "mistral");

    public static final String FILE_NAME = "config.json";

    private static final Set<String> KNOWN = Set.of("hidden_size", "intermediate_size", "num_hidden_layers",
            "num_attention_heads", "num_key_value_heads", "head_dim", "vocab_size", "rms_norm_eps", "rope_theta",
            "max_position_embeddings", "tie_word_embeddings", "model_type", "architectures", "torch_dtype",
            "dtype", "attention_bias", "mlp_bias");

    public LlamaConfig {
        architectures = architectures == null ? List.of() : List.copyOf(architectures);
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra == null ? Map.of() : extra));
        if (!SUPPORTED_MODEL_TYPES.contains(modelType)) {
            throw new InvalidModelException("config.json: model_type \"" + modelType
                    + "\" is not supported; supported: llama, mistral");
        }
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", intermediateSize);
        positive("num_hidden_layers", numHiddenLayers);
        positive("num_attention_heads", numAttentionHeads);
        positive("num_key_value_heads", numKeyValueHeads);
        positive("head_dim", headDim);
        positive("vocab_size", vocabSize);
        positive("max_position_embeddings", maxPositionEmbeddings);
        if (numAttentionHeads % numKeyValueHeads != 0) {
            throw new InvalidModelException("config.json: num_attention_heads (" + numAttentionHeads
                    + ") must be a multiple of num_key_value_heads (" + numKeyValueHeads + ")");
        }
        if (headDim % 2 != 0) {
            throw new InvalidModelException("config.json: head_dim (" + headDim + ") must be even for rotary "
                    + "position embeddings");
        }
        if (!(rmsNormEps > 0) || !Double.isFinite(rmsNormEps)) {
            throw new InvalidModelException("config.json: rms_norm_eps must be a positive number");
        }
        if (!(ropeTheta > 0) || !Double.isFinite(ropeTheta)) {
            throw new InvalidModelException("config.json: rope_theta must be a positive number");
        }
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new InvalidModelException("config.json: " + field + " must be a positive integer, got " + value);
        }
    }

    /**
     * A Llama config with defaults for everything but the sizes, e.g. for tiny test models.
     * head_dim = hidden / heads; F32; untied embeddings; rope_theta 10000; eps 1e-6; 2048 positions.
     */
    public static LlamaConfig of(int hiddenSize, int intermediateSize, int numHiddenLayers, int numAttentionHeads,
                                 int numKeyValueHeads, int vocabSize) {
        if (hiddenSize % numAttentionHeads != 0) {
            throw new InvalidModelException("config.json: hidden_size (" + hiddenSize
                    + ") must be divisible by num_attention_heads (" + numAttentionHeads + ")");
        }
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        extra.put("hidden_act", Json.MAPPER.getNodeFactory().textNode("silu"));
        return new LlamaConfig(hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads, numKeyValueHeads,
                hiddenSize / numAttentionHeads, vocabSize, 1e-6, 10000.0, 2048, false, "llama",
                List.of("LlamaForCausalLM"), "float32", false, false, extra);
    }

    /** Reads {@code config.json} from a file (or from a model directory containing one). */
    public static LlamaConfig read(Path fileOrDirectory) throws IOException {
        Path file = Files.isDirectory(fileOrDirectory) ? fileOrDirectory.resolve(FILE_NAME) : fileOrDirectory;
        if (!Files.exists(file)) {
            throw new InvalidModelException("model has no config.json");
        }
        return parse(Files.readAllBytes(file));
    }

    /** Parses config.json text. */
    public static LlamaConfig parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses config.json bytes. */
    public static LlamaConfig parse(byte[] json) {
        return fromJson(Json.parse(json, FILE_NAME, InvalidModelException::new));
    }

    /** Builds a config from a parsed config.json object. */
    public static LlamaConfig fromJson(JsonNode root) {
        JsonFields f = new JsonFields(root, FILE_NAME, InvalidModelException::new);
        String modelType = f.string("model_type", null);
        if (modelType == null) {
            throw new InvalidModelException("config.json: \"model_type\" is required (supported: llama, mistral)");
        }
        if (!SUPPORTED_MODEL_TYPES.contains(modelType)) {
            throw new InvalidModelException("config.json: model_type \"" + modelType
                    + "\" is not supported; supported: llama, mistral");
        }
        int hidden = f.integer("hidden_size", null);
        int heads = f.integer("num_attention_heads", null);
        int kvHeads = f.integer("num_key_value_heads", heads);
        Integer headDim = f.has("head_dim") ? f.integer("head_dim", null) : null;
        if (headDim == null) {
            if (heads < 1 || hidden % heads != 0) {
                throw new InvalidModelException("config.json: hidden_size (" + hidden
                        + ") must be divisible by num_attention_heads (" + heads + ") when head_dim is absent");
            }
            headDim = hidden / heads;
        }
        double ropeTheta;
        if (f.has("rope_theta")) {
            ropeTheta = f.number("rope_theta", null);
        } else {
            JsonNode params = f.get("rope_parameters");
            JsonNode nested = params == null ? null : params.get("rope_theta");
            ropeTheta = nested != null && nested.isNumber() ? nested.doubleValue() : 10000.0;
        }
        String dtype = f.string("torch_dtype", null);
        if (dtype == null) {
            dtype = f.string("dtype", null);
        }
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        root.fields().forEachRemaining(e -> {
            if (!KNOWN.contains(e.getKey())) {
                extra.put(e.getKey(), e.getValue());
            }
        });
        return new LlamaConfig(
                hidden,
                f.integer("intermediate_size", null),
                f.integer("num_hidden_layers", null),
                heads,
                kvHeads,
                headDim,
                f.integer("vocab_size", null),
                f.number("rms_norm_eps", 1e-6),
                ropeTheta,
                f.integer("max_position_embeddings", 2048),
                f.bool("tie_word_embeddings", false),
                modelType,
                f.strings("architectures", false),
                dtype,
                f.bool("attention_bias", false),
                f.bool("mlp_bias", false),
                extra);
    }

    /** A field that this record does not model, as written in the config (e.g. "rope_scaling"). */
    public Optional<JsonNode> extra(String field) {
        JsonNode n = extra.get(field);
        return n == null || n.isNull() ? Optional.empty() : Optional.of(n);
    }

    /** {@code hidden_act}, "silu" when absent. */
    public String hiddenAct() {
        return extra("hidden_act").map(JsonNode::asText).orElse("silu");
    }

    /** Output features of the k/v projections ({@code num_key_value_heads * head_dim}). */
    public int kvDim() {
        return numKeyValueHeads * headDim;
    }

    /** Output features of the q projection ({@code num_attention_heads * head_dim}). */
    public int qDim() {
        return numAttentionHeads * headDim;
    }

    /** The config as a JSON object (HF field names). */
    public ObjectNode toJsonNode() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        extra.forEach(o::set);
        ArrayNode arch = o.putArray("architectures");
        architectures.forEach(arch::add);
        o.put("model_type", modelType);
        o.put("hidden_size", hiddenSize);
        o.put("intermediate_size", intermediateSize);
        o.put("num_hidden_layers", numHiddenLayers);
        o.put("num_attention_heads", numAttentionHeads);
        o.put("num_key_value_heads", numKeyValueHeads);
        o.put("head_dim", headDim);
        o.put("vocab_size", vocabSize);
        o.put("rms_norm_eps", rmsNormEps);
        o.put("rope_theta", ropeTheta);
        o.put("max_position_embeddings", maxPositionEmbeddings);
        o.put("tie_word_embeddings", tieWordEmbeddings);
        o.put("attention_bias", attentionBias);
        o.put("mlp_bias", mlpBias);
        if (torchDtype != null) {
            o.put("torch_dtype", torchDtype);
        }
        return o;
    }

    /** HF-compatible config.json text (sorted keys, 2-space indent, deterministic). */
    public String toJson() {
        return Json.pretty(toJsonNode());
    }

    /** Writes config.json text to {@code file}. */
    public void write(Path file) throws IOException {
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    }
}
