package dev.adapterhub.formats.peft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adapterhub.formats.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeftConfigTest {

    /** adapter_config.json as PEFT 0.13 saves it. */
    static final String PEFT_LORA = """
            {
              "alpha_pattern": {},
              "auto_mapping": null,
              "base_model_name_or_path": "TinyLlama/TinyLlama-1.1B-Chat-v1.0",
              "bias": "none",
              "fan_in_fan_out": false,
              "inference_mode": true,
              "init_lora_weights": true,
              "layer_replication": null,
              "layers_pattern": null,
              "layers_to_transform": null,
              "loftq_config": {},
              "lora_alpha": 16,
              "lora_dropout": 0.05,
              "megatron_config": null,
              "megatron_core": "megatron.core",
              "modules_to_save": null,
              "peft_type": "LORA",
              "r": 8,
              "rank_pattern": {},
              "revision": null,
              "target_modules": ["v_proj", "q_proj"],
              "task_type": "CAUSAL_LM",
              "use_dora": false,
              "use_rslora": false
            }
            """;

    static final String PEFT_SHIRA = """
            {
              "base_model_name_or_path": "tiny",
              "fan_in_fan_out": false,
              "inference_mode": true,
              "init_weights": true,
              "mask_type": "random",
              "modules_to_save": null,
              "peft_type": "SHIRA",
              "r": 2,
              "random_seed": 42,
              "revision": null,
              "target_modules": ["q_proj", "down_proj"],
              "task_type": "CAUSAL_LM"
            }
            """;

    @Test
    void parsesPeftLoraConfig() {
        PeftConfig c = PeftConfig.parse(PEFT_LORA);
        assertEquals(PeftType.LORA, c.peftType());
        assertEquals(8, c.r());
        assertEquals(16.0, c.loraAlpha());
        assertEquals(TargetModules.of("v_proj", "q_proj"), c.targetModules());
        assertEquals(Boolean.TRUE, c.initLoraWeights());
        assertEquals("TinyLlama/TinyLlama-1.1B-Chat-v1.0", c.baseModelNameOrPath());
        assertEquals("CAUSAL_LM", c.taskType());
        assertEquals("none", c.bias());
        assertEquals(0.05, c.loraDropout());
        assertNull(c.modulesToSave());
        assertEquals(2.0, c.scaling("model.layers.0.self_attn.q_proj"));
        assertEquals("megatron.core", c.extra().get("megatron_core").textValue());
        assertTrue(c.extra().containsKey("use_dora"));
    }

    @Test
    void writeThenReadPreservesEveryField() {
        PeftConfig c = PeftConfig.parse(PEFT_LORA);
        JsonNode original = Json.parse(PEFT_LORA.getBytes(StandardCharsets.UTF_8), "x", IllegalStateFormat::new);
        JsonNode written = Json.parse(c.toJson().getBytes(StandardCharsets.UTF_8), "x", IllegalStateFormat::new);
        assertEquals(original, written);
        assertEquals(c, PeftConfig.parse(c.toJson()));
        assertTrue(c.toJson().startsWith("{\n  \"alpha_pattern\""), "sorted keys like PEFT");

        PeftConfig s = PeftConfig.parse(PEFT_SHIRA);
        assertEquals(PeftType.SHIRA, s.peftType());
        assertEquals("random", s.maskType());
        assertEquals(42L, s.randomSeed());
        assertEquals(1.0, s.scaling("model.layers.0.self_attn.q_proj"));
        assertEquals(Json.parse(PEFT_SHIRA.getBytes(StandardCharsets.UTF_8), "x", IllegalStateFormat::new),
                Json.parse(s.toJson().getBytes(StandardCharsets.UTF_8), "x", IllegalStateFormat::new));
    }

    static final class IllegalStateFormat extends dev.adapterhub.formats.FormatException {
        IllegalStateFormat(String m) {
            super(m);
        }
    }

    @Test
    void scalingHonorsRsLoraAndPatterns() {
        PeftConfig c = PeftConfig.lora(16, 32, TargetModules.allLinear()).toBuilder()
                .rankPattern(Map.of("model.layers.1.self_attn.q_proj", 4, "down_proj", 8))
                .alphaPattern(Map.of("v_proj", 8.0))
                .build();
        assertEquals(2.0, c.scaling("model.layers.0.self_attn.q_proj"));
        assertEquals(4, c.rank("model.layers.1.self_attn.q_proj"));
        assertEquals(8.0, c.scaling("model.layers.1.self_attn.q_proj"));
        assertEquals(16, c.rank("model.layers.1.self_attn.k_proj"));
        assertEquals(4.0, c.scaling("model.layers.0.mlp.down_proj"));
        assertEquals(0.5, c.scaling("model.layers.0.self_attn.v_proj"));
        assertEquals(16, c.rank("model.layers.0.mlp.xdown_proj"), "patterns start at a '.' boundary");

        PeftConfig rs = c.toBuilder().useRslora(true).build();
        assertEquals(32 / 4.0, rs.scaling("model.layers.0.self_attn.q_proj"));
        assertEquals(8 / Math.sqrt(16), rs.scaling("model.layers.0.self_attn.v_proj"));
        assertEquals(32 / 2.0, rs.scaling("model.layers.1.self_attn.q_proj"));
        // Written patterns survive a round trip.
        assertEquals(rs, PeftConfig.parse(rs.toJson()));
    }

    @Test
    void targetModulesForms() {
        assertEquals(TargetModules.Kind.ALL_LINEAR,
                PeftConfig.parse(PEFT_LORA.replace("[\"v_proj\", \"q_proj\"]", "\"all-linear\"")).targetModules().kind());
        PeftConfig regex = PeftConfig.parse(PEFT_LORA.replace("[\"v_proj\", \"q_proj\"]",
                "\".*layers\\\\.1\\\\..*_proj\""));
        assertEquals(TargetModules.Kind.REGEX, regex.targetModules().kind());
        assertTrue(regex.targetModules().matches("model.layers.1.mlp.up_proj"));
        assertTrue(!regex.targetModules().matches("model.layers.0.mlp.up_proj"));
        assertEquals(regex, PeftConfig.parse(regex.toJson()));
    }

    @Test
    void typeErrorsNameTheField() {
        String msg = assertThrows(InvalidAdapterException.class,
                () -> PeftConfig.parse(PEFT_LORA.replace("\"r\": 8", "\"r\": \"eight\""))).getMessage();
        assertTrue(msg.contains("\"r\" must be an integer"), msg);
        msg = assertThrows(InvalidAdapterException.class,
                () -> PeftConfig.parse(PEFT_LORA.replace("\"LORA\"", "\"IA3\""))).getMessage();
        assertTrue(msg.contains("peft_type \"IA3\" is not supported"), msg);
        msg = assertThrows(InvalidAdapterException.class,
                () -> PeftConfig.parse(PEFT_LORA.replace("\"target_modules\": [\"v_proj\", \"q_proj\"],", ""))).getMessage();
        assertTrue(msg.contains("target_modules"), msg);
        msg = assertThrows(InvalidAdapterException.class,
                () -> PeftConfig.parse(PEFT_LORA.replace("\"rank_pattern\": {}", "\"rank_pattern\": {\"q_proj\": 2.5}"))).getMessage();
        assertTrue(msg.contains("rank_pattern"), msg);
        msg = assertThrows(InvalidAdapterException.class, () -> PeftConfig.parse("not json")).getMessage();
        assertTrue(msg.contains("adapter_config.json is not valid JSON"), msg);
    }

    /** Inputs the fuzzer found that read back as a different config before the writer kept them exact. */
    @Test
    void writeThenReadKeepsNegativeZeroNonAsciiAndLoneSurrogates() {
        String json = PEFT_LORA
                .replace("\"lora_alpha\": 16", "\"lora_alpha\": -0.0")
                .replace("\"alpha_pattern\": {}", "\"alpha_pattern\": {\"v_proj\": -0.0}")
                .replace("\"TinyLlama/TinyLlama-1.1B-Chat-v1.0\"", "\"caf\u00e9 \\ud800\"")
                .replace("\"revision\": null", "\"revision\": \"\\udc00\"");
        PeftConfig c = PeftConfig.parse(json);
        assertEquals(-0.0, c.loraAlpha());
        assertEquals("caf\u00e9 \ud800", c.baseModelNameOrPath());
        assertEquals(c, PeftConfig.parse(c.toJson()));
    }

    @Test
    void refusesInvalidUtf8AndInfiniteNumbers() {
        byte[] bad = PEFT_LORA.replace("\"TinyLlama/", "\"\u00ff/").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("adapter_config.json is not valid UTF-8",
                assertThrows(InvalidAdapterException.class, () -> PeftConfig.parse(bad)).getMessage());
        String msg = assertThrows(InvalidAdapterException.class,
                () -> PeftConfig.parse(PEFT_LORA.replace("\"revision\": null", "\"revision\": 1e999"))).getMessage();
        assertTrue(msg.contains("number too large") && msg.contains("/revision"), msg);
    }

    /** What Python's json.dumps(indent=2, sort_keys=True) gives for PeftConfig.lora(8, 16, [q_proj, v_proj]). */
    static final String PYTHON_DUMP = """
            {
              "alpha_pattern": {},
              "base_model_name_or_path": null,
              "bias": "none",
              "fan_in_fan_out": false,
              "inference_mode": true,
              "init_lora_weights": true,
              "lora_alpha": 16,
              "lora_dropout": 0.0,
              "modules_to_save": null,
              "peft_type": "LORA",
              "r": 8,
              "rank_pattern": {},
              "target_modules": [
                "q_proj",
                "v_proj"
              ],
              "task_type": "CAUSAL_LM",
              "use_rslora": false
            }
            """;

    @Test
    void writesTheSameTextAsPeft() {
        assertEquals(PYTHON_DUMP, PeftConfig.lora(8, 16, TargetModules.of("q_proj", "v_proj")).toJson());
    }

    @Test
    void writesToDirectory(@TempDir Path dir) throws Exception {
        PeftConfig c = PeftConfig.lora(8, 16, TargetModules.of(List.of("q_proj", "v_proj")));
        c.writeTo(dir);
        PeftConfig back = PeftConfig.read(dir);
        assertEquals(c, back);
        assertTrue(back.extraIs("inference_mode", Json.MAPPER.getNodeFactory().booleanNode(true)));
        assertEquals(16, Json.MAPPER.readTree(c.toJson()).get("lora_alpha").intValue());
        assertTrue(Json.MAPPER.readTree(c.toJson()).get("lora_alpha").isIntegralNumber());
    }
}
