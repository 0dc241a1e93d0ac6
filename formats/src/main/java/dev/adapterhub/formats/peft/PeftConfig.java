package dev.adapterhub.formats.peft;

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
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An {@code adapter_config.json} as HF PEFT writes it, for {@code peft_type} LORA or SHIRA.
 *
 * <p>Fields this record does not model (PEFT adds some in every release: {@code inference_mode},
 * {@code use_dora}, {@code layers_to_transform}, {@code revision}, ...) are kept verbatim in {@link #extra()}
 * and written back, so read-then-write preserves them. Parsing only checks types; the semantic rules
 * (r &ge; 1, supported options, matching tensors) live in {@link AdapterValidator} so that every problem is
 * reported at once.
 *
 * <p>LoRA-only fields are ignored for SHIRA and vice versa (they land in {@link #extra()} when present).
 *
 * @param peftType            LORA or SHIRA
 * @param r                   rank (LoRA) or the SHiRA size parameter (K = r·(in + out))
 * @param loraAlpha           LoRA alpha (LoRA only)
 * @param targetModules       which linear layers carry the adapter
 * @param useRslora           scaling alpha/sqrt(r) instead of alpha/r (LoRA only)
 * @param initLoraWeights     {@code Boolean} or {@code String} (e.g. "gaussian", "lora_ga"); informational
 * @param baseModelNameOrPath the base model the adapter was trained on, or null
 * @param taskType            e.g. "CAUSAL_LM", or null
 * @param bias                "none", "all" or "lora_only" (LoRA only; we support "none")
 * @param fanInFanOut         weight stored transposed (Conv1D models); must be false for Llama
 * @param rankPattern         per-module rank overrides, keys are PEFT module patterns (LoRA only)
 * @param alphaPattern        per-module alpha overrides (LoRA only)
 * @param loraDropout         training-time dropout (LoRA only; irrelevant for inference)
 * @param modulesToSave       fully trained extra modules; null or empty for adapters we accept
 * @param maskType            SHiRA mask type, e.g. "random" (SHIRA only)
 * @param randomSeed          SHiRA random-mask seed or null (SHIRA only)
 * @param extra               every other field, verbatim
 */
public record PeftConfig(
        PeftType peftType,
        int r,
        double loraAlpha,
        TargetModules targetModules,
        boolean useRslora,
        Object initLoraWeights,
        String baseModelNameOrPath,
        String taskType,
        String bias,
        boolean fanInFanOut,
        Map<String, Integer> rankPattern,
        Map<String, Double> alphaPattern,
        double loraDropout,
        List<String> modulesToSave,
        String maskType,
        Long randomSeed,
        Map<String, JsonNode> extra) {

    public static final String FILE_NAME = "adapter_config.json";

    private static final Set<String> COMMON = Set.of("peft_type", "r", "target_modules", "base_model_name_or_path",
            "task_type", "fan_in_fan_out", "modules_to_save");
    private static final Set<String> LORA_ONLY = Set.of("lora_alpha", "use_rslora", "init_lora_weights", "bias",
            "rank_pattern", "alpha_pattern", "lora_dropout");
    private static final Set<String> SHIRA_ONLY = Set.of("mask_type", "random_seed");

    public PeftConfig {
        if (peftType == null) {
            throw new InvalidAdapterException(FILE_NAME + ": \"peft_type\" is required");
        }
        if (targetModules == null) {
            throw new InvalidAdapterException(FILE_NAME + ": \"target_modules\" is required");
        }
        if (initLoraWeights != null && !(initLoraWeights instanceof Boolean) && !(initLoraWeights instanceof String)) {
            throw new InvalidAdapterException(FILE_NAME + ": \"init_lora_weights\" must be a boolean or a string");
        }
        rankPattern = Collections.unmodifiableMap(new LinkedHashMap<>(rankPattern == null ? Map.of() : rankPattern));
        alphaPattern = Collections.unmodifiableMap(
                new LinkedHashMap<>(alphaPattern == null ? Map.of() : alphaPattern));
        modulesToSave = modulesToSave == null ? null : List.copyOf(modulesToSave);
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra == null ? Map.of() : extra));
        rankPattern.keySet().forEach(k -> patternFor("rank_pattern", k));
        alphaPattern.keySet().forEach(k -> patternFor("alpha_pattern", k));
    }

    // ---------------------------------------------------------------- factories

    /**
     * A LoRA config with PEFT's defaults for a causal LM: {@code init_lora_weights: true},
     * {@code task_type: "CAUSAL_LM"}, {@code bias: "none"}, no dropout, empty patterns,
     * {@code inference_mode: true}.
     */
    public static PeftConfig lora(int r, double loraAlpha, TargetModules targets) {
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        extra.put("inference_mode", Json.MAPPER.getNodeFactory().booleanNode(true));
        return new PeftConfig(PeftType.LORA, r, loraAlpha, targets, false, Boolean.TRUE, null, "CAUSAL_LM", "none",
                false, Map.of(), Map.of(), 0.0, null, null, null, extra);
    }

    /** A SHiRA config ({@code mask_type} e.g. "random", "snip"; seed may be null). */
    public static PeftConfig shira(int r, TargetModules targets, String maskType, Long randomSeed) {
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        extra.put("inference_mode", Json.MAPPER.getNodeFactory().booleanNode(true));
        return new PeftConfig(PeftType.SHIRA, r, 0.0, targets, false, null, null, "CAUSAL_LM", null, false,
                Map.of(), Map.of(), 0.0, null, maskType, randomSeed, extra);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    // ---------------------------------------------------------------- reading

    /** Reads {@code adapter_config.json} from a file or from an adapter directory. */
    public static PeftConfig read(Path fileOrDirectory) throws IOException {
        Path file = Files.isDirectory(fileOrDirectory) ? fileOrDirectory.resolve(FILE_NAME) : fileOrDirectory;
        if (!Files.exists(file)) {
            throw new InvalidAdapterException("adapter has no " + FILE_NAME);
        }
        return parse(Files.readAllBytes(file));
    }

    public static PeftConfig parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    public static PeftConfig parse(byte[] json) {
        return fromJson(Json.parse(json, FILE_NAME, InvalidAdapterException::new));
    }

    /** From a parsed adapter_config.json object. */
    public static PeftConfig fromJson(JsonNode root) {
        JsonFields f = new JsonFields(root, FILE_NAME, InvalidAdapterException::new);
        String typeName = f.string("peft_type", null);
        if (typeName == null) {
            throw new InvalidAdapterException(FILE_NAME + ": \"peft_type\" is required");
        }
        PeftType type = PeftType.parse(typeName);
        boolean lora = type == PeftType.LORA;
        Set<String> known = new java.util.HashSet<>(COMMON);
        known.addAll(lora ? LORA_ONLY : SHIRA_ONLY);
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        root.fields().forEachRemaining(e -> {
            if (!known.contains(e.getKey())) {
                extra.put(e.getKey(), e.getValue());
            }
        });
        TargetModules targets = TargetModules.fromJson(f.get("target_modules"));
        if (lora) {
            JsonNode init = f.get("init_lora_weights");
            Object initValue;
            if (init == null) {
                initValue = Boolean.TRUE;
            } else if (init.isBoolean()) {
                initValue = init.booleanValue();
            } else if (init.isTextual()) {
                initValue = init.textValue();
            } else {
                throw f.fail("init_lora_weights", "must be a boolean or a string, got " + init);
            }
            return new PeftConfig(type,
                    f.integer("r", 8),
                    f.number("lora_alpha", 8.0),
                    targets,
                    f.bool("use_rslora", false),
                    initValue,
                    f.string("base_model_name_or_path", null),
                    f.string("task_type", null),
                    f.string("bias", "none"),
                    f.bool("fan_in_fan_out", false),
                    intPattern(f, "rank_pattern"),
                    doublePattern(f, "alpha_pattern"),
                    f.number("lora_dropout", 0.0),
                    f.strings("modules_to_save", false),
                    null,
                    null,
                    extra);
        }
        return new PeftConfig(type,
                f.integer("r", 32),
                0.0,
                targets,
                false,
                null,
                f.string("base_model_name_or_path", null),
                f.string("task_type", null),
                null,
                f.bool("fan_in_fan_out", false),
                Map.of(),
                Map.of(),
                0.0,
                f.strings("modules_to_save", false),
                f.string("mask_type", "random"),
                f.has("random_seed") ? f.longValue("random_seed", null) : null,
                extra);
    }

    private static Map<String, Integer> intPattern(JsonFields f, String field) {
        JsonNode n = f.get(field);
        Map<String, Integer> out = new LinkedHashMap<>();
        if (n == null) {
            return out;
        }
        if (!n.isObject()) {
            throw f.fail(field, "must be an object of module pattern to integer");
        }
        n.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw f.fail(field, "value for \"" + e.getKey() + "\" must be an integer, got " + v);
            }
            out.put(e.getKey(), v.intValue());
        });
        return out;
    }

    private static Map<String, Double> doublePattern(JsonFields f, String field) {
        JsonNode n = f.get(field);
        Map<String, Double> out = new LinkedHashMap<>();
        if (n == null) {
            return out;
        }
        if (!n.isObject()) {
            throw f.fail(field, "must be an object of module pattern to number");
        }
        n.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
                throw f.fail(field, "value for \"" + e.getKey() + "\" must be a finite number, got " + v);
            }
            out.put(e.getKey(), v.doubleValue());
        });
        return out;
    }

    // ---------------------------------------------------------------- semantics

    private static Pattern patternFor(String field, String key) {
        try {
            // PEFT's get_pattern_key: the key matches the whole path or a suffix starting after a '.'.
            return Pattern.compile("(?:.*\\.)?(?:" + key + ")");
        } catch (PatternSyntaxException e) {
            throw new InvalidAdapterException(FILE_NAME + ": \"" + field + "\" key \"" + key
                    + "\" is not a valid module pattern: " + e.getDescription());
        }
    }

    private static <V> V lookup(String field, Map<String, V> patterns, String module, V dflt) {
        for (Map.Entry<String, V> e : patterns.entrySet()) {
            if (patternFor(field, e.getKey()).matcher(module).matches()) {
                return e.getValue();
            }
        }
        return dflt;
    }

    /** The rank of {@code module}: the first matching {@code rank_pattern} entry, else {@code r}. */
    public int rank(String module) {
        return peftType == PeftType.LORA ? lookup("rank_pattern", rankPattern, module, r) : r;
    }

    /** The alpha of {@code module}: the first matching {@code alpha_pattern} entry, else {@code lora_alpha}. */
    public double alpha(String module) {
        return lookup("alpha_pattern", alphaPattern, module, loraAlpha);
    }

    /**
     * The LoRA output scale of {@code module}: alpha/r, or alpha/sqrt(r) with rsLoRA, honoring the patterns.
     * SHiRA deltas are applied unscaled, so this is 1 for SHIRA.
     */
    public double scaling(String module) {
        if (peftType == PeftType.SHIRA) {
            return 1.0;
        }
        int rank = rank(module);
        double alpha = alpha(module);
        return useRslora ? alpha / Math.sqrt(rank) : alpha / rank;
    }

    /** SHiRA's number of trained entries for a layer of the given shape: r·(in + out). */
    public long shiraK(long out, long in) {
        return (long) r * (in + out);
    }

    /** True if a field PEFT would write, not modelled here, is present with this value. */
    public boolean extraIs(String field, JsonNode value) {
        return value.equals(extra.get(field));
    }

    // ---------------------------------------------------------------- writing

    /** The config as PEFT would write it (sorted keys applied by {@link #toJson()}). */
    public ObjectNode toJsonNode() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        extra.forEach(o::set);
        o.put("peft_type", peftType.name());
        o.put("r", r);
        o.set("target_modules", targetModules.toJson());
        o.put("base_model_name_or_path", baseModelNameOrPath);
        o.put("task_type", taskType);
        o.put("fan_in_fan_out", fanInFanOut);
        if (modulesToSave == null) {
            o.putNull("modules_to_save");
        } else {
            ArrayNode a = o.putArray("modules_to_save");
            modulesToSave.forEach(a::add);
        }
        if (peftType == PeftType.LORA) {
            putNumber(o, "lora_alpha", loraAlpha);
            o.put("use_rslora", useRslora);
            if (initLoraWeights instanceof Boolean b) {
                o.put("init_lora_weights", b);
            } else {
                o.put("init_lora_weights", (String) initLoraWeights);
            }
            o.put("bias", bias);
            ObjectNode rp = o.putObject("rank_pattern");
            rankPattern.forEach(rp::put);
            ObjectNode ap = o.putObject("alpha_pattern");
            alphaPattern.forEach((k, v) -> putNumber(ap, k, v));
            putNumber(o, "lora_dropout", loraDropout);
        } else {
            o.put("mask_type", maskType);
            if (randomSeed == null) {
                o.putNull("random_seed");
            } else {
                o.put("random_seed", randomSeed);
            }
        }
        return o;
    }

    /**
     * Python writes integral ints as ints; keep {@code 16} rather than {@code 16.0} for integral values. Negative
     * zero stays a float: as an int it would read back as a different double.
     */
    private static void putNumber(ObjectNode o, String field, double v) {
        boolean negativeZero = Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(-0.0);
        if (v == Math.rint(v) && Math.abs(v) < 1e15 && !negativeZero && !"lora_dropout".equals(field)) {
            o.put(field, (long) v);
        } else {
            o.put(field, v);
        }
    }

    /** adapter_config.json text: sorted keys, 2-space indent, like PEFT's save_pretrained. */
    public String toJson() {
        return Json.pretty(toJsonNode());
    }

    /** Writes adapter_config.json into {@code directory}. */
    public void writeTo(Path directory) throws IOException {
        Files.writeString(directory.resolve(FILE_NAME), toJson(), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- builder

    /** Mutable copy of a config for small changes ({@code config.toBuilder().r(16).build()}). */
    public static final class Builder {
        private PeftType peftType;
        private int r;
        private double loraAlpha;
        private TargetModules targetModules;
        private boolean useRslora;
        private Object initLoraWeights;
        private String baseModelNameOrPath;
        private String taskType;
        private String bias;
        private boolean fanInFanOut;
        private Map<String, Integer> rankPattern;
        private Map<String, Double> alphaPattern;
        private double loraDropout;
        private List<String> modulesToSave;
        private String maskType;
        private Long randomSeed;
        private Map<String, JsonNode> extra;

        private Builder(PeftConfig c) {
            peftType = c.peftType;
            r = c.r;
            loraAlpha = c.loraAlpha;
            targetModules = c.targetModules;
            useRslora = c.useRslora;
            initLoraWeights = c.initLoraWeights;
            baseModelNameOrPath = c.baseModelNameOrPath;
            taskType = c.taskType;
            bias = c.bias;
            fanInFanOut = c.fanInFanOut;
            rankPattern = new LinkedHashMap<>(c.rankPattern);
            alphaPattern = new LinkedHashMap<>(c.alphaPattern);
            loraDropout = c.loraDropout;
            modulesToSave = c.modulesToSave;
            maskType = c.maskType;
            randomSeed = c.randomSeed;
            extra = new LinkedHashMap<>(c.extra);
        }

        public Builder r(int v) { r = v; return this; }
        public Builder loraAlpha(double v) { loraAlpha = v; return this; }
        public Builder targetModules(TargetModules v) { targetModules = v; return this; }
        public Builder useRslora(boolean v) { useRslora = v; return this; }
        public Builder initLoraWeights(Object v) { initLoraWeights = v; return this; }
        public Builder baseModelNameOrPath(String v) { baseModelNameOrPath = v; return this; }
        public Builder taskType(String v) { taskType = v; return this; }
        public Builder bias(String v) { bias = v; return this; }
        public Builder fanInFanOut(boolean v) { fanInFanOut = v; return this; }
        public Builder rankPattern(Map<String, Integer> v) { rankPattern = new LinkedHashMap<>(v); return this; }
        public Builder alphaPattern(Map<String, Double> v) { alphaPattern = new LinkedHashMap<>(v); return this; }
        public Builder loraDropout(double v) { loraDropout = v; return this; }
        public Builder modulesToSave(List<String> v) { modulesToSave = v; return this; }
        public Builder maskType(String v) { maskType = v; return this; }
        public Builder randomSeed(Long v) { randomSeed = v; return this; }
        /** Sets (or with null removes) a field not modelled by the record. */
        public Builder extra(String field, JsonNode v) {
            if (v == null) {
                extra.remove(field);
            } else {
                extra.put(field, v);
            }
            return this;
        }

        public PeftConfig build() {
            return new PeftConfig(peftType, r, loraAlpha, targetModules, useRslora, initLoraWeights,
                    baseModelNameOrPath, taskType, bias, fanInFanOut, rankPattern, alphaPattern, loraDropout,
                    modulesToSave, maskType, randomSeed, extra);
        }
    }
}
