package dev.adapterhub.engine.train.recipe;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.tokenizer.TextTokenizer;
import dev.adapterhub.engine.train.PromptCompletion;
import dev.adapterhub.engine.train.PromptCompletionDataset;
import dev.adapterhub.engine.train.TokenizedExample;
import dev.adapterhub.engine.train.TokenizerEncoder;
import dev.adapterhub.engine.train.TrainingConfig;
import dev.adapterhub.engine.train.TrainingJob;
import dev.adapterhub.engine.train.TrainingListener;
import dev.adapterhub.engine.train.TrainingMethod;
import dev.adapterhub.engine.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one fine-tuning recipe every user of the engine runs (the worker, the CLI, the benchmarks, the transfer
 * service): dataset -> train/eval split -> tokenize with the base model's tokenizer -> {@link TrainingJob}
 * (optionally checkpointed, or resumed from a checkpoint) -> export. Listeners see progress, evaluations and
 * checkpoints, and stop the run by throwing.
 *
 * <p>Build with {@link #builder()}: {@code setX} required (one of each alternative), {@code optX} optional.
 * {@link #run()} owns what it loads and the method: all are closed when it returns or throws. A model passed in
 * with {@link Builder#setModel} stays the caller's; note that some methods change its base weights (LoRA-GA's
 * offset), so reload it before another run.
 */
public final class FineTune {

    private final Path baseModel;
    private final Device device;
    private final DataType baseType;
    private final LlamaModel model;
    private final TextTokenizer tokenizer;
    private final Path datasetFile;
    private final PromptCompletionDataset dataset;
    private final PromptCompletionDataset.Split split;
    private final double evalFraction;
    private final Long splitSeed;
    private final TrainingConfig config;
    private final MethodSpec methodSpec;
    private final TrainingMethod method;
    private final List<TrainingListener> listeners;
    private final Path checkpointDirectory;
    private final Path resumeFrom;
    private final Path exportDirectory;
    private final String baseModelName;
    private final int seedExamples;

    private FineTune(Builder b) {
        this.baseModel = b.baseModel;
        this.device = b.device;
        this.baseType = b.baseType;
        this.model = b.model;
        this.tokenizer = b.tokenizer;
        this.datasetFile = b.datasetFile;
        this.dataset = b.dataset;
        this.split = b.split;
        this.evalFraction = b.evalFraction;
        this.splitSeed = b.splitSeed;
        this.config = b.config;
        this.methodSpec = b.methodSpec;
        this.method = b.method;
        this.listeners = List.copyOf(b.listeners);
        this.checkpointDirectory = b.checkpointDirectory;
        this.resumeFrom = b.resumeFrom;
        this.exportDirectory = b.exportDirectory;
        this.baseModelName = b.baseModelName;
        this.seedExamples = b.seedExamples;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Runs the whole recipe on the calling thread (one per JVM at a time, see {@link TrainingJob}). */
    public FineTuneResult run() throws IOException {
        PromptCompletionDataset.Split data = data();
        // Null resources are skipped by try-with-resources: only what this run loads is closed here.
        try (TextTokenizer ownTokenizer = baseModel == null ? null : TextTokenizer.load(baseModel);
             LlamaModel ownModel = baseModel == null ? null
                     : CheckpointIO.load(baseModel, device == null ? Devices.preferred() : device, baseType);
             TrainingMethod trainingMethod = method != null ? method : TrainingMethods.create(methodSpec)) {
            TextTokenizer tok = ownTokenizer != null ? ownTokenizer : tokenizer;
            LlamaModel m = ownModel != null ? ownModel : model;
            TokenizerEncoder encoder = new TokenizerEncoder(tok);
            List<TokenizedExample> train = encoder.encodeAll(data.train().examples());
            List<TokenizedExample> eval = encoder.encodeAll(data.eval().examples());
            TrainingJob.Builder job = TrainingJob.builder()
                    .setModel(m)
                    .setMethod(trainingMethod)
                    .setTrainData(train)
                    .setConfig(config)
                    .optEvalData(eval)
                    .optPadId(tok.padId());
            listeners.forEach(job::optListener);
            if (checkpointDirectory != null) {
                job.optCheckpointDirectory(checkpointDirectory);
            }
            if (resumeFrom != null) {
                job.optResumeFrom(resumeFrom);
            }
            TrainingResult result = job.build().run();
            if (exportDirectory != null) {
                trainingMethod.export(exportDirectory, baseModelName);
            }
            List<PromptCompletion> seeds = data.train().examples().stream().limit(seedExamples).toList();
            return new FineTuneResult(result, exportDirectory, seeds);
        }
    }

    private PromptCompletionDataset.Split data() throws IOException {
        if (split != null) {
            return split;
        }
        PromptCompletionDataset all = dataset != null ? dataset : PromptCompletionDataset.read(datasetFile);
        return all.split(evalFraction, splitSeed != null ? splitSeed : config.seed());
    }

    /** Builder: {@code setX} required, {@code optX} optional. */
    public static final class Builder {
        private Path baseModel;
        private Device device;
        private DataType baseType = DataType.FLOAT32;
        private LlamaModel model;
        private TextTokenizer tokenizer;
        private Path datasetFile;
        private PromptCompletionDataset dataset;
        private PromptCompletionDataset.Split split;
        private double evalFraction;
        private Long splitSeed;
        private TrainingConfig config;
        private MethodSpec methodSpec;
        private TrainingMethod method;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private Path checkpointDirectory;
        private Path resumeFrom;
        private Path exportDirectory;
        private String baseModelName;
        private int seedExamples;

        /** The base model's HF directory (config, weights, tokenizer.json); loaded in F32 and closed by the run. */
        public Builder setBaseModel(Path v) {
            baseModel = v;
            return this;
        }

        /** Or a model and its tokenizer the caller has loaded and keeps (not closed by the run). */
        public Builder setModel(LlamaModel v, TextTokenizer t) {
            model = v;
            tokenizer = t;
            return this;
        }

        /** A prompt/completion JSONL file, split into train and eval by {@link #optEvalFraction}. */
        public Builder setDatasetFile(Path v) {
            datasetFile = v;
            return this;
        }

        /** Or the examples themselves, split the same way. */
        public Builder setDataset(PromptCompletionDataset v) {
            dataset = v;
            return this;
        }

        /** Or a split the caller made (e.g. once for many runs); used as it is. */
        public Builder setSplit(PromptCompletionDataset.Split v) {
            split = v;
            return this;
        }

        public Builder setConfig(TrainingConfig v) {
            config = v;
            return this;
        }

        /** The method to train, created with {@link TrainingMethods#create}. */
        public Builder setMethod(MethodSpec v) {
            methodSpec = v;
            return this;
        }

        /** Or a method instance (e.g. full fine-tuning); the run closes it. */
        public Builder setMethod(TrainingMethod v) {
            method = v;
            return this;
        }

        /** Device of a model loaded from {@link #setBaseModel}; default {@link Devices#preferred()}. */
        public Builder optDevice(Device v) {
            device = v;
            return this;
        }

        /**
         * The dtype of a base loaded from {@link #setBaseModel}: FLOAT32 (default) or FLOAT16, the frozen base in
         * half precision (on a GPU); adapter weights and optimizer state stay FLOAT32.
         */
        public Builder optBaseDataType(DataType v) {
            baseType = Objects.requireNonNull(v);
            return this;
        }

        /** Share of the examples held out for evaluation; default 0 (the data is still shuffled). */
        public Builder optEvalFraction(double v) {
            evalFraction = v;
            return this;
        }

        /** Seed of the train/eval shuffle; default the training seed of the config. */
        public Builder optSplitSeed(long v) {
            splitSeed = v;
            return this;
        }

        /** Adds a listener; throwing from it stops the run (e.g. cancellation, a lost lease). */
        public Builder optListener(TrainingListener v) {
            listeners.add(Objects.requireNonNull(v));
            return this;
        }

        /** Where step-NNNNNN checkpoints go; default none. */
        public Builder optCheckpointDirectory(Path v) {
            checkpointDirectory = v;
            return this;
        }

        /** A checkpoint of an earlier run with the same configuration and data to continue from; default none. */
        public Builder optResumeFrom(Path v) {
            resumeFrom = v;
            return this;
        }

        /** Export the trained adapter to {@code directory}, naming {@code baseModelName} in its config. */
        public Builder optExport(Path directory, String baseModelName) {
            exportDirectory = Objects.requireNonNull(directory, "directory");
            this.baseModelName = Objects.requireNonNull(baseModelName, "baseModelName");
            return this;
        }

        /** How many training examples to return as seed examples; default 0. */
        public Builder optSeedExamples(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("seed examples must not be negative");
            }
            seedExamples = v;
            return this;
        }

        public FineTune build() {
            if ((baseModel == null) == (model == null)) {
                throw new IllegalArgumentException("set exactly one of a base model directory or a loaded model");
            }
            if (model != null) {
                Objects.requireNonNull(tokenizer, "a loaded model needs its tokenizer");
            }
            int sources = (datasetFile != null ? 1 : 0) + (dataset != null ? 1 : 0) + (split != null ? 1 : 0);
            if (sources != 1) {
                throw new IllegalArgumentException("set exactly one of a dataset file, a dataset or a split");
            }
            Objects.requireNonNull(config, "config is required");
            if ((methodSpec == null) == (method == null)) {
                throw new IllegalArgumentException("set exactly one of a method spec or a method");
            }
            return new FineTune(this);
        }
    }
}
