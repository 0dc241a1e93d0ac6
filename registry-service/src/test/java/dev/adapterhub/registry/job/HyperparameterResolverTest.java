package dev.adapterhub.registry.job;

import dev.adapterhub.formats.hf.LinearModules;
import dev.adapterhub.registry.adapter.dto.AdapterMethod;
import dev.adapterhub.registry.job.dto.Hyperparameters;
import dev.adapterhub.registry.job.service.HyperparameterResolver;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pure unit test of defaults, step arithmetic and the rules (the REST tests cover how violations surface). */
class HyperparameterResolverTest {

    private static final LinearModules BASE = base();

    private static LinearModules base() {
        Map<String, LinearModules.Shape> modules = new LinkedHashMap<>();
        for (int layer = 0; layer < 2; layer++) {
            String prefix = "model.layers." + layer + ".";
            modules.put(prefix + "self_attn.q_proj", new LinearModules.Shape(64, 64));
            modules.put(prefix + "self_attn.k_proj", new LinearModules.Shape(16, 64));
            modules.put(prefix + "self_attn.v_proj", new LinearModules.Shape(16, 64));
            modules.put(prefix + "self_attn.o_proj", new LinearModules.Shape(64, 64));
            modules.put(prefix + "mlp.down_proj", new LinearModules.Shape(64, 128));
        }
        return LinearModules.of(modules);
    }

    private static Hyperparameters hp(Integer rank, Integer steps, Integer epochs, Integer batchSize,
                                      Integer accumulation, Double evalFraction) {
        return new Hyperparameters(rank, null, null, null, null, steps, epochs, batchSize, accumulation, null,
                evalFraction, null, null, null, null, null, null, null);
    }

    @Test
    void defaultsAreFilledInPerMethod() {
        HyperparameterResolver.Resolution lora = HyperparameterResolver.resolve(AdapterMethod.LORA, null, 100, BASE);
        assertEquals(List.of(), lora.violations());
        Hyperparameters h = lora.hyperparameters();
        assertEquals(8, h.rank());
        assertEquals(16.0, h.alpha());
        assertEquals(List.of("q_proj", "k_proj", "v_proj", "o_proj"), h.targetModules());
        assertEquals(1, h.epochs());
        assertNull(h.steps());
        assertNull(h.loraGaGradientBatches());
        assertNull(h.shiraMaskType());
        assertEquals("FLOAT32", h.baseDtype());
        // 100 examples, 10 held out, batch 8: ceil(90 / 8) = 12 steps.
        assertEquals(12, lora.totalSteps());

        Hyperparameters ga = HyperparameterResolver.resolve(AdapterMethod.LORA_GA, null, 100, BASE).hyperparameters();
        assertEquals(8, ga.loraGaGradientBatches());
        Hyperparameters shira = HyperparameterResolver.resolve(AdapterMethod.SHIRA, null, 100, BASE).hyperparameters();
        assertEquals("WEIGHT_MAGNITUDE", shira.shiraMaskType());
        assertNull(shira.alpha());
    }

    @Test
    void totalStepsFollowTheDatasetOrTheExplicitStepCount() {
        assertEquals(7, HyperparameterResolver.resolve(AdapterMethod.LORA, hp(null, 7, null, null, null, null), 100,
                BASE).totalSteps());
        // 50 examples, no eval, batch 4 x accumulation 3 = 12 per step: ceil(ceil(50/4)/3) = 5 per epoch, x3.
        assertEquals(15, HyperparameterResolver.resolve(AdapterMethod.LORA, hp(null, null, 3, 4, 3, 0.0), 50, BASE)
                .totalSteps());
    }

