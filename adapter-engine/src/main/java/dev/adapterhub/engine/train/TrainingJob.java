package dev.adapterhub.engine.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.adapterhub.engine.model.CompiledTrainingForward;
import dev.adapterhub.engine.model.ForwardInput;
import dev.adapterhub.engine.model.LlamaModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One fine-tuning run: a model, a {@link TrainingMethod}, tokenized data and a {@link TrainingConfig}.
 * The loop is explicit (no DJL Trainer): forward, masked cross-entropy, backward per micro-batch, global-norm
 * clipping, optimizer update in place, gradients cleared. PyTorch allows one gradient collector at a time per
 * process (djl-notes bug 3), so run one job per JVM at a time; {@link #run()} runs on the calling thread and
 * switches that thread's autograd mode off outside the collector. A non-finite loss stops the job with
 * {@link TrainingDivergedException}.
 *
 * <p>Build with {@link #builder()}: {@code setX} required, {@code optX} optional.
 */
public final class TrainingJob {

    private static final Logger LOG = Logger.getLogger(TrainingJob.class.getName());

    private final LlamaModel model;
    private final TrainingMethod method;
    private final List<TokenizedExample> train;
    private final List<TokenizedExample> eval;
    private final TrainingConfig config;
    private final int padId;
    private final List<TrainingListener> listeners;
    private final Path checkpointDirectory;
    private final Path resumeFrom;
    private final int stopAfter;
    private final StepPhases.Clock phases = new StepPhases.Clock();
    private CompiledTrainingForward compiled;
    private long compiledForwards;

    private TrainingJob(Builder b) {
        this.model = b.model;
        this.method = b.method;
        this.train = b.train;
        this.eval = b.eval;
        this.config = b.config;
        this.padId = b.padId;
        this.listeners = List.copyOf(b.listeners);
        this.checkpointDirectory = b.checkpointDirectory;
        this.resumeFrom = b.resumeFrom;
        this.stopAfter = b.stopAfter;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Directory of the checkpoint written after {@code step} steps. */
    public static Path checkpointPath(Path root, int step) {
        return root.resolve(String.format("step-%06d", step));
    }

    /** Prepares (or restores) the method, trains, evaluates and returns the outcome. The method stays attached. */
    public TrainingResult run() {
        JniUtils.setGradMode(false);
        BatchSampler sampler = new BatchSampler(train, config.batchSize(), config.seed());
        BatchSampler calibration = new BatchSampler(train, config.gradientBatchSize(), config.seed() + 1);
        GradientEstimator estimator = new GradientEstimator(model, calibration, padId, config.maxLength(),
                config.gradientBatches());
        MethodContext context = new MethodContext(model, config.seed(), config.learningRate(), estimator);
        Evaluator evaluator = eval.isEmpty() ? null : new Evaluator(model,
                eval.subList(0, Math.min(eval.size(), config.evalMaxExamples())), config.batchSize(), padId,
                config.maxLength());
        LearningRateSchedule schedule = config.learningRateSchedule();
        try (NDManager jobManager = model.manager().newSubManager();
             Optimizer optimizer = config.optimizer() == TrainingConfig.OptimizerKind.SGD ? new Sgd(jobManager)
                     : new AdamW(jobManager, config.beta1(), config.beta2(), config.epsilon(), config.weightDecay())) {
            int firstStep = 0;
            long prepareMillis = 0;
            List<Double> losses = new ArrayList<>();
            if (resumeFrom != null) {
                try (NDManager loadManager = jobManager.newSubManager()) {
                    TrainingCheckpoint.Loaded loaded = TrainingCheckpoint.load(resumeFrom, loadManager);
                    TrainingCheckpoint.State state = loaded.state();
                    if (!state.method().equals(method.name())) {
                        throw new IllegalArgumentException("checkpoint was written by method " + state.method()
                                + ", not " + method.name());
                    }
                    method.restore(context, loaded.frozen(), loaded.trainable());
                    optimizer.restore(loaded.optimizer(), state.optimizerSteps());
                    sampler.restore(new BatchSampler.State(state.samplerEpoch(), state.samplerCursor()));
                    firstStep = state.step();
                    losses.addAll(state.losses());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                long t0 = System.nanoTime();
                method.prepare(context);
                prepareMillis = (System.nanoTime() - t0) / 1_000_000;
            }
            Map<String, NDArray> params = method.trainableParameters();
            long trainable = 0;
            for (NDArray p : params.values()) {
                p.setRequiresGradient(true);
                trainable += p.getShape().size();
            }
            int lastStep = stopAfter > 0 ? Math.min(stopAfter, config.steps()) : config.steps();
            for (TrainingListener l : listeners) {
                l.onStart(new TrainingListener.Start(method.name(), firstStep, config.steps(), trainable, prepareMillis,
                        train.size(), eval.size()));
            }
            List<TrainingListener.Eval> evals = new ArrayList<>();
            long trainNanos = 0;
            int stepsRun = 0;
            compiled = compileForward();
            try {
                for (int step = firstStep; step < lastStep; step++) {
                    double lr = schedule.at(step);
                    long t0 = System.nanoTime();
                    StepOutcome outcome = trainStep(sampler, params, optimizer, jobManager, lr);
                    long dt = System.nanoTime() - t0;
                    trainNanos += dt;
                    stepsRun++;
                    losses.add(outcome.loss());
                    double meanNanos = (double) trainNanos / stepsRun;
                    TrainingListener.Step report = new TrainingListener.Step(step + 1, config.steps(),
                            outcome.loss(), lr, outcome.gradNorm(), outcome.tokens() / (dt / 1e9),
                            (step + 1) / (double) config.steps(), meanNanos * (config.steps() - step - 1) / 1e9,
                            dt / 1_000_000);
                    for (TrainingListener l : listeners) {
                        l.onStep(report);
                    }
                    if (!Double.isFinite(outcome.loss())) {
                        throw new TrainingDivergedException(step + 1, outcome.loss());
                    }
                    boolean last = step + 1 == lastStep;
                    if (evaluator != null && ((config.evalEvery() > 0 && (step + 1) % config.evalEvery() == 0)
                            || (last && lastStep == config.steps()))) {
                        TrainingListener.Eval e = evaluator.evaluate(step + 1, jobManager);
                        evals.add(e);
                        for (TrainingListener l : listeners) {
                            l.onEval(e);
                        }
                    }
                    if (checkpointDirectory != null && ((config.checkpointEvery() > 0
                            && (step + 1) % config.checkpointEvery() == 0) || last)) {
                        Path dir = checkpointPath(checkpointDirectory, step + 1);
                        BatchSampler.State s = sampler.state();
                        try {
                            TrainingCheckpoint.save(dir, new TrainingCheckpoint.State(step + 1, method.name(),
                                    config.optimizer().name(), optimizer.steps(), s.epoch(), s.cursor(), config.seed(),
                                    List.copyOf(losses)), params, method.frozenState(), optimizer.state());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        for (TrainingListener l : listeners) {
                            l.onCheckpoint(new TrainingListener.Checkpoint(step + 1, dir));
                        }
                    }
                }
            } finally {
                if (compiled != null) {
                    compiled.close();
                    compiled = null;
                }
            }
            for (NDArray p : params.values()) {
                p.setRequiresGradient(false);
            }
            List<Double> own = losses.subList(losses.size() - stepsRun, losses.size());
            TrainingResult result = new TrainingResult(method.name(), firstStep + stepsRun, List.copyOf(own),
                    List.copyOf(evals), prepareMillis, trainNanos / 1_000_000, trainable, phases.means(),
                    compiledForwards);
            for (TrainingListener l : listeners) {
                l.onFinish(result);
            }
            return result;
        }
    }

    /** The compiled forward when the config asks for it and it fits the method's adapters; else null (eager). */
    private CompiledTrainingForward compileForward() {
        if (!config.compiledForward()) {
            return null;
        }
        try {
            CompiledTrainingForward c = CompiledTrainingForward.compile(model);
            if (c.applies()) {
                return c;
            }
            c.close();
            LOG.info(method.name() + " trains through the eager forward (its adapters are not plain LoRAs)");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "training forward not compiled; running the eager forward", e);
        }
        return null;
    }

    /** F32 logits [B, T, V] of every position, recorded by the open gradient collector. */
    private NDArray forward(NDArray ids) {
        if (compiled != null) {
            try {
                NDArray logits = compiled.forward(ids);
                compiledForwards++;
                return logits;
            } catch (RuntimeException e) {
                // e.g. a fuser the device's libtorch cannot build: the failed call recorded nothing that is used
                LOG.log(Level.WARNING, "compiled training forward failed; running the eager forward from now on", e);
                compiled.close();
                compiled = null;
            }
        }
        // F32 activations whatever the base's dtype (a half-precision base is cast per linear)
        return model.forward(ForwardInput.builder(ids).computeType(DataType.FLOAT32).build());
    }

    private record StepOutcome(double loss, double gradNorm, long tokens) {
    }

    /** Adds the time since {@code since} to a phase; returns now. */
    private static long lap(long since, java.util.function.LongConsumer phase) {
        long now = System.nanoTime();
        phase.accept(now - since);
        return now;
    }

    private StepOutcome trainStep(BatchSampler sampler, Map<String, NDArray> params, Optimizer optimizer,
                                  NDManager jobManager, double lr) {
        long t = System.nanoTime();
        List<HostBatch> micro = new ArrayList<>(config.gradientAccumulation());
        long lossTokens = 0;
        long tokens = 0;
        for (int i = 0; i < config.gradientAccumulation(); i++) {
            List<TokenizedExample> examples = sampler.next();
            for (TokenizedExample e : examples) {
                tokens += Math.min(e.length() - 1, config.maxLength());
            }
            HostBatch b = HostBatch.collate(examples, padId, config.maxLength());
            micro.add(b);
            lossTokens += b.lossTokens();
        }
        double normalizer = Math.max(1, lossTokens);
        double loss = 0;
        try (NDManager stepManager = jobManager.newSubManager()) {
            for (HostBatch b : micro) {
                try (NDManager microManager = stepManager.newSubManager()) {
                    HostBatch.DeviceBatch db = b.toDevice(microManager, model.manager().getDevice());
                    t = lap(t, phases::batch);
                    NDArray value;
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = forward(db.inputIds());
                        // Summed over the micro-batch, divided by the tokens of the whole step: the accumulated
                        // gradient is exactly that of the token mean over all micro-batches.
                        value = MaskedCrossEntropy.sum(logits, db.targets(), db.lossMask(), normalizer);
                        t = lap(t, phases::forward);
                        collector.backward(value);
                    }
                    t = lap(t, phases::backward);
                    loss += value.getFloat();
                    t = lap(t, phases::waited);
                }
            }
            double norm = optimizer.update(params, config.maxGradNorm(), lr, stepManager);
            lap(t, phases::update);
            phases.stepDone();
            return new StepOutcome(loss, norm, tokens);
        }
    }

    /** Builder: {@code setX} required, {@code optX} optional. */
    public static final class Builder {
        private LlamaModel model;
        private TrainingMethod method;
        private List<TokenizedExample> train;
        private List<TokenizedExample> eval = List.of();
        private TrainingConfig config;
        private int padId;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private Path checkpointDirectory;
        private Path resumeFrom;
        private int stopAfter;

        public Builder setModel(LlamaModel v) {
            model = v;
            return this;
        }

        public Builder setMethod(TrainingMethod v) {
            method = v;
            return this;
        }

        /** Tokenized training examples. */
        public Builder setTrainData(List<TokenizedExample> v) {
            train = List.copyOf(v);
            return this;
        }

        public Builder setConfig(TrainingConfig v) {
            config = v;
            return this;
        }

        /** Padding id of the tokenizer; default 0. */
        public Builder optPadId(int v) {
            padId = v;
            return this;
        }

        /** Held-out examples for loss and exact match; default none (no evaluation). */
        public Builder optEvalData(List<TokenizedExample> v) {
            eval = List.copyOf(v);
            return this;
        }

        /** Adds a listener. */
        public Builder optListener(TrainingListener v) {
            listeners.add(Objects.requireNonNull(v));
            return this;
        }

        /** Where step-NNNNNN checkpoints go (every {@code checkpointEvery} steps and at the end); default none. */
        public Builder optCheckpointDirectory(Path v) {
            checkpointDirectory = v;
            return this;
        }

        /** Continue from a checkpoint directory written by a job with the same configuration and data. */
        public Builder optResumeFrom(Path v) {
            resumeFrom = v;
            return this;
        }

        /** Stop (and checkpoint) after this many steps of the schedule, e.g. for preemptible workers; default all. */
        public Builder optStopAfter(int v) {
            stopAfter = v;
            return this;
        }

        public TrainingJob build() {
            Objects.requireNonNull(model, "model is required");
            Objects.requireNonNull(method, "method is required");
            Objects.requireNonNull(config, "config is required");
            if (train == null || train.isEmpty()) {
                throw new IllegalArgumentException("training data is required");
            }
            return new TrainingJob(this);
        }
    }
}
