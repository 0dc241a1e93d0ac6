package dev.adapterhub.engine.peft;

import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.formats.hf.LinearModules;
import dev.adapterhub.formats.peft.InvalidAdapterException;
import dev.adapterhub.formats.peft.PeftAdapterFiles;
import dev.adapterhub.formats.peft.PeftConfig;
import dev.adapterhub.formats.peft.PeftType;
import dev.adapterhub.formats.peft.TargetModules;
import dev.adapterhub.formats.safetensors.SafetensorsWriter;
import dev.adapterhub.formats.safetensors.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every PEFT method shares between HF PEFT directories ({@code adapter_config.json} +
 * {@code adapter_model.safetensors}) and a {@link LlamaModel}: the model's linears as the formats module sees
 * them, validation before anything touches the model, {@code target_modules} naming and writing a directory.
 * The methods' own readers and writers are {@code method.lora.LoraPeft} and {@code method.shira.ShiraPeft}.
 */
public final class PeftFiles {

    private PeftFiles() {
    }

    /** The model's linear layers as the formats module sees them ({@code lm_head} excluded, like PEFT). */
    public static LinearModules linearModules(LlamaModel model) {
        Map<String, LinearModules.Shape> m = new LinkedHashMap<>();
        for (AdaptableLinear l : model.linears().values()) {
            if (!l.name().equals("lm_head")) {
                m.put(l.name(), new LinearModules.Shape(l.outFeatures(), l.inFeatures()));
            }
        }
        return LinearModules.of(m);
    }

    /**
     * Reads and validates a PEFT directory against the model; throws {@link InvalidAdapterException} listing the
     * problems, or when the adapter is not of the {@code expected} type. Pickle files are never read.
     */
    public static PeftConfig validated(LlamaModel model, Path dir, PeftType expected) throws IOException {
        List<String> problems = PeftAdapterFiles.validateDirectory(dir, linearModules(model));
        if (!problems.isEmpty()) {
            throw new InvalidAdapterException("invalid adapter: " + String.join("; ", problems));
        }
        PeftConfig config = PeftConfig.read(dir);
        requireType(config, expected);
        return config;
    }

    /** Fails with {@link InvalidAdapterException} unless the config is of the {@code expected} type. */
    public static void requireType(PeftConfig config, PeftType expected) {
        if (config.peftType() != expected) {
            throw new InvalidAdapterException("adapter is " + config.peftType() + ", expected " + expected);
        }
    }

    /** Short names when they select exactly {@code modules}; otherwise the full module paths. */
    public static TargetModules targets(LlamaModel model, Set<String> modules) {
        Set<String> shortNames = new LinkedHashSet<>();
        for (String m : modules) {
            shortNames.add(m.substring(m.lastIndexOf('.') + 1));
        }
        LinearModules all = linearModules(model);
        Set<String> selected = new LinkedHashSet<>(all.matching(List.copyOf(shortNames)));
        if (selected.equals(modules)) {
            return TargetModules.of(List.copyOf(shortNames));
        }
        return TargetModules.of(List.copyOf(modules));
    }

    /** Writes {@code adapter_model.safetensors} and {@code adapter_config.json} into {@code outDir}. */
    public static void write(Path outDir, PeftConfig config, Map<String, Tensor> tensors) throws IOException {
        Files.createDirectories(outDir);
        SafetensorsWriter.write(outDir.resolve(PeftAdapterFiles.ADAPTER_WEIGHTS), tensors);
        config.writeTo(outDir);
    }
}
