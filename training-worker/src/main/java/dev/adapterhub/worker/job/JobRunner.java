package dev.adapterhub.worker.job;

import ai.djl.ndarray.types.DataType;
import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.tokenizer.TextTokenizer;
import dev.adapterhub.engine.train.InvalidDatasetException;
import dev.adapterhub.engine.train.PromptCompletion;
import dev.adapterhub.engine.train.PromptCompletionDataset;
import dev.adapterhub.engine.train.TokenizedExample;
import dev.adapterhub.engine.train.TokenizerEncoder;
import dev.adapterhub.engine.train.TrainingConfig;
import dev.adapterhub.engine.train.TrainingDivergedException;
import dev.adapterhub.engine.train.TrainingJob;
import dev.adapterhub.engine.train.TrainingListener;
import dev.adapterhub.engine.train.TrainingMethod;
import dev.adapterhub.engine.train.TrainingResult;
import dev.adapterhub.worker.cache.CorruptInputException;
import dev.adapterhub.worker.cache.InputCache;
import dev.adapterhub.worker.config.WorkerConfig;
import dev.adapterhub.worker.progress.ProgressThrottle;
import dev.adapterhub.worker.registry.ClaimedJob;
import dev.adapterhub.worker.registry.Completion;
import dev.adapterhub.worker.registry.Heartbeat;
import dev.adapterhub.worker.registry.RegistryClient;
import dev.adapterhub.worker.registry.RegistryRejectedException;
import dev.adapterhub.worker.registry.RegistryUnavailableException;
import dev.adapterhub.worker.runtime.EngineRuntime;
import dev.adapterhub.worker.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Runs one claimed attempt to its end: inputs from the cache, training with the engine (resumed from the last
 * uploaded checkpoint when the claim says so), export, hand-in. Every outcome is reported to the registry exactly
 * once: {@code complete}, {@code fail}, or nothing when the lease was lost (the registry already decided).
 */
