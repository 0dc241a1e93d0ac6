package dev.adapterhub.engine.method.shira;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.adapterhub.engine.method.TorchOwned;
import dev.adapterhub.engine.method.TrainedAdapters;
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
    private final TrainedAdapters<ShiraTrainingAdapter> adapters = new TrainedAdapters<>(ADAPTER);

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
            NDArray idx = TrainedAdapters.require(frozen, l.name() + ".shira_indices");
            NDArray values = TrainedAdapters.require(trainable, l.name() + ".shira_weight");
            attach(l, idx.toType(DataType.INT64, false).duplicate(), values.duplicate());
        }
    }

    private void attach(AdaptableLinear l, NDArray indices, NDArray values) {
        adapters.attach(l, ShiraTrainingAdapter.create(model.manager(), indices, values, l.outFeatures(),
                l.inFeatures()));
    }

    /** The adapter of a module (null if not targeted). */
    public ShiraTrainingAdapter adapter(String module) {
        return adapters.adapter(module);
    }

    /** The values of every module, keyed {@code <module>.shira_weight}. */
    @Override
    public Map<String, NDArray> trainableParameters() {
        return adapters.trainableParameters();
    }

    /** The masks (int64 flat positions), keyed {@code <module>.shira_indices}. */
    @Override
    public Map<String, NDArray> frozenState() {
        return adapters.frozenState();
    }

    /** PEFT SHiRA: the trained flat positions and values as (row, column, value) deltas. */
    @Override
    public void export(Path directory, String baseModelName) throws IOException {
        Map<String, SparseDelta> deltas = new LinkedHashMap<>();
        for (Map.Entry<String, ShiraTrainingAdapter> e : adapters.byModule().entrySet()) {
            int in = model.linear(e.getKey()).inFeatures();
            long[] flat = e.getValue().flatIndices().toType(DataType.INT64, false).toLongArray();
            float[] values = e.getValue().values().toType(DataType.FLOAT32, false).toFloatArray();
            int[] rows = new int[flat.length];
            int[] cols = new int[flat.length];
            for (int i = 0; i < flat.length; i++) {
                rows[i] = (int) (flat[i] / in);
                cols[i] = (int) (flat[i] % in);
            }
            deltas.put(e.getKey(), new SparseDelta(rows, cols, values));
        }
        ShiraPeft.export(model, deltas, rank, maskType.peftName(), seed, directory, baseModelName);
    }

    @Override
    public void close() {
        if (model != null) {
            adapters.detachAll(model);
        }
    }
}
