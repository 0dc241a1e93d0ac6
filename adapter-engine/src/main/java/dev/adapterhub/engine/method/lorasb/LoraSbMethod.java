package dev.adapterhub.engine.method.lorasb;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.adapterhub.engine.linalg.RandomizedSvd;
import dev.adapterhub.engine.linalg.TruncatedSvd;
import dev.adapterhub.engine.method.lora.LoraExport;
import dev.adapterhub.engine.method.lora.LoraSettings;
import dev.adapterhub.engine.method.lora.TrainedLoras;
import dev.adapterhub.engine.method.TorchOwned;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.LinearAdapter;
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
    private final Map<String, LoraSbAdapter> adapters = new LinkedHashMap<>();

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
            attach(l, TrainedLoras.require(frozen, l.name() + ".lora_A").duplicate(),
                    TrainedLoras.require(trainable, l.name() + ".lora_R").duplicate(),
                    TrainedLoras.require(frozen, l.name() + ".lora_B").duplicate());
        }
    }


    private void attach(AdaptableLinear l, NDArray a, NDArray r, NDArray b) {
        LoraSbAdapter adapter = LoraSbAdapter.create(model.manager(), a, r, b, settings.scaling());
        l.attach(ADAPTER, adapter);
        adapters.put(l.name(), adapter);
    }

    @Override
    public Map<String, NDArray> trainableParameters() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        adapters.forEach((name, a) -> out.put(name + ".lora_R", a.r()));
        return out;
    }

    @Override
    public Map<String, NDArray> frozenState() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        adapters.forEach((name, a) -> {
            out.put(name + ".lora_A", a.a());
            out.put(name + ".lora_B", a.b());
        });
        return out;
    }

    /** The adapter trained on a module (null if not targeted). */
    public LoraSbAdapter adapter(String module) {
        return adapters.get(module);
    }

    @Override
    public void export(Path directory, String baseModelName) throws IOException {
        try (NDManager work = model.manager().newSubManager()) {
            Map<String, LoraExport.Factors> factors = new LinkedHashMap<>();
            for (Map.Entry<String, LoraSbAdapter> e : adapters.entrySet()) {
                NDArray rCopy = e.getValue().r().duplicate();
                rCopy.attach(work);
                NDArray a = rCopy.matMul(e.getValue().a());
                factors.put(e.getKey(), new LoraExport.Factors(a, e.getValue().b()));
            }
            LoraExport.write(model, factors, settings.alpha(), settings.rsLora(), directory, baseModelName);
        }
    }

    @Override
    public void close() {
        for (String name : adapters.keySet()) {
            LinearAdapter a = model.linear(name).detach(ADAPTER);
            if (a != null) {
                a.close();
            }
        }
        adapters.clear();
    }
}
