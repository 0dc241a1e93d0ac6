package dev.adapterhub.engine.method.lora;

import ai.djl.ndarray.NDArray;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.model.LoraAdapter;
import dev.adapterhub.engine.peft.PeftIO;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes arbitrary per-module (A, B) factors as a standard PEFT LoRA: they are attached to the model under a
 * temporary adapter name, exported with {@link PeftIO#exportLora}, then detached and freed. (LoRA-GA and
 * LoRA-SB export factors that are not the ones being trained.)
 */
public final class LoraExport {

    static final String TEMPORARY = "__export__";

    private LoraExport() {
    }

    /** Factors of one module: A [r, in], B [out, r] (copied; the caller keeps ownership). */
    public record Factors(NDArray a, NDArray b) {
    }

    public static void write(LlamaModel model, Map<String, Factors> modules, float alpha, boolean rsLora,
                             Path directory, String baseModelName) throws IOException {
        try {
            for (Map.Entry<String, Factors> e : modules.entrySet()) {
                AdaptableLinear linear = model.linear(e.getKey());
                NDArray a = e.getValue().a().duplicate();
                NDArray b = e.getValue().b().duplicate();
                linear.attach(TEMPORARY, LoraAdapter.create(model.manager(), a, b, alpha, rsLora));
            }
            PeftIO.exportLora(model, TEMPORARY, directory, baseModelName);
        } finally {
            for (String name : modules.keySet()) {
                var adapter = model.linear(name).detach(TEMPORARY);
                if (adapter != null) {
                    adapter.close();
                }
            }
        }
    }
}
