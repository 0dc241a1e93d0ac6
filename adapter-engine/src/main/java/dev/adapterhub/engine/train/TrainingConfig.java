package dev.adapterhub.engine.train;

/**
 * Hyperparameters of a job. Build with {@link #builder()}: {@code setX} for the required values (steps,
 * learning rate), {@code optX} for the rest, whose defaults are stated on each method.
 */
public record TrainingConfig(
        int steps,
        double learningRate,
        int batchSize,
        int gradientAccumulation,
        LearningRateSchedule.Kind schedule,
        int warmupSteps,
        double minLearningRateRatio,
        OptimizerKind optimizer,
        double beta1,
        double beta2,
        double epsilon,
        double weightDecay,
        double maxGradNorm,
        int maxLength,
        long seed,
        int evalEvery,
        int evalMaxExamples,
        int checkpointEvery,
        int gradientBatches,
        int gradientBatchSize,
        boolean compiledForward) {

    /** The update rule. */
    public enum OptimizerKind {
        ADAMW, SGD
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A schedule object for this configuration. */
    public LearningRateSchedule learningRateSchedule() {
        return LearningRateSchedule.of(schedule, learningRate, warmupSteps, steps, minLearningRateRatio);
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.steps = steps;
        b.learningRate = learningRate;
        b.batchSize = batchSize;
        b.gradientAccumulation = gradientAccumulation;
        b.schedule = schedule;
        b.warmupSteps = warmupSteps;
        b.minLearningRateRatio = minLearningRateRatio;
        b.optimizer = optimizer;
        b.beta1 = beta1;
        b.beta2 = beta2;
        b.epsilon = epsilon;
        b.weightDecay = weightDecay;
        b.maxGradNorm = maxGradNorm;
        b.maxLength = maxLength;
        b.seed = seed;
        b.evalEvery = evalEvery;
        b.evalMaxExamples = evalMaxExamples;
        b.checkpointEvery = checkpointEvery;
        b.gradientBatches = gradientBatches;
        b.gradientBatchSize = gradientBatchSize;
        b.compiledForward = compiledForward;
        return b;
    }

    /** Builder; {@link #build()} validates. */
    public static final class Builder {
        private int steps = -1;
        private double learningRate = -1;
        private int batchSize = 8;
        private int gradientAccumulation = 1;
        private LearningRateSchedule.Kind schedule = LearningRateSchedule.Kind.COSINE;
        private int warmupSteps;
        private double minLearningRateRatio;
        private OptimizerKind optimizer = OptimizerKind.ADAMW;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;
        private double weightDecay;
        private double maxGradNorm = 1.0;
        private int maxLength = 256;
        private long seed;
        private int evalEvery;
        private int evalMaxExamples = 64;
        private int checkpointEvery;
        private int gradientBatches = 8;
        private int gradientBatchSize;
        private boolean compiledForward;

        /** Required: optimizer steps. */
        public Builder setSteps(int v) {
            steps = v;
            return this;
        }

        /** Required: peak learning rate. */
        public Builder setLearningRate(double v) {
            learningRate = v;
            return this;
        }

        /** Examples per micro-batch; default 8. */
        public Builder optBatchSize(int v) {
            batchSize = v;
            return this;
        }

        /** Micro-batches per optimizer step; default 1. */
        public Builder optGradientAccumulation(int v) {
            gradientAccumulation = v;
            return this;
        }

        /** Decay after warmup; default COSINE (to {@link #optMinLearningRateRatio}). */
        public Builder optSchedule(LearningRateSchedule.Kind v) {
            schedule = v;
            return this;
        }

        /** Linear warmup steps; default 0. */
        public Builder optWarmupSteps(int v) {
            warmupSteps = v;
            return this;
        }

        /** Final learning rate as a fraction of the peak; default 0. */
        public Builder optMinLearningRateRatio(double v) {
            minLearningRateRatio = v;
            return this;
        }

        /** Default ADAMW. */
        public Builder optOptimizer(OptimizerKind v) {
            optimizer = v;
            return this;
        }

        /** AdamW betas; default 0.9, 0.999. */
        public Builder optBetas(double b1, double b2) {
            beta1 = b1;
            beta2 = b2;
            return this;
        }

        /** AdamW epsilon; default 1e-8. */
        public Builder optEpsilon(double v) {
            epsilon = v;
            return this;
        }

        /** Decoupled weight decay; default 0. */
        public Builder optWeightDecay(double v) {
            weightDecay = v;
            return this;
        }

        /** Global gradient-norm clip; default 1.0, 0 disables. */
        public Builder optMaxGradNorm(double v) {
            maxGradNorm = v;
            return this;
        }

        /** Longest training sequence in tokens; default 256 (longer ones lose prompt tokens from the front). */
        public Builder optMaxLength(int v) {
            maxLength = v;
            return this;
        }

        /** Seed of data order and method initialization; default 0. */
        public Builder optSeed(long v) {
            seed = v;
            return this;
        }

        /** Evaluate every N steps (and always at the end); default 0 = only at the end. */
        public Builder optEvalEvery(int v) {
            evalEvery = v;
            return this;
        }

        /** Eval examples used for loss and exact match; default 64. */
        public Builder optEvalMaxExamples(int v) {
            evalMaxExamples = v;
            return this;
        }

        /** Checkpoint every N steps (needs a checkpoint directory); default 0 = never. */
        public Builder optCheckpointEvery(int v) {
            checkpointEvery = v;
            return this;
        }

        /** Batches averaged for gradient-based initialization; default 8. */
        public Builder optGradientBatches(int v) {
            gradientBatches = v;
            return this;
        }

        /** Examples per gradient batch; default 0 = the training batch size. */
        public Builder optGradientBatchSize(int v) {
            gradientBatchSize = v;
            return this;
        }

        /**
         * Run the forward of LoRA, LoRA-GA and full fine-tuning as one TorchScript call
         * ({@link dev.adapterhub.engine.model.CompiledTrainingForward}, ADR 17); other methods, and a script that
         * fails, run the eager forward. Default false: on the CPU it does not pay; the GPU run measures both.
         */
        public Builder optCompiledForward(boolean v) {
            compiledForward = v;
            return this;
        }

        public TrainingConfig build() {
            if (steps < 1) {
                throw new IllegalArgumentException("steps must be set and positive");
            }
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("learning rate must be set and positive");
            }
            if (batchSize < 1 || gradientAccumulation < 1 || maxLength < 2 || gradientBatches < 1
                    || gradientBatchSize < 0 || evalEvery < 0 || checkpointEvery < 0 || evalMaxExamples < 0
                    || warmupSteps < 0) {
                throw new IllegalArgumentException("sizes and intervals must be positive");
            }
            return new TrainingConfig(steps, learningRate, batchSize, gradientAccumulation, schedule, warmupSteps,
                    minLearningRateRatio, optimizer, beta1, beta2, epsilon, weightDecay, maxGradNorm, maxLength, seed,
                    evalEvery, evalMaxExamples, checkpointEvery, gradientBatches,
                    gradientBatchSize == 0 ? batchSize : gradientBatchSize, compiledForward);
        }
    }
}
