package dev.adapterhub.registry.job.service;

import dev.adapterhub.formats.hf.LinearModules;
import dev.adapterhub.registry.adapter.dto.AdapterMethod;
import dev.adapterhub.registry.job.dto.Hyperparameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Fills in defaults and checks every rule, collecting all violations (pure logic; no database). The total step
 * count is fixed here, from the dataset size, so progress percentages never depend on the worker's arithmetic.
 */
public final class HyperparameterResolver {

    public static final int DEFAULT_RANK = 8;
    public static final List<String> DEFAULT_TARGETS = List.of("q_proj", "k_proj", "v_proj", "o_proj");
    public static final double DEFAULT_LEARNING_RATE = 2e-4;
    public static final int DEFAULT_BATCH_SIZE = 8;
    public static final double DEFAULT_EVAL_FRACTION = 0.1;
    public static final int DEFAULT_CHECKPOINT_EVERY = 50;
    public static final int DEFAULT_MAX_SEQUENCE_LENGTH = 512;
    public static final int DEFAULT_LORA_GA_GRADIENT_BATCHES = 8;
    public static final String DEFAULT_SHIRA_MASK = "WEIGHT_MAGNITUDE";
    public static final long DEFAULT_SEED = 42;
    public static final String DEFAULT_BASE_DTYPE = "FLOAT32";
    public static final Set<String> BASE_DTYPES = Set.of("FLOAT32", "FLOAT16");
    public static final Set<String> SHIRA_MASKS = Set.of("RANDOM", "WEIGHT_MAGNITUDE", "GRADIENT", "SNIP");

