package dev.adapterhub.engine.method;

import ai.djl.ndarray.NDArray;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.LinearAdapter;
import dev.adapterhub.engine.model.LlamaModel;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The adapters one training method attaches to its target linears under one adapter name, by module in model
 * order. Every adapter method (LoRA, LoRA-GA, LoRA-SB, SHiRA) keeps its adapters here, so checkpoint naming
 * ({@code <module>.<array>}, from the adapter's own trainable and frozen arrays) and detaching exist once.
 *
 * @param <A> the adapter type
 */
public final class TrainedAdapters<A extends LinearAdapter> {

    private final String adapterName;
    private final Map<String, A> adapters = new LinkedHashMap<>();

    public TrainedAdapters(String adapterName) {
        this.adapterName = adapterName;
    }

    /** Attaches {@code adapter} (now owned by the linear) and records it under the linear's name. */
    public void attach(AdaptableLinear linear, A adapter) {
        linear.attach(adapterName, adapter);
        adapters.put(linear.name(), adapter);
    }

    /** The adapter of a module, or null if it is not targeted. */
    public A adapter(String module) {
        return adapters.get(module);
    }

    /** The attached adapters by module, in model order. */
    public Map<String, A> byModule() {
        return Collections.unmodifiableMap(adapters);
    }

    /** Every adapter's trainable arrays, keyed {@code <module>.<name>} (the checkpoint names). */
    public Map<String, NDArray> trainableParameters() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        adapters.forEach((module, a) -> a.trainableParameters().forEach((name, array) -> out.put(module + "." + name, array)));
        return out;
    }

    /** Every adapter's frozen arrays, keyed {@code <module>.<name>}. */
    public Map<String, NDArray> frozenState() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        adapters.forEach((module, a) -> a.frozenState().forEach((name, array) -> out.put(module + "." + name, array)));
        return out;
    }

    /** Detaches and closes every adapter attached through this holder. */
    public void detachAll(LlamaModel model) {
        for (String module : adapters.keySet()) {
            LinearAdapter a = model.linear(module).detach(adapterName);
            if (a != null) {
                a.close();
            }
        }
        adapters.clear();
    }

    /** A checkpoint array that must be present; a missing one means the checkpoint belongs to another job. */
    public static NDArray require(Map<String, NDArray> arrays, String key) {
        NDArray a = arrays.get(key);
        if (a == null) {
            throw new IllegalArgumentException("checkpoint lacks " + key);
        }
        return a;
    }
}
