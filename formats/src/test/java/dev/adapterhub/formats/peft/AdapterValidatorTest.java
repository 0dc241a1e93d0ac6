package dev.adapterhub.formats.peft;

import static dev.adapterhub.formats.peft.Fixtures.BASE;
import static dev.adapterhub.formats.peft.Fixtures.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adapterhub.formats.safetensors.DType;
import dev.adapterhub.formats.safetensors.SafetensorsReader;
import dev.adapterhub.formats.safetensors.SafetensorsWriter;
import dev.adapterhub.formats.safetensors.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterValidatorTest {

    static final PeftConfig LORA = PeftConfig.lora(4, 8, TargetModules.of("q_proj", "v_proj", "down_proj"));
    static final PeftConfig SHIRA = PeftConfig.shira(1, TargetModules.of("q_proj", "down_proj"), "random", 42L);

    private static List<String> validate(PeftConfig c, Map<String, Tensor> tensors) {
        return AdapterValidator.validate(c, header(tensors), BASE);
    }

    /** Asserts exactly one problem, containing every fragment. */
    private static void assertOneProblem(List<String> problems, String... fragments) {
        assertEquals(1, problems.size(), problems.toString());
        for (String f : fragments) {
            assertTrue(problems.get(0).contains(f), "\"" + problems.get(0) + "\" should contain \"" + f + "\"");
        }
    }

    private static void assertSomeProblem(List<String> problems, String... fragments) {
        assertTrue(problems.stream().anyMatch(p -> List.of(fragments).stream().allMatch(p::contains)),
                problems + " should contain a problem with " + List.of(fragments));
    }

    @Test
    void validLoraInEveryFloatDtype() {
        for (DType d : List.of(DType.F32, DType.F16, DType.BF16, DType.F64)) {
            Map<String, Tensor> t = Fixtures.lora(LORA, d);
            assertEquals(12, t.size());
            assertEquals(List.of(), validate(LORA, t), d.toString());
        }
        PeftConfig patterned = LORA.toBuilder().rankPattern(Map.of("down_proj", 2)).useRslora(true).build();
        assertEquals(List.of(), validate(patterned, Fixtures.lora(patterned, DType.F32)));
        PeftConfig all = LORA.toBuilder().targetModules(TargetModules.allLinear()).build();
        assertEquals(28, Fixtures.lora(all, DType.F32).size());
        assertEquals(List.of(), validate(all, Fixtures.lora(all, DType.F32)));
    }

    @Test
    void validShira() throws Exception {
        for (DType idx : List.of(DType.I32, DType.I64)) {
            Map<String, Tensor> t = Fixtures.shira(SHIRA, idx);
            assertEquals(8, t.size());
            // q_proj [16,16] -> K = 32; down_proj [16,32] -> K = 48
            assertEquals(32, t.get(PeftKeys.shiraWeight("model.layers.0.self_attn.q_proj")).numel());
            assertEquals(96, t.get(PeftKeys.shiraIndices("model.layers.1.mlp.down_proj")).numel());
            assertEquals(List.of(), validate(SHIRA, t));
        }
    }

    @Test
    void wrongShape() {
        Map<String, Tensor> t = Fixtures.lora(LORA, DType.F32);
        String key = PeftKeys.loraB("model.layers.0.self_attn.v_proj");
        t.put(key, Tensor.ofFloats(key, new long[] {16, 4}, new float[64]));
        assertOneProblem(validate(LORA, t), key, "shape [16, 4]", "expected [8, 4]", "out_features = 8");
    }

    @Test
    void wrongRank() {
        Map<String, Tensor> t = Fixtures.lora(LORA.toBuilder().r(8).build(), DType.F32);
        List<String> problems = validate(LORA, t);
        assertEquals(12, problems.size(), problems.toString());
        assertSomeProblem(problems, PeftKeys.loraA("model.layers.1.mlp.down_proj"), "shape [8, 32]",
                "expected [4, 32]", "r = 4");
        // rank_pattern is honoured: the same tensors are valid when the pattern says 8 ...
        PeftConfig patterned = LORA.toBuilder().rankPattern(Map.of("down_proj", 8)).build();
        List<String> p2 = validate(patterned, Fixtures.lora(LORA.toBuilder().r(8).build(), DType.F32));
        assertEquals(8, p2.size(), "only q_proj and v_proj (r = 4) are now wrong: " + p2);
        assertTrue(p2.stream().noneMatch(p -> p.contains("down_proj")), p2.toString());
    }

    @Test
    void missingB() {
        Map<String, Tensor> t = Fixtures.lora(LORA, DType.F32);
        String key = PeftKeys.loraB("model.layers.1.self_attn.q_proj");
        t.remove(key);
        assertOneProblem(validate(LORA, t), "missing tensor", key, "[16, 4]");
    }

    @Test
    void extraTensors() {
        Map<String, Tensor> t = Fixtures.lora(LORA, DType.F32);
        String notTargeted = PeftKeys.loraA("model.layers.0.self_attn.k_proj");
        t.put(notTargeted, Tensor.ofFloats(notTargeted, new long[] {4, 16}, new float[64]));
        assertOneProblem(validate(LORA, t), notTargeted, "not selected by target_modules");

        t = Fixtures.lora(LORA, DType.F32);
        t.put("base_model.model.lm_head.weight", Tensor.ofFloats("base_model.model.lm_head.weight", new long[] {1},
                new float[1]));
        assertOneProblem(validate(LORA, t), "unexpected tensor \"base_model.model.lm_head.weight\"",
                "not a LORA adapter key");

        t = Fixtures.lora(LORA, DType.F32);
        String noModule = PeftKeys.loraA("model.layers.7.self_attn.q_proj");
        t.put(noModule, Tensor.ofFloats(noModule, new long[] {4, 16}, new float[64]));
        assertOneProblem(validate(LORA, t), noModule, "not a linear layer of the base model");

        t = Fixtures.lora(LORA, DType.F32);
        String shiraKey = PeftKeys.shiraWeight("model.layers.0.self_attn.q_proj");
        t.put(shiraKey, Tensor.ofFloats(shiraKey, new long[] {1}, new float[1]));
        assertOneProblem(validate(LORA, t), shiraKey, "SHIRA tensor in a LORA adapter");
    }

    @Test
    void unknownTargetModule() {
        PeftConfig c = LORA.toBuilder().targetModules(TargetModules.of("q_proj", "c_attn")).build();
        Map<String, Tensor> t = Fixtures.lora(LORA.toBuilder().targetModules(TargetModules.of("q_proj")).build(),
                DType.F32);
        assertOneProblem(validate(c, t), "target module \"c_attn\" matches no linear layer", "q_proj");
        PeftConfig regex = LORA.toBuilder().targetModules(TargetModules.regex(".*\\.attn\\.c_proj")).build();
        assertSomeProblem(validate(regex, Map.of()), "matches no linear layer");
    }

    @Test
    void wrongShiraK() {
        Map<String, Tensor> t = Fixtures.shira(PeftConfig.shira(2, SHIRA.targetModules(), "random", 1L), DType.I32);
        List<String> problems = validate(SHIRA, t);
        assertEquals(8, problems.size(), problems.toString());
        assertSomeProblem(problems, PeftKeys.shiraWeight("model.layers.0.self_attn.q_proj"), "shape [64]",
                "expected [32]", "K = r*(in_features + out_features) = 1*(16 + 16) = 32");
        assertSomeProblem(problems, PeftKeys.shiraIndices("model.layers.0.mlp.down_proj"), "shape [2, 96]",
                "expected [2, 48]");
    }

    @Test
    void badDtypes() {
        Map<String, Tensor> t = Fixtures.lora(LORA, DType.F32);
        String key = PeftKeys.loraA("model.layers.0.self_attn.q_proj");
        t.put(key, Tensor.ofInts(key, DType.I32, new long[] {4, 16}, new int[64]));
        assertOneProblem(validate(LORA, t), key, "dtype I32", "floating-point");

        Map<String, Tensor> s = Fixtures.shira(SHIRA, DType.I32);
        String idx = PeftKeys.shiraIndices("model.layers.1.self_attn.q_proj");
        s.put(idx, Tensor.ofFloats(idx, new long[] {2, 32}, new float[64]));
        assertOneProblem(validate(SHIRA, s), idx, "dtype F32", "I32 or I64");
        s = Fixtures.shira(SHIRA, DType.I32);
        s.put(idx, Tensor.ofInts(idx, DType.I16, new long[] {2, 32}, new int[64]));
        assertOneProblem(validate(SHIRA, s), idx, "dtype I16");
    }

    @Test
    void unsupportedConfigOptions() {
        Map<String, Tensor> t = Fixtures.lora(LORA, DType.F32);
        assertOneProblem(validate(LORA.toBuilder().modulesToSave(List.of("lm_head")).build(), t),
                "modules_to_save [lm_head] is not supported");
        assertOneProblem(validate(LORA.toBuilder().bias("all").build(), t), "bias \"all\" is not supported");
        assertOneProblem(validate(LORA.toBuilder().fanInFanOut(true).build(), t), "fan_in_fan_out must be false");
        assertOneProblem(validate(LORA.toBuilder().extra("use_dora",
                dev.adapterhub.formats.Json.MAPPER.getNodeFactory().booleanNode(true)).build(), t), "DoRA");
        assertOneProblem(validate(LORA.toBuilder().initLoraWeights("pissa_niter_4").build(), t),
                "init_lora_weights \"pissa_niter_4\"", "modified base");
        assertEquals(List.of(), validate(LORA.toBuilder().initLoraWeights("gaussian").build(), t));
        assertOneProblem(validate(LORA.toBuilder().r(0).build(), Map.of()), "r must be at least 1, got 0");
        // gate_proj [32, 16]: K = 20 * 48 = 960 > 512 weights; the missing tensors are reported too.
        assertSomeProblem(validate(PeftConfig.shira(20, TargetModules.of("gate_proj"), "random", 1L), Map.of()),
                "r = 20 is too large", "model.layers.0.mlp.gate_proj", "exceeds its 512 weights");
    }

    @Test
    void emptyWeightsReportEveryMissingTensor() {
        List<String> problems = validate(LORA, new TreeMap<>());
        assertEquals(12, problems.size());
        assertTrue(problems.stream().allMatch(p -> p.startsWith("missing tensor")), problems.toString());
    }

    @Test
    void shiraIndexValues(@TempDir Path dir) throws Exception {
        Map<String, Tensor> good = Fixtures.shira(SHIRA, DType.I64);
        Path file = dir.resolve("good.safetensors");
        SafetensorsWriter.write(file, good);
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertEquals(List.of(), AdapterValidator.validateShiraIndices(r, SHIRA, BASE));
            assertEquals(List.of(), AdapterValidator.validateFiniteValues(r));
        }

        String key = PeftKeys.shiraIndices("model.layers.0.mlp.down_proj");
        long[] idx = new long[96];
        for (int i = 0; i < 48; i++) {
            idx[i] = i % 16;
            idx[48 + i] = i / 16;
        }
        idx[48 + 5] = 32; // input index == in_features
        Map<String, Tensor> outOfRange = new TreeMap<>(good);
        outOfRange.put(key, Tensor.ofLongs(key, DType.I32, new long[] {2, 48}, idx));
        assertOneProblem(indexProblems(dir, outOfRange), key, "input index 32 at position 5",
                "outside [0, 32)");

        idx[48 + 5] = 0;
        idx[7] = -1;
        outOfRange.put(key, Tensor.ofLongs(key, DType.I32, new long[] {2, 48}, idx));
        assertOneProblem(indexProblems(dir, outOfRange), key, "output index -1 at position 7");

        idx[7] = 5; // (5, 0) now occurs twice: positions 5 and 7
        outOfRange.put(key, Tensor.ofLongs(key, DType.I32, new long[] {2, 48}, idx));
        assertOneProblem(indexProblems(dir, outOfRange), key, "(5, 0) occurs more than once");

        String w = PeftKeys.shiraWeight("model.layers.0.mlp.down_proj");
        float[] v = new float[48];
        v[3] = Float.NaN;
        Map<String, Tensor> nan = new TreeMap<>(good);
        nan.put(w, Tensor.ofFloats(w, DType.BF16, new long[] {48}, v));
        Path f = dir.resolve("nan.safetensors");
        SafetensorsWriter.write(f, nan);
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            assertOneProblem(AdapterValidator.validateFiniteValues(r), w, "non-finite", "element 3");
        }
    }

    private static List<String> indexProblems(Path dir, Map<String, Tensor> tensors) throws Exception {
        Path file = dir.resolve("bad.safetensors");
        SafetensorsWriter.write(file, tensors);
        assertEquals(List.of(), AdapterValidator.validate(SHIRA, SafetensorsReader.open(file).header(), BASE));
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            return AdapterValidator.validateShiraIndices(r, SHIRA, BASE);
        }
    }
}
