package dev.adapterhub.engine.method.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.adapterhub.engine.method.TorchOwned;
import dev.adapterhub.engine.method.TrainedAdapters;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.model.LoraAdapter;
import dev.adapterhub.engine.train.MethodContext;
import dev.adapterhub.engine.train.TrainingMethod;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Plain LoRA with PEFT's default initialization: A Kaiming-uniform with a = sqrt(5) (uniform in
 * ±1/sqrt(in)), B zero, so training starts exactly at the base model.
 */
public final class LoraMethod implements TrainingMethod {

    /** Adapter name used on the model's linears during training. */
    public static final String ADAPTER = "train";

    private final LoraSettings settings;
    private LlamaModel model;
    private final TrainedAdapters<LoraAdapter> loras = new TrainedAdapters<>(ADAPTER);

    public LoraMethod(LoraSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "lora";
    }

    public LoraSettings settings() {
        return settings;
    }

    @Override
    public void prepare(MethodContext context) {
        model = context.model();
        Random random = new Random(context.seed());
        NDManager manager = model.manager();
        for (AdaptableLinear l : settings.select(model)) {
            int in = l.inFeatures();
            float bound = (float) (1.0 / Math.sqrt(in));
            float[] a = new float[settings.rank() * in];
            for (int i = 0; i < a.length; i++) {
                a[i] = (random.nextFloat() * 2 - 1) * bound;
            }
            NDArray aArray = TorchOwned.create(manager, a, new Shape(settings.rank(), in));
            NDArray bArray = manager.zeros(new Shape(l.outFeatures(), settings.rank()), DataType.FLOAT32);
            loras.attach(l, settings.adapter(manager, aArray, bArray));
        }
    }

    @Override
    public void restore(MethodContext context, Map<String, NDArray> frozen, Map<String, NDArray> trainable) {
        model = context.model();
        for (AdaptableLinear l : settings.select(model)) {
            loras.attach(l, settings.restoredAdapter(model.manager(), l.name(), trainable));
        }
    }

    @Override
    public Map<String, NDArray> trainableParameters() {
        return loras.trainableParameters();
    }

    /** The trained adapter of a module (null if not targeted). */
    public LoraAdapter adapter(String module) {
        return loras.adapter(module);
    }

    /** Writes the trained A and B as they are. */
    @Override
    public void export(Path directory, String baseModelName) throws IOException {
        Map<String, LoraPeft.Factors> factors = new LinkedHashMap<>();
        loras.byModule().forEach((module, a) -> factors.put(module, new LoraPeft.Factors(a.a(), a.b(), a.alpha())));
        LoraPeft.export(model, factors, settings.rsLora(), directory, baseModelName);
    }

    /** The modules trained, in model order. */
    public List<String> modules() {
        return List.copyOf(loras.byModule().keySet());
    }

    @Override
    public void close() {
        if (model != null) {
            loras.detachAll(model);
        }
    }
}