@ApplicationScoped
public class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);
    private static final int COMPLETE_ATTEMPTS = 5;

    private final RegistryClient registry;
    private final InputCache cache;
    private final ObjectStore store;
    private final EngineRuntime runtime;
    private final WorkerConfig config;
    private volatile boolean stopRequested;

    public JobRunner(RegistryClient registry, InputCache cache, ObjectStore store, EngineRuntime runtime,
                     WorkerConfig config) {
        this.registry = registry;
        this.cache = cache;
        this.store = store;
        this.runtime = runtime;
        this.config = config;
    }

    /** Asks a running job to hand over at its next step (process shutdown): reported as a retryable failure. */
    public void requestStop() {
        stopRequested = true;
    }

    public void run(ClaimedJob claim) {
        ClaimedJob.Job job = claim.job();
        Path workDir = Path.of(config.runtime().workDir()).resolve(job.id() + "-attempt-" + job.attempt());
        try (Lease lease = new Lease(registry, job.id(), claim.leaseToken(), config.heartbeatInterval())) {
            try {
                Completion completion = train(claim, lease, workDir);
                complete(claim, lease, completion);
            } catch (JobAbortedException e) {
                LOG.infof("job %s attempt %d stopped: %s", job.id(), job.attempt(), e.getMessage());
            } catch (Exception | OutOfMemoryError e) {
                Failure failure = Failure.classify(e);
                LOG.errorf(e, "job %s attempt %d failed (%s)", job.id(), job.attempt(),
                        failure.retryable() ? "retryable" : "final");
                reportFailure(claim, lease, failure);
            }
        } finally {
            deleteQuietly(workDir);
        }
    }

    private Completion train(ClaimedJob claim, Lease lease, Path workDir) throws IOException {
        ClaimedJob.Job job = claim.job();
        Path baseDir = cache.baseModel(claim.baseModelFiles());
        Path datasetFile = cache.file(claim.datasetFile());
        String bucket = claim.datasetFile().bucket();
        Path resumeFrom = null;
        if (claim.resumeFromStep() != null) {
            String prefix = RegistryProgressReporter.checkpointKey(claim.checkpointPrefix(), claim.resumeFromStep());
            resumeFrom = TrainingJob.checkpointPath(workDir.resolve("resume"), claim.resumeFromStep());
            int objects = store.downloadDirectory(bucket, prefix, resumeFrom);
            if (objects == 0) {
                throw new IOException("checkpoint s3://" + bucket + "/" + prefix + " announced but not found");
            }
        }
        lease.send(Heartbeat.message(lease.token(), "Inputs ready: base model " + job.baseModel().name() + "@"
                + job.baseModel().revision() + ", dataset " + job.dataset().digest()
                + (resumeFrom == null ? "" : ", checkpoint of step " + claim.resumeFromStep())));

        PromptCompletionDataset.Split split = PromptCompletionDataset.read(datasetFile)
                .split(TrainingPlan.evalFraction(job), job.hyperparameters().seed());
        TrainingConfig trainingConfig = TrainingPlan.config(job);
        Path adapterDir = workDir.resolve("adapter");
        try (TextTokenizer tokenizer = TextTokenizer.load(baseDir);
             LlamaModel model = CheckpointIO.load(baseDir, runtime.device(), DataType.FLOAT32);
             TrainingMethod method = TrainingPlan.method(job)) {
            TokenizerEncoder encoder = new TokenizerEncoder(tokenizer);
            List<TokenizedExample> train = encoder.encodeAll(split.train().examples());
            List<TokenizedExample> eval = encoder.encodeAll(split.eval().examples());
            TrainingJob.Builder builder = TrainingJob.builder()
                    .setModel(model)
                    .setMethod(method)
                    .setTrainData(train)
                    .setConfig(trainingConfig)
                    .optEvalData(eval)
                    .optPadId(tokenizer.padId())
                    .optCheckpointDirectory(workDir.resolve("checkpoints"))
                    .optListener(new RegistryProgressReporter(lease, new ProgressThrottle(config.progressInterval()),
                            store, bucket, claim.checkpointPrefix(), () -> stopRequested));
            if (resumeFrom != null) {
                builder.optResumeFrom(resumeFrom);
            }
            TrainingResult result = builder.build().run();
            lease.requireHeld();
            method.export(adapterDir, job.baseModel().name());
            return new Completion(adapterDir, metrics(result), seedExamples(split.train().examples()));
        }
    }

    private List<Completion.Metric> metrics(TrainingResult result) {
        List<Completion.Metric> metrics = new ArrayList<>();
        if (!result.losses().isEmpty()) {
            metrics.add(new Completion.Metric("train_loss", result.losses().get(result.losses().size() - 1), "train",
                    result.steps()));
        }
        TrainingListener.Eval eval = result.finalEval();
        if (eval != null) {
            metrics.add(new Completion.Metric("eval_loss", eval.loss(), "eval", eval.step()));
            metrics.add(new Completion.Metric("eval_exact_match", eval.exactMatch(), "eval", eval.step()));
        }
        return metrics;
    }

    private List<Completion.SeedExample> seedExamples(List<PromptCompletion> train) {
        return train.stream().limit(config.maxSeedExamples())
                .map(e -> new Completion.SeedExample(e.prompt(), e.completion())).toList();
    }

    private void complete(ClaimedJob claim, Lease lease, Completion completion) {
        ClaimedJob.Job job = claim.job();
        for (int attempt = 1; ; attempt++) {
            try {
                var answer = registry.complete(job.id(), lease.token(), completion);
                LOG.infof("job %s succeeded: %s version %s", job.id(), job.adapterName(),
                        answer.path("version").path("version").asText("?"));
                return;
            } catch (RegistryRejectedException e) {
                if (e.isLeaseLost()) {
                    throw new JobAbortedException(e.getMessage());
                }
                throw e;
            } catch (RegistryUnavailableException e) {
                // complete is idempotent by job id, so repeating it after a lost answer is safe.
                if (attempt == COMPLETE_ATTEMPTS) {
                    throw e;
                }
                LOG.warnf("job %s: completion not delivered (try %d of %d): %s", job.id(), attempt,
                        COMPLETE_ATTEMPTS, e.getMessage());
                pause(config.retryBackoff().toMillis());
                lease.send(Heartbeat.renew(lease.token()));
            }
        }
    }

    private void reportFailure(ClaimedJob claim, Lease lease, Failure failure) {
        try {
            registry.fail(claim.job().id(), lease.token(), failure.reason(), failure.retryable());
        } catch (RuntimeException e) {
            // The lease will expire and the reaper re-queues the attempt: nothing is lost.
            LOG.warnf("job %s: could not report the failure (%s); the lease will expire", claim.job().id(),
                    e.getMessage());
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("could not clean %s: %s", dir, e.getMessage());
        }
    }

    /** Why an attempt failed, as the user will read it, and whether another attempt could succeed. */
    record Failure(String reason, boolean retryable) {

        static Failure classify(Throwable e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            // These cannot succeed on another attempt; everything else (I/O, storage, memory) might.
            boolean retryable = !(e instanceof IllegalArgumentException
                    || e instanceof RegistryRejectedException
                    || e instanceof InvalidDatasetException
                    || e instanceof TrainingDivergedException
                    || e instanceof CorruptInputException);
            String kind = e instanceof OutOfMemoryError ? "out of memory: "
                    : e instanceof TrainingDivergedException ? "training diverged: " : "";
            if (e instanceof WorkerStoppingException) {
                return new Failure(message, true);
            }
            String reason = kind + message;
            return new Failure(reason.length() > 900 ? reason.substring(0, 900) + "…" : reason, retryable);
        }
    }
}
