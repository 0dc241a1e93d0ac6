package dev.adapterhub.engine.serve;

import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.method.lora.LoraPeft;
import dev.adapterhub.engine.method.lora.LoraWeights;
import dev.adapterhub.engine.method.shira.ShiraPeft;
import dev.adapterhub.engine.method.shira.ShiraWeights;
import dev.adapterhub.engine.method.shira.SparseDelta;
import dev.adapterhub.engine.peft.PeftFiles;
import dev.adapterhub.formats.FormatException;
import dev.adapterhub.formats.peft.PeftAdapterFiles;
import dev.adapterhub.formats.peft.PeftConfig;
import dev.adapterhub.formats.peft.PeftType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a PEFT adapter directory into host memory after the compatibility check, on the caller's thread (the model
 * is only read: module names and shapes). Everything is checked before anything is loaded; every problem is
 * reported, never a silent fallback to the base output.
 */
final class AdapterFiles {

    /** A checked adapter on the host: exactly one of {@code lora} / {@code shira} is set. */
    record HostAdapter(AdapterInfo info, LoraWeights lora, ShiraWeights shira) {
    }

    private AdapterFiles() {
    }

    static HostAdapter read(String key, Path dir, LlamaModel model, String expectedBase, String servedBase) {
        List<String> problems = new ArrayList<>();
        if (expectedBase != null && servedBase != null && !expectedBase.equals(servedBase)) {
            problems.add("the adapter was trained on base model '" + expectedBase + "' but this engine serves '"
                    + servedBase + "'");
        }
        if (!Files.isDirectory(dir)) {
            throw new IncompatibleAdapterException(key, List.of("no adapter directory at the given path"));
        }
        try {
            PeftConfig config = PeftConfig.read(dir);
            if (config.peftType() != PeftType.LORA && config.peftType() != PeftType.SHIRA) {
                problems.add("peft_type " + config.peftType() + " is not served (LORA and SHIRA are)");
            }
            if (config.fanInFanOut()) {
                problems.add("fan_in_fan_out=true does not fit Llama linears");
            }
            if (config.modulesToSave() != null && !config.modulesToSave().isEmpty()) {
                problems.add("modules_to_save is not supported");
            }
            if (config.peftType() == PeftType.LORA && config.bias() != null && !config.bias().equals("none")) {
                problems.add("LoRA bias '" + config.bias() + "' is not supported (only \"none\")");
            }
            if (config.extra().get("use_dora") != null && config.extra().get("use_dora").asBoolean(false)) {
                problems.add("DoRA (use_dora=true) is not supported");
            }
            problems.addAll(PeftAdapterFiles.validateDirectory(dir, PeftFiles.linearModules(model)));
            if (!problems.isEmpty()) {
                throw new IncompatibleAdapterException(key, problems);
            }
            if (config.peftType() == PeftType.LORA) {
                LoraWeights w = LoraPeft.read(dir);
                checkLoraShapes(model, w, problems);
                if (!problems.isEmpty()) {
                    throw new IncompatibleAdapterException(key, problems);
                }
                int rank = 0;
                long params = 0;
                for (String m : w.a().keySet()) {
                    rank = Math.max(rank, (int) w.aShape().get(m)[0]);
                    params += w.a().get(m).length + w.b().get(m).length;
                }
                return new HostAdapter(new AdapterInfo(key, AdapterKind.LORA, rank, List.copyOf(w.a().keySet()),
                        params, config.baseModelNameOrPath(), Duration.ZERO), w, null);
            }
            ShiraWeights s = ShiraPeft.read(dir);
            long params = 0;
            for (Map.Entry<String, SparseDelta> e : s.deltas().entrySet()) {
                AdaptableLinear l = model.linears().get(e.getKey());
                if (l == null) {
                    problems.add("module " + e.getKey() + " does not exist in the base model");
                    continue;
                }
                SparseDelta d = e.getValue();
                for (int i = 0; i < d.size(); i++) {
                    if (d.rows()[i] < 0 || d.rows()[i] >= l.outFeatures() || d.cols()[i] < 0
                            || d.cols()[i] >= l.inFeatures()) {
                        problems.add("module " + e.getKey() + ": SHiRA index outside the weight");
                        break;
                    }
                }
                params += d.size();
            }
            if (!problems.isEmpty()) {
                throw new IncompatibleAdapterException(key, problems);
            }
            return new HostAdapter(new AdapterInfo(key, AdapterKind.SHIRA, config.r(),
                    List.copyOf(s.deltas().keySet()), params, config.baseModelNameOrPath(), Duration.ZERO), null, s);
        } catch (FormatException e) {
            problems.add(e.getMessage());
            throw new IncompatibleAdapterException(key, problems);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read adapter '" + key + "'", e);
        }
    }

    private static void checkLoraShapes(LlamaModel model, LoraWeights w, List<String> problems) {
        for (String m : w.a().keySet()) {
            AdaptableLinear l = model.linears().get(m);
            if (l == null || m.equals("lm_head")) {
                problems.add("module " + m + " does not exist in the base model");
                continue;
            }
            long[] a = w.aShape().get(m);
            long[] b = w.bShape().get(m);
            if (a.length != 2 || b.length != 2 || a[1] != l.inFeatures() || b[0] != l.outFeatures() || a[0] != b[1]) {
                problems.add("module " + m + ": lora_A/lora_B shapes do not fit a [" + l.outFeatures() + ", "
                        + l.inFeatures() + "] weight");
            }
        }
        if (w.a().isEmpty()) {
            problems.add("the adapter has no LoRA tensors");
        }
    }
}
