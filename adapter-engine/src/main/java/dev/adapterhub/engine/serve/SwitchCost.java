package dev.adapterhub.engine.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.method.shira.SparseDelta;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a whole-model weight switch costs on this model through the engine's own {@link WeightSwitcher}: SHiRA
 * fuse + restore against LoRA merge + restore. Public so that the serving benchmark (adapter-engine-tools) can
 * measure the switcher without reaching into the package.
 */
public final class SwitchCost {

    /** Median milliseconds of one SHiRA fuse + restore and of one LoRA merge + restore. */
    public record Millis(double shiraFuseRestore, double loraMergeRestore) {
    }

    private SwitchCost() {
    }

    /**
     * Loads the two PEFT adapters from disk and times {@code repeats} switches of each (after one warm-up).
     * Must run on a thread that may use the model (it configures the thread for inference).
     */
    public static Millis measure(LlamaModel model, Path loraDir, Path shiraDir, int repeats) {
        Devices.inferenceThread();
        try (LoraPool pool = new LoraPool(model)) {
            AdapterFiles.HostAdapter shiraHost = AdapterFiles.read("shira", shiraDir, model, null, null);
            AdapterFiles.HostAdapter loraHost = AdapterFiles.read("lora", loraDir, model, null, null);
            int slot = pool.add("lora", loraHost.lora());
            LoadedAdapter lora = LoadedAdapter.lora(loraHost.info(), slot);
            NDManager m = model.manager().newSubManager();
            Map<String, SparseModule> modules = new LinkedHashMap<>();
            for (Map.Entry<String, SparseDelta> e : shiraHost.shira().deltas().entrySet()) {
                AdaptableLinear l = model.linear(e.getKey());
                modules.put(e.getKey(), SparseModule.resident(m, e.getValue(), l,
                        shiraHost.shira().config().scaling(e.getKey())));
            }
            try (LoadedAdapter shira = LoadedAdapter.shira(shiraHost.info(), modules, m)) {
                try (WeightSwitcher w = new WeightSwitcher(model, pool)) {
                    double[] shiraMs = new double[repeats];
                    double[] loraMs = new double[repeats];
                    AdaptableLinear probe = model.linear(modules.keySet().iterator().next());
                    for (int i = -1; i < repeats; i++) { // i = -1: warm-up
                        settle(probe);
                        long t0 = System.nanoTime();
                        w.fuseShira(shira);
                        w.restore();
                        settle(probe);
                        long t1 = System.nanoTime();
                        w.mergeLora(lora);
                        w.restore();
                        settle(probe);
                        long t2 = System.nanoTime();
                        if (i >= 0) {
                            shiraMs[i] = (t1 - t0) / 1e6;
                            loraMs[i] = (t2 - t1) / 1e6;
                        }
                    }
                    return new Millis(median(shiraMs), median(loraMs));
                }
            }
        }
    }

    /**
     * Waits for the device's queued work: reading one weight value synchronises a CUDA stream (kernels are
     * asynchronous, so the clock alone would time only the launches); on the CPU it costs a few microseconds.
     */
    private static void settle(AdaptableLinear probe) {
        try (NDManager tmp = probe.weight().getManager().newSubManager()) {
            NDArray one = probe.weight().get(0, 0);
            one.attach(tmp);
            one.toType(DataType.FLOAT32, false).getFloat();
        }
    }

    private static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(0.5 * (sorted.length - 1) + 0.5))];
    }
}