    @Test
    void everyBrokenRuleIsReported() {
        Hyperparameters bad = new Hyperparameters(32, -1.0, null, List.of("k_proj", "gate_proj"), 0.0, 0, 3, 0,
                null, null, 0.9, null, 0, 4, "int8", 3, "SNIP", null);
        List<String> violations = HyperparameterResolver.resolve(AdapterMethod.LORA, bad, 100, BASE).violations();
        assertTrue(violations.contains("hyperparameters.alpha: must be a positive number"), violations::toString);
        assertTrue(violations.contains("hyperparameters.rank: 32 exceeds min(in, out) = 16 of k_proj"),
                violations::toString);
        assertTrue(violations.stream().anyMatch(v -> v.contains("'gate_proj'")), violations::toString);
        assertTrue(violations.contains("hyperparameters.learningRate: must be in (0, 1]"), violations::toString);
        assertTrue(violations.contains("hyperparameters: give steps or epochs, not both"), violations::toString);
        assertTrue(violations.stream().anyMatch(v -> v.startsWith("hyperparameters.steps:")), violations::toString);
        assertTrue(violations.stream().anyMatch(v -> v.startsWith("hyperparameters.batchSize:")), violations::toString);
        assertTrue(violations.contains("hyperparameters.evalFraction: must be in [0, 0.5]"), violations::toString);
        assertTrue(violations.stream().anyMatch(v -> v.startsWith("hyperparameters.checkpointEvery:")),
                violations::toString);
        assertTrue(violations.stream().anyMatch(v -> v.startsWith("hyperparameters.maxSequenceLength:")),
                violations::toString);
        assertTrue(violations.contains("hyperparameters.loraGaGradientBatches: applies to LORA_GA only"),
                violations::toString);
        assertTrue(violations.contains("hyperparameters.shiraMaskType: applies to SHIRA only"), violations::toString);
        assertTrue(violations.contains("hyperparameters.baseDtype: must be FLOAT32 or FLOAT16"), violations::toString);
    }

    @Test
    void theBaseCanTrainInHalfPrecisionButNotYetInBfloat16() {
        Hyperparameters half = new Hyperparameters(null, null, null, null, null, 5, null, null, null, null, null, null,
                null, null, "float16", null, null, null);
        HyperparameterResolver.Resolution r = HyperparameterResolver.resolve(AdapterMethod.LORA, half, 100, BASE);
        assertEquals(List.of(), r.violations());
        assertEquals("FLOAT16", r.hyperparameters().baseDtype());
        Hyperparameters bf16 = new Hyperparameters(null, null, null, null, null, 5, null, null, null, null, null, null,
                null, null, "BFLOAT16", null, null, null);
        List<String> violations = HyperparameterResolver.resolve(AdapterMethod.SHIRA, bf16, 100, BASE).violations();
        assertEquals(1, violations.size(), violations::toString);
        assertTrue(violations.get(0).startsWith("hyperparameters.baseDtype: BFLOAT16 is not supported yet"),
                violations::toString);
    }

    @Test
    void shiraRejectsLoraOnlyFieldsAndUnknownMasks() {
        Hyperparameters bad = new Hyperparameters(4, 8.0, true, null, null, null, null, null, null, null, null, null,
                null, null, null, null, "TOPK", null);
        List<String> violations = HyperparameterResolver.resolve(AdapterMethod.SHIRA, bad, 100, BASE).violations();
        assertEquals(List.of("hyperparameters.alpha: does not apply to SHIRA",
                "hyperparameters.rsLora: does not apply to SHIRA",
                "hyperparameters.shiraMaskType: must be one of RANDOM, WEIGHT_MAGNITUDE, GRADIENT, SNIP"), violations);
    }

    @Test
    void aSingleExampleTrainsOneStepAndWarmupMustEndBeforeTraining() {
        HyperparameterResolver.Resolution r = HyperparameterResolver.resolve(AdapterMethod.LORA,
                hp(null, null, null, null, null, 0.5), 1, BASE);
        assertEquals(List.of(), r.violations());
        assertEquals(1, r.totalSteps());
        Hyperparameters warmupTooLong = new Hyperparameters(null, null, null, null, null, 5, null, null, null, 5,
                null, null, null, null, null, null, null, null);
        assertEquals(List.of("hyperparameters.warmupSteps: must be at least 0 and less than the total steps (5)"),
                HyperparameterResolver.resolve(AdapterMethod.LORA, warmupTooLong, 10, BASE).violations());
    }
}
