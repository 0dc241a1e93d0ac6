package dev.adapterhub.worker.job;

import dev.adapterhub.engine.method.lora.LoraMethod;
import dev.adapterhub.engine.method.lora.LoraSettings;
import dev.adapterhub.engine.method.loraga.LoraGaMethod;
import dev.adapterhub.engine.method.lorasb.LoraSbMethod;
import dev.adapterhub.engine.method.shira.ShiraMaskType;
import dev.adapterhub.engine.method.shira.ShiraMethod;
import dev.adapterhub.engine.train.TrainingConfig;
import dev.adapterhub.engine.train.TrainingMethod;
import dev.adapterhub.worker.registry.ClaimedJob;
import dev.adapterhub.worker.registry.JobHyperparameters;
import java.util.List;

/**
 * Translates a job's resolved hyperparameters into the engine's {@link TrainingConfig} and {@link TrainingMethod}.
 * The registry fills in every default; a missing value here is a contract violation, not a reason to guess.
 */
public final class TrainingPlan {

    private TrainingPlan() {
    }

    public static TrainingConfig config(ClaimedJob.Job job) {
        JobHyperparameters hp = job.hyperparameters();
        TrainingConfig.Builder builder = TrainingConfig.builder()
                .setSteps(job.totalSteps())
                .setLearningRate(require(hp.learningRate(), "learningRate"))
                .optBatchSize(require(hp.batchSize(), "batchSize"))
                .optGradientAccumulation(require(hp.gradientAccumulation(), "gradientAccumulation"))
                .optWarmupSteps(require(hp.warmupSteps(), "warmupSteps"))
                .optEvalEvery(require(hp.evalEvery(), "evalEvery"))
                .optCheckpointEvery(require(hp.checkpointEvery(), "checkpointEvery"))
                .optMaxLength(require(hp.maxSequenceLength(), "maxSequenceLength"))
                .optSeed(require(hp.seed(), "seed"));
        if ("LORA_GA".equals(job.method())) {
            builder.optGradientBatches(require(hp.loraGaGradientBatches(), "loraGaGradientBatches"));
        }
        return builder.build();
    }

    public static TrainingMethod method(ClaimedJob.Job job) {
        JobHyperparameters hp = job.hyperparameters();
        int rank = require(hp.rank(), "rank");
        List<String> targets = require(hp.targetModules(), "targetModules");
        if ("SHIRA".equals(job.method())) {
            return new ShiraMethod(rank, ShiraMaskType.valueOf(require(hp.shiraMaskType(), "shiraMaskType")), targets);
        }
        LoraSettings settings = new LoraSettings(rank, require(hp.alpha(), "alpha").floatValue(),
                Boolean.TRUE.equals(hp.rsLora()), targets);
        return switch (job.method()) {
            case "LORA" -> new LoraMethod(settings);
            case "LORA_GA" -> new LoraGaMethod(settings);
            case "LORA_SB" -> new LoraSbMethod(settings);
            default -> throw new IllegalArgumentException("unknown method " + job.method());
        };
    }

    /** The job's share of held-out examples (0 = no evaluation). */
    public static double evalFraction(ClaimedJob.Job job) {
        return require(job.hyperparameters().evalFraction(), "evalFraction");
    }

    private static <T> T require(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException("the registry sent no value for hyperparameter " + name);
        }
        return value;
    }
}
