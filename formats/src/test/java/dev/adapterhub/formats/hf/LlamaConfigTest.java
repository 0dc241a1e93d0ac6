package dev.adapterhub.formats.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LlamaConfigTest {

    /** TinyLlama-1.1B's config.json, verbatim apart from whitespace. */
    static final String TINYLLAMA = """
            {
              "architectures": ["LlamaForCausalLM"],
              "attention_bias": false,
              "bos_token_id": 1,
              "eos_token_id": 2,
              "hidden_act": "silu",
              "hidden_size": 2048,
              "initializer_range": 0.02,
              "intermediate_size": 5632,
              "max_position_embeddings": 2048,
              "model_type": "llama",
              "num_attention_heads": 32,
              "num_hidden_layers": 22,
              "num_key_value_heads": 4,
              "pretraining_tp": 1,
              "rms_norm_eps": 1e-05,
              "rope_scaling": null,
              "rope_theta": 10000.0,
              "tie_word_embeddings": false,
              "torch_dtype": "bfloat16",
              "transformers_version": "4.35.0",
              "use_cache": true,
              "vocab_size": 32000
            }
            """;

    @Test
    void parsesRealConfig() {
        LlamaConfig c = LlamaConfig.parse(TINYLLAMA);
        assertEquals(2048, c.hiddenSize());
        assertEquals(5632, c.intermediateSize());
        assertEquals(22, c.numHiddenLayers());
        assertEquals(32, c.numAttentionHeads());
        assertEquals(4, c.numKeyValueHeads());
        assertEquals(64, c.headDim());
        assertEquals(32000, c.vocabSize());
        assertEquals(1e-5, c.rmsNormEps());
        assertEquals(10000.0, c.ropeTheta());
        assertEquals(2048, c.maxPositionEmbeddings());
        assertEquals("llama", c.modelType());
        assertEquals(List.of("LlamaForCausalLM"), c.architectures());
        assertEquals("bfloat16", c.torchDtype());
        assertEquals("silu", c.hiddenAct());
        assertEquals(256, c.kvDim());
        assertEquals(1, c.extra("bos_token_id").orElseThrow().intValue());
        assertTrue(c.extra("rope_scaling").isEmpty());
    }

    @Test
    void toJsonRoundTripsIncludingUnknownFields() {
        LlamaConfig c = LlamaConfig.parse(TINYLLAMA);
        String json = c.toJson();
        assertTrue(json.contains("\"transformers_version\" : \"4.35.0\"") || json.contains("\"transformers_version\": \"4.35.0\""), json);
        assertEquals(c, LlamaConfig.parse(json));
        assertEquals(json, LlamaConfig.parse(json).toJson());
        LlamaConfig tiny = LlamaConfig.of(16, 32, 2, 4, 2, 50);
        assertEquals(tiny, LlamaConfig.parse(tiny.toJson()));
    }

    @Test
    void defaults() {
        LlamaConfig c = LlamaConfig.parse("""
                {"model_type": "mistral", "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
                 "num_attention_heads": 8, "vocab_size": 100}""");
        assertEquals(8, c.numKeyValueHeads());
        assertEquals(8, c.headDim());
        assertEquals(10000.0, c.ropeTheta());
        assertEquals(false, c.tieWordEmbeddings());
        LlamaConfig v5 = LlamaConfig.parse("""
                {"model_type": "llama", "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
                 "num_attention_heads": 8, "head_dim": 16, "vocab_size": 100, "dtype": "float32",
                 "rope_parameters": {"rope_theta": 500000.0, "rope_type": "default"}}""");
        assertEquals(16, v5.headDim());
        assertEquals(500000.0, v5.ropeTheta());
        assertEquals("float32", v5.torchDtype());
    }

    @Test
    void rejectsOtherArchitecturesAndBadValues() {
        String msg = assertThrows(InvalidModelException.class, () -> LlamaConfig.parse(
                "{\"model_type\": \"gpt2\", \"n_embd\": 768}")).getMessage();
        assertTrue(msg.contains("model_type \"gpt2\" is not supported"), msg);
        msg = assertThrows(InvalidModelException.class, () -> LlamaConfig.parse("{\"hidden_size\": 8}"))
                .getMessage();
        assertTrue(msg.contains("model_type"), msg);
        msg = assertThrows(InvalidModelException.class, () -> LlamaConfig.parse(
                TINYLLAMA.replace("\"num_key_value_heads\": 4", "\"num_key_value_heads\": 5"))).getMessage();
        assertTrue(msg.contains("num_key_value_heads"), msg);
        msg = assertThrows(InvalidModelException.class, () -> LlamaConfig.parse(
                TINYLLAMA.replace("\"hidden_size\": 2048", "\"hidden_size\": \"big\""))).getMessage();
        assertTrue(msg.contains("\"hidden_size\" must be an integer"), msg);
        msg = assertThrows(InvalidModelException.class, () -> LlamaConfig.parse(
                TINYLLAMA.replace("\"vocab_size\": 32000", "\"vocab_size\": 0"))).getMessage();
        assertTrue(msg.contains("vocab_size"), msg);
        msg = assertThrows(InvalidModelException.class, () -> LlamaConfig.parse("{nope")).getMessage();
        assertTrue(msg.contains("config.json is not valid JSON"), msg);
    }
}
