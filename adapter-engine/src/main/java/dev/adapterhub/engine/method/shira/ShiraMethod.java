package dev.adapterhub.engine.method.shira;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.adapterhub.engine.method.TorchOwned;
import dev.adapterhub.engine.method.lora.LoraSettings;
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
 * SHiRA (arXiv 2406.13175): trains K = r·(in + out) entries of each target weight, chosen by a
 * {@link ShiraMaskType}, as a sparse delta that starts at zero; exported as PEFT {@code "peft_type": "SHIRA"}.
 */
public final class ShiraMethod implements TrainingMethod {

    public static final String ADAPTER = "train";

    private final int rank;
    private final ShiraMaskType maskType;
    private final List<String> targetModules;
    private LlamaModel model;
    private long seed;
    private final Map<String, ShiraTrainingAdapter> adapters = new LinkedHashMap<>();

    public ShiraMethod(int rank, ShiraMaskType maskType, List<String> targetModules) {
        if (rank < 1) {
            throw new IllegalArgumentException("rank must be positive");
        }
        this.rank = rank;
        this.maskType = maskType;
        this.targetModules = List.copyOf(targetModules);
    }

    public ShiraMethod(int rank, ShiraMaskType maskType) {
        this(rank, maskType, LoraSettings.ALL_PROJECTIONS);
    }

    @Override
    public String name() {
        return "shira";
    }

    public int rank() {
        return rank;
    }

    public ShiraMaskType maskType() {
        return maskType;
    }

    public List<String> targetModules() {
        return targetModules;
    }

    public long seed() {
        return seed;
    }

    @Override
    public void prepare(MethodContext context) {
        model = context.model();
        seed = context.seed();
        List<AdaptableLinear> targets = LoraSettings.selectTargets(model, targetModules);
        try (NDManager work = model.manager().newSubManager()) {
            Map<String, NDArray> gradients = maskType.needsGradient()
                    ? context.gradients().meanGradients(targets, work) : Map.of();
            int index = 0;
            for (AdaptableLinear l : targets) {
                int k = ShiraMasks.count(rank, l.inFeatures(), l.outFeatures());
                long[] positions = switch (maskType) {
                    case RANDOM -> ShiraMasks.random((long) l.inFeatures() * l.outFeatures(), k, seed * 31 + index);
                    case WEIGHT_MAGNITUDE -> {
                        NDArray magnitude = l.weight().abs();
                        magnitude.attach(work);
                        yield ShiraMasks.topK(magnitude, k);
                    }
                    case GRADIENT -> ShiraMasks.topK(gradients.get(l.name()).abs(), k);
                    case SNIP -> {
                        NDArray g = gradients.get(l.name());
                        NDArray w = l.weight().toType(DataType.FLOAT32, true).toDevice(g.getDevice(), false);
                        w.attach(work);
                        yield ShiraMasks.topK(w.mul(g).abs(), k);
                    }
                };
                index++;
                attach(l, TorchOwned.create(model.manager(), positions),
                        model.manager().zeros(new Shape(positions.length), DataType.FLOAT32));
            }
        }
    }

    @Override
    public void restore(MethodContext context, Map<String, NDArray> frozen, Map<String, NDArray> trainable) {
        model = context.model();
        seed = context.seed();
        for (AdaptableLinear l : LoraSettings.selectTargets(model, targetModules)) {
            NDArray idx = frozen.get(l.name() + ".shira_indices");
            NDArray values = trainable.get(l.name() + ".shira_weight");
            if (idx == null || values == null) {
                throw new IllegalArgumentException("checkpoint lacks the SHiRA arrays of " + l.name());
            }
            attach(l, idx.toType(DataType.INT64, false).duplicate(), values.duplicate());
        }
    }

    private void attach(AdaptableLinear l, NDArray indices, NDArray values) {
        ShiraTrainingAdapter adapter = ShiraTrainingAdapter.create(model.manager(), indices, values,
                l.outFeatures(), l.inFeatures());
        l.attach(ADAPTER, adapter);
        adapters.put(l.name(), adapter);
    }

    /** The adapter of a module (null if not targeted). */
    public ShiraTrainingAdapter adapter(String module) {
        return adapters.get(module);
    }

    @Override
    public Map<String, NDArray> trainableParameters() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        adapters.forEach((name, a) -> out.put(name + ".shira_weight", a.values()));
        return out;
    }

    @Override
    public Map<String, NDArray> frozenState() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        adapters.forEach((name, a) -> out.put(name + ".shira_indices", a.flatIndices()));
        return out;
    }

    @Override
    public void export(Path directory, String baseModelName) throws IOException {
        ShiraExport.write(this, model, adapters, directory, baseModelName);
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
