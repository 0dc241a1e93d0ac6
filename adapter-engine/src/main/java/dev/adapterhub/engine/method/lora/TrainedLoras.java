package dev.adapterhub.engine.method.lora;

import ai.djl.ndarray.NDArray;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.LinearAdapter;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.model.LoraAdapter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trainable LoRA adapters (A and B) a training method attaches to its target linears under one adapter name.
 * Plain LoRA and LoRA-GA differ only in how A and B start and how they are exported; attaching, checkpoint
 * naming ({@code <module>.lora_A/B}) and detaching are shared here.
 */
public final class TrainedLoras {

    private final String adapterName;
    private final LoraSettings settings;
    private final Map<String, LoraAdapter> adapters = new LinkedHashMap<>();

    public TrainedLoras(String adapterName, LoraSettings settings) {
        this.adapterName = adapterName;
        this.settings = settings;
    }

    public void attach(LlamaModel model, AdaptableLinear linear, NDArray a, NDArray b) {
        LoraAdapter adapter = LoraAdapter.create(model.manager(), a, b, settings.alpha(), settings.rsLora());
        linear.attach(adapterName, adapter);
        adapters.put(linear.name(), adapter);
    }

    /** Re-attaches one module's A and B from a checkpoint's trainable arrays. */
    public void restore(LlamaModel model, AdaptableLinear linear, Map<String, NDArray> trainable) {
        attach(model, linear, require(trainable, linear.name() + ".lora_A").duplicate(),
                require(trainable, linear.name() + ".lora_B").duplicate());
    }

    /** A and B of every module, keyed {@code <module>.lora_A} / {@code <module>.lora_B} (the checkpoint names). */
    public Map<String, NDArray> trainableParameters() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        adapters.forEach((name, a) -> {
            out.put(name + ".lora_A", a.a());
            out.put(name + ".lora_B", a.b());
        });
        return out;
    }

    /** The attached adapters by module, in model order. */
    public Map<String, LoraAdapter> byModule() {
        return Collections.unmodifiableMap(adapters);
    }

    /** Detaches and closes every adapter this set attached. */
    public void detachAll(LlamaModel model) {
        for (String name : adapters.keySet()) {
            LinearAdapter a = model.linear(name).detach(adapterName);
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
