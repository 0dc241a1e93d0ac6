package dev.adapterhub.worker.engine;

import ai.djl.ndarray.types.DataType;
import dev.adapterhub.engine.method.shira.ShiraMaskType;
import dev.adapterhub.engine.train.TrainingConfig;
import dev.adapterhub.engine.train.recipe.MethodSpec;
import dev.adapterhub.registry.client.model.Hyperparameters;
import dev.adapterhub.registry.client.model.Job;
import java.util.List;

/**
 * Translates a job's resolved hyperparameters into the engine's {@link TrainingConfig} and {@link MethodSpec}.
 * The registry fills in every default; a missing value here is a contract violation, not a reason to guess.
 */
final class TrainingPlan {

    private TrainingPlan() {
    }

    /** The job's hyperparameters; {@code compiledForward} is the worker's runtime setting (ADR 17). */
    static TrainingConfig config(Job job, boolean compiledForward) {
        Hyperparameters hp = job.hyperparameters();
        TrainingConfig.Builder builder = TrainingConfig.builder()
                .setSteps(job.totalSteps())
                .setLearningRate(require(hp.learningRate(), "learningRate"))
                .optBatchSize(require(hp.batchSize(), "batchSize"))
                .optGradientAccumulation(require(hp.gradientAccumulation(), "gradientAccumulation"))
                .optWarmupSteps(require(hp.warmupSteps(), "warmupSteps"))
                .optEvalEvery(require(hp.evalEvery(), "evalEvery"))
                .optCheckpointEvery(require(hp.checkpointEvery(), "checkpointEvery"))
                .optMaxLength(require(hp.maxSequenceLength(), "maxSequenceLength"))
                .optSeed(require(hp.seed(), "seed"))
                .optCompiledForward(compiledForward);
        if ("LORA_GA".equals(job.method())) {
            builder.optGradientBatches(require(hp.loraGaGradientBatches(), "loraGaGradientBatches"));
        }
        return builder.build();
    }

    static MethodSpec method(Job job) {
        Hyperparameters hp = job.hyperparameters();
        MethodSpec.Method method = MethodSpec.Method.parse(job.method());
        int rank = require(hp.rank(), "rank");
        List<String> targets = require(hp.targetModules(), "targetModules");
        if (method == MethodSpec.Method.SHIRA) {
            return MethodSpec.shira(rank, ShiraMaskType.valueOf(require(hp.shiraMaskType(), "shiraMaskType")), targets);
        }
        return MethodSpec.lora(method, rank, require(hp.alpha(), "alpha").floatValue(), Boolean.TRUE.equals(hp.rsLora()),
                targets);
    }

    /**
     * The dtype the frozen base is held in: FLOAT32 or FLOAT16. Jobs stored before the registry knew
     * {@code baseDtype} have none and trained in FLOAT32, so they resume in it.
     */
    static DataType baseDataType(Job job) {
        String name = job.hyperparameters().baseDtype();
        return switch (name == null ? "FLOAT32" : name) {
            case "FLOAT32" -> DataType.FLOAT32;
            case "FLOAT16" -> DataType.FLOAT16;
            default -> throw new IllegalArgumentException("the registry sent baseDtype " + name
                    + "; this worker trains FLOAT32 or FLOAT16 bases");
        };
    }

    /** The job's share of held-out examples (0 = no evaluation). */
    static double evalFraction(Job job) {
        return require(job.hyperparameters().evalFraction(), "evalFraction");
    }

    /** Seed of the train/eval split: the job's seed, as for training. */
    static long splitSeed(Job job) {
        return require(job.hyperparameters().seed(), "seed");
    }

    private static <T> T require(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException("the registry sent no value for hyperparameter " + name);
        }
        return value;
    }
}