    static final int MAX_RANK = 1024;
    static final int MAX_STEPS = 1_000_000;
    static final int MAX_EPOCHS = 1000;
    static final int MAX_BATCH = 4096;
    static final int MAX_SEQUENCE = 131_072;
    private static final Pattern MODULE = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]{0,127}");

    /** The resolved hyperparameters and the optimizer steps they imply, or the violations. */
    public record Resolution(Hyperparameters hyperparameters, int totalSteps, List<String> violations) {
    }

    private HyperparameterResolver() {
    }

    public static Resolution resolve(AdapterMethod method, Hyperparameters in, int exampleCount,
                                     LinearModules baseModules) {
        Hyperparameters h = in == null ? new Hyperparameters(null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null) : in;
        List<String> v = new ArrayList<>();
        boolean shira = method == AdapterMethod.SHIRA;

        int rank = orDefault(h.rank(), DEFAULT_RANK);
        range(v, "rank", rank, 1, MAX_RANK);
        Double alpha = null;
        Boolean rsLora = null;
        if (shira) {
            if (h.alpha() != null) {
                v.add("hyperparameters.alpha: does not apply to SHIRA");
            }
            if (h.rsLora() != null) {
                v.add("hyperparameters.rsLora: does not apply to SHIRA");
            }
        } else {
            alpha = h.alpha() == null ? 2.0 * rank : h.alpha();
            if (!(alpha > 0) || alpha.isInfinite()) {
                v.add("hyperparameters.alpha: must be a positive number");
            }
            rsLora = h.rsLora() != null && h.rsLora();
        }

        List<String> targets = h.targetModules() == null ? DEFAULT_TARGETS : List.copyOf(h.targetModules());
        if (targets.isEmpty()) {
            v.add("hyperparameters.targetModules: must name at least one module");
        }
        for (String target : targets) {
            if (target == null || !MODULE.matcher(target).matches()) {
                v.add("hyperparameters.targetModules: '" + target + "' is not a module name");
                continue;
            }
            List<LinearModules.Shape> shapes = matching(baseModules, target);
            if (shapes.isEmpty()) {
                v.add("hyperparameters.targetModules: no linear layer of the base model ends with '" + target + "'");
            } else if (!shira) {
                long smallest = shapes.stream().mapToLong(s -> Math.min(s.in(), s.out())).min().orElse(0);
                if (rank > smallest) {
                    v.add("hyperparameters.rank: " + rank + " exceeds min(in, out) = " + smallest + " of " + target);
                }
            }
        }

        double learningRate = h.learningRate() == null ? DEFAULT_LEARNING_RATE : h.learningRate();
        if (!(learningRate > 0 && learningRate <= 1)) {
            v.add("hyperparameters.learningRate: must be in (0, 1]");
        }
        if (h.steps() != null && h.epochs() != null) {
            v.add("hyperparameters: give steps or epochs, not both");
        }
        Integer steps = h.steps();
        Integer epochs = h.steps() == null ? orDefault(h.epochs(), 1) : null;
        if (steps != null) {
            range(v, "steps", steps, 1, MAX_STEPS);
        }
        if (epochs != null) {
            range(v, "epochs", epochs, 1, MAX_EPOCHS);
        }
        int batchSize = orDefault(h.batchSize(), DEFAULT_BATCH_SIZE);
        range(v, "batchSize", batchSize, 1, MAX_BATCH);
        int accumulation = orDefault(h.gradientAccumulation(), 1);
        range(v, "gradientAccumulation", accumulation, 1, MAX_BATCH);
        double evalFraction = h.evalFraction() == null ? DEFAULT_EVAL_FRACTION : h.evalFraction();
        if (!(evalFraction >= 0 && evalFraction <= 0.5)) {
            v.add("hyperparameters.evalFraction: must be in [0, 0.5]");
        }
        int checkpointEvery = orDefault(h.checkpointEvery(), DEFAULT_CHECKPOINT_EVERY);
        range(v, "checkpointEvery", checkpointEvery, 1, MAX_STEPS);
        int evalEvery = orDefault(h.evalEvery(), checkpointEvery);
        range(v, "evalEvery", evalEvery, 1, MAX_STEPS);
        int maxSequenceLength = orDefault(h.maxSequenceLength(), DEFAULT_MAX_SEQUENCE_LENGTH);
        range(v, "maxSequenceLength", maxSequenceLength, 8, MAX_SEQUENCE);
        long seed = h.seed() == null ? DEFAULT_SEED : h.seed();
        String baseDtype = h.baseDtype() == null ? DEFAULT_BASE_DTYPE : h.baseDtype().toUpperCase(Locale.ROOT);
        if ("BFLOAT16".equals(baseDtype)) {
            v.add("hyperparameters.baseDtype: BFLOAT16 is not supported yet (the engine's BF16 tensors abort on the "
                    + "CPU and are unverified on CUDA); use FLOAT16 or FLOAT32");
        } else if (!BASE_DTYPES.contains(baseDtype)) {
            v.add("hyperparameters.baseDtype: must be FLOAT32 or FLOAT16");
        }

        Integer gradientBatches = null;
        if (method == AdapterMethod.LORA_GA) {
            gradientBatches = orDefault(h.loraGaGradientBatches(), DEFAULT_LORA_GA_GRADIENT_BATCHES);
            range(v, "loraGaGradientBatches", gradientBatches, 1, MAX_BATCH);
        } else if (h.loraGaGradientBatches() != null) {
            v.add("hyperparameters.loraGaGradientBatches: applies to LORA_GA only");
        }
        String mask = null;
        if (shira) {
            mask = h.shiraMaskType() == null ? DEFAULT_SHIRA_MASK : h.shiraMaskType().toUpperCase(Locale.ROOT);
            if (!SHIRA_MASKS.contains(mask)) {
                v.add("hyperparameters.shiraMaskType: must be one of RANDOM, WEIGHT_MAGNITUDE, GRADIENT, SNIP");
            }
        } else if (h.shiraMaskType() != null) {
            v.add("hyperparameters.shiraMaskType: applies to SHIRA only");
        }

        int evalCount = (int) Math.floor(exampleCount * Math.max(0, Math.min(0.5, evalFraction)));
        int trainCount = exampleCount - evalCount;
        int totalSteps = 0;
        if (v.isEmpty()) {
            if (trainCount < 1) {
                v.add("dataset: no training examples are left after holding out evalFraction");
            } else if (steps != null) {
                totalSteps = steps;
            } else {
                long perEpoch = ceilDiv(ceilDiv(trainCount, batchSize), accumulation);
                long total = perEpoch * epochs;
                if (total > MAX_STEPS) {
                    v.add("hyperparameters.epochs: " + epochs + " epochs make " + total + " steps, more than "
                            + MAX_STEPS);
                }
                totalSteps = (int) Math.min(total, MAX_STEPS);
            }
        }
        int warmup = orDefault(h.warmupSteps(), 0);
        if (warmup < 0 || (v.isEmpty() && warmup >= totalSteps)) {
            v.add("hyperparameters.warmupSteps: must be at least 0 and less than the total steps (" + totalSteps + ")");
        }
        Hyperparameters resolved = new Hyperparameters(rank, alpha, rsLora, targets, learningRate, steps, epochs,
                batchSize, accumulation, warmup, evalFraction, evalEvery, checkpointEvery, maxSequenceLength,
                baseDtype, gradientBatches, mask, seed);
        return new Resolution(resolved, totalSteps, List.copyOf(v));
    }

    private static List<LinearModules.Shape> matching(LinearModules modules, String target) {
        List<LinearModules.Shape> result = new ArrayList<>();
        for (Map.Entry<String, LinearModules.Shape> entry : modules.modules().entrySet()) {
            String path = entry.getKey();
            if (path.equals(target) || path.endsWith("." + target)) {
                result.add(entry.getValue());
            }
        }
        return result;
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static void range(List<String> violations, String field, long value, long min, long max) {
        if (value < min || value > max) {
            violations.add("hyperparameters." + field + ": must be between " + min + " and " + max);
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
