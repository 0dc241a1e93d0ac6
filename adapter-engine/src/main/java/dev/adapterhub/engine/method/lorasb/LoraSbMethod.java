package dev.adapterhub.engine.method.lorasb;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.adapterhub.engine.linalg.RandomizedSvd;
import dev.adapterhub.engine.linalg.TruncatedSvd;
import dev.adapterhub.engine.method.TorchOwned;
import dev.adapterhub.engine.method.TrainedAdapters;
import dev.adapterhub.engine.method.lora.LoraPeft;
import dev.adapterhub.engine.method.lora.LoraSettings;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.train.MethodContext;
import dev.adapterhub.engine.train.TrainingMethod;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LoRA-SB (arXiv 2411.19557) as docs/methods.md specifies: from the summed gradient, the approximate first
 * Adam update ΔŴ = −lr_eff·sign(ΣG) (lr_eff: {@link #DEFAULT_INIT_LEARNING_RATE} unless given); its rank-r SVD gives B = U_r and A = V_rᵀ (frozen) and R = diag(S_r)
 * (trained). No weight offset: training starts at W0 + s·B·R·A. Exported as plain LoRA A' = R·A, B' = B.
 */
public final class LoraSbMethod implements TrainingMethod {

    public static final String ADAPTER = "train";
    /**
     * Default lr of the simulated first Adam step: a full fine-tuning learning rate, not the (much larger)
     * learning rate used to train R. Using the job's lr here (1e-2..1e-1 for R) made the initial update as large
     * as the weights themselves and training diverged to NaN in the benchmark.
     */
    public static final double DEFAULT_INIT_LEARNING_RATE = 1e-3;

    private final LoraSettings settings;
    private final double initLearningRate;
    private LlamaModel model;
    private final TrainedAdapters<LoraSbAdapter> adapters = new TrainedAdapters<>(ADAPTER);

    public LoraSbMethod(LoraSettings settings) {
        this(settings, DEFAULT_INIT_LEARNING_RATE);
    }

    /** @param initLearningRate lr_eff of ΔŴ = −lr_eff·sign(ΣG) */
    public LoraSbMethod(LoraSettings settings, double initLearningRate) {
        if (!(initLearningRate > 0)) {
            throw new IllegalArgumentException("init learning rate must be positive");
        }
        this.settings = settings;
        this.initLearningRate = initLearningRate;
    }

    @Override
    public String name() {
        return "lora-sb";
    }

    public LoraSettings settings() {
        return settings;
    }

    @Override
    public void prepare(MethodContext context) {
        model = context.model();
        List<AdaptableLinear> targets = settings.select(model);
        int r = settings.rank();
        try (NDManager work = model.manager().newSubManager()) {
            Map<String, NDArray> gradients = context.gradients().meanGradients(targets, work);
            int index = 0;
            for (AdaptableLinear l : targets) {
                NDArray g = gradients.remove(l.name());
                // sign(mean) = sign(sum): the batch count only rescales.
                NDArray update = g.sign().muli(-initLearningRate);
                g.close();
                int rank = Math.min(r, Math.min(l.inFeatures(), l.outFeatures()));
                int q = Math.min(4 * rank, Math.min(l.inFeatures(), l.outFeatures()));
                TruncatedSvd svd = RandomizedSvd.compute(update, q, RandomizedSvd.DEFAULT_POWER_ITERATIONS,
                        context.seed() * 7919 + index++, work);
                update.close();
                float[] diag = new float[rank * rank];
                for (int i = 0; i < rank; i++) {
                    diag[i * rank + i] = (float) svd.singularValues()[i];
                }
                // duplicate(), not toDevice(copy): on the same device "to" returns an alias of the sliced, Java-backed
                // SVD array, which dies with the work manager (the GC then frees memory B and A still point to).
                NDArray b = svd.u().get(new NDIndex(":, 0:" + rank)).duplicate().toDevice(model.manager().getDevice(), false);
                NDArray a = svd.vt().get(new NDIndex("0:" + rank + ", :")).duplicate().toDevice(model.manager().getDevice(), false);
                NDArray rCore = TorchOwned.create(model.manager(), diag, new Shape(rank, rank));
                attach(l, a, rCore, b);
            }
        }
    }

    @Override
    public void restore(MethodContext context, Map<String, NDArray> frozen, Map<String, NDArray> trainable) {
        model = context.model();
        for (AdaptableLinear l : settings.select(model)) {
            attach(l, TrainedAdapters.require(frozen, l.name() + ".lora_A").duplicate(),
                    TrainedAdapters.require(trainable, l.name() + ".lora_R").duplicate(),
                    TrainedAdapters.require(frozen, l.name() + ".lora_B").duplicate());
        }
    }

    private void attach(AdaptableLinear l, NDArray a, NDArray r, NDArray b) {
        adapters.attach(l, LoraSbAdapter.create(model.manager(), a, r, b, settings.scaling()));
    }

    /** R of every module, keyed {@code <module>.lora_R}. */
    @Override
    public Map<String, NDArray> trainableParameters() {
        return adapters.trainableParameters();
    }

    /** The fixed A and B of every module, keyed {@code <module>.lora_A} / {@code <module>.lora_B}. */
    @Override
    public Map<String, NDArray> frozenState() {
        return adapters.frozenState();
    }

    /** The adapter trained on a module (null if not targeted). */
    public LoraSbAdapter adapter(String module) {
        return adapters.adapter(module);
    }

    /** Plain LoRA A' = R·A, B' = B. */
    @Override
    public void export(Path directory, String baseModelName) throws IOException {
        try (NDManager work = model.manager().newSubManager()) {
            Map<String, LoraPeft.Factors> factors = new LinkedHashMap<>();
            for (Map.Entry<String, LoraSbAdapter> e : adapters.byModule().entrySet()) {
                NDArray rCopy = e.getValue().r().duplicate();
                rCopy.attach(work);
                NDArray a = rCopy.matMul(e.getValue().a());
                factors.put(e.getKey(), new LoraPeft.Factors(a, e.getValue().b(), settings.alpha()));
            }
            LoraPeft.export(model, factors, settings.rsLora(), directory, baseModelName);
        }
    }

    @Override
    public void close() {
        if (model != null) {
            adapters.detachAll(model);
        }
    }
}
