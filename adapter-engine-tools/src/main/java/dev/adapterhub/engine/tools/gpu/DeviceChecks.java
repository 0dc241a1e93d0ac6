package dev.adapterhub.engine.tools.gpu;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.model.CompiledStep;
import dev.adapterhub.engine.model.ForwardInput;
import dev.adapterhub.engine.model.KvCache;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.peft.AttachedAdapter;
import dev.adapterhub.engine.serve.ServeRequest;
import dev.adapterhub.engine.serve.ServeResult;
import dev.adapterhub.engine.serve.ServingEngine;
import dev.adapterhub.engine.serve.ServingSettings;
import dev.adapterhub.engine.testkit.RandomAdapters;
import dev.adapterhub.engine.testkit.SyntheticTasks;
import dev.adapterhub.engine.testkit.TinyLlamaGenerator;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import dev.adapterhub.engine.train.PromptCompletion;
import dev.adapterhub.engine.train.PromptCompletionDataset;
import dev.adapterhub.engine.train.TrainingConfig;
import dev.adapterhub.engine.train.TrainingResult;
import dev.adapterhub.engine.train.recipe.FineTune;
import dev.adapterhub.engine.train.recipe.FineTuneResult;
import dev.adapterhub.engine.train.recipe.MethodSpec;
import dev.adapterhub.formats.hf.LinearModules;
import dev.adapterhub.formats.hf.LlamaConfig;
import dev.adapterhub.formats.peft.PeftAdapterFiles;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * The engine's device-parameterised suite: each path that must keep all its tensors on one device runs on the
 * chosen device and is compared with the CPU. matmul and autograd; every training method (LoRA, LoRA-GA, LoRA-SB,
 * SHiRA) with a checkpoint, a resume from it and the PEFT export; the exported adapter's logits on the device vs
 * the CPU; the serving engine with LoRA and SHiRA adapters; an F16 base. CI runs it on the CPU
 * ({@code DeviceChecksTest}); the GPU run ({@code tools/gpu/run.sh}) runs it on {@code gpu(0)} through
 * {@code adapter-engine-cli device-check}. Checks are independent so a failure names exactly the path that broke.
 *
 * <p>{@link #BF16} is not in {@link #ALL}: DJL's BF16 tensors abort the JVM on the CPU (djl-notes), so it runs
 * alone, in its own process, and the caller reads the exit code.
 */
public final class DeviceChecks {

    /** One check's outcome; {@code detail} holds the measured figure or the error. */
    public record Result(String name, boolean passed, String detail, long millis) {
    }

    public static final List<String> METHODS = List.of("LORA", "LORA_GA", "LORA_SB", "SHIRA");

    public static final List<String> ALL = List.of("engine", "matmul", "flops", "autograd", "LORA", "LORA_GA", "LORA_SB",
            "SHIRA", "serve", "compiled-steps", "compiled-train", "half", "half-train");

    public static final String BF16 = "bf16";

    /** Logits of the same adapter on the device and on the CPU may differ this much (TF32 matmuls on a GPU). */
    static final double DEVICE_TOLERANCE = 2e-2;

    /** F16 base vs F32 base logits, relative to the largest F32 logit. */
    static final double HALF_TOLERANCE = 2e-2;

    /** Losses of a resumed job vs the uninterrupted one, relative. */
    static final double RESUME_TOLERANCE = 1e-3;

    private static final int[] PROMPT = {1, 17, 42, 99, 5, 250, 3};
    private static final int STEPS = 4;

    private final Device device;
    private final Path work;
    private final PrintStream log;
    private Path base;

    private DeviceChecks(Device device, Path work, PrintStream log) {
        this.device = device;
        this.work = work;
        this.log = log;
    }

    /** Runs the named checks (from {@link #ALL}, or {@link #BF16}) in order on {@code device}. */
    public static List<Result> run(Device device, List<String> names, Path work, PrintStream log) {
        DeviceChecks checks = new DeviceChecks(device, work, log);
        List<Result> results = new ArrayList<>();
        for (String name : names) {
            long t0 = System.nanoTime();
            Result r;
            try {
                String detail = checks.check(name);
                r = new Result(name, true, detail, (System.nanoTime() - t0) / 1_000_000);
            } catch (CheckFailed e) {
                r = new Result(name, false, e.getMessage(), (System.nanoTime() - t0) / 1_000_000);
            } catch (Exception | LinkageError e) {
                // Placement bugs surface as EngineException ("Expected all tensors to be on the same device"), a
                // native library that does not fit as a LinkageError; either fails this check, not the suite.
                r = new Result(name, false, e.getClass().getSimpleName() + ": " + firstLine(e),
                        (System.nanoTime() - t0) / 1_000_000);
            }
            log.printf(Locale.ROOT, "check %-9s %s on %s (%d ms): %s%n", r.name(), r.passed() ? "PASSED" : "FAILED",
                    device, r.millis(), r.detail());
            results.add(r);
        }
        return results;
    }

    private String check(String name) throws Exception {
        return switch (name) {
            case "engine" -> engine();
            case "matmul" -> matmul();
            case "flops" -> flops();
            case "autograd" -> autograd();
            case "LORA", "LORA_GA", "LORA_SB", "SHIRA" -> method(MethodSpec.Method.valueOf(name));
            case "serve" -> serve();
            case "compiled-steps" -> compiledSteps();
            case "compiled-train" -> compiledTrain();
            case "half" -> half();
            case "half-train" -> halfTrain();
            case BF16 -> bf16();
            default -> throw new IllegalArgumentException("unknown check: " + name + " (known: " + ALL + ", "
                    + BF16 + ")");
        };
    }

    private String engine() {
        Engine engine = Devices.engine();
        int gpus = engine.getGpuCount();
        String seen = String.format(Locale.ROOT, "%s %s, %d GPU(s) seen, CUDA capability %s", engine.getEngineName(),
                engine.getVersion(), gpus, engine.hasCapability("CUDA"));
        if (device.isGpu() && gpus <= device.getDeviceId()) {
            throw new CheckFailed("no " + device + ": " + seen);
        }
        return seen;
    }

    private String matmul() {
        try (NDManager m = Devices.newManager(device); NDManager host = Devices.newManager(Device.cpu())) {
            NDArray a = m.randomUniform(-1f, 1f, new Shape(256, 256));
            NDArray b = m.randomUniform(-1f, 1f, new Shape(256, 256));
            NDArray c = a.matMul(b);
            requireOn(c, device, "matmul result");
            NDArray ref = host.create(a.toFloatArray(), a.getShape()).matMul(host.create(b.toFloatArray(),
                    b.getShape()));
            double diff = maxAbsDiff(c.toFloatArray(), ref.toFloatArray());
            double scale = maxAbs(ref.toFloatArray());
            requireWithin("matmul vs CPU", diff, DEVICE_TOLERANCE * scale);
            return String.format(Locale.ROOT, "max |device - cpu| %.2e (max |c| %.1f)", diff, scale);
        }
    }

    /** F32 and F16 square matmul throughput: what the device can give the engine (8192² on a GPU). */
    private String flops() {
        int n = device.isGpu() ? 8192 : 512;
        int reps = device.isGpu() ? 20 : 3;
        StringBuilder detail = new StringBuilder();
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT16}) {
            try (NDManager m = Devices.newManager(device)) {
                NDArray p = m.randomUniform(-1f, 1f, new Shape(n, n)).toType(type, false);
                NDArray q = m.randomUniform(-1f, 1f, new Shape(n, n)).toType(type, false);
                p.matMul(q).get(0, 0).toType(DataType.FLOAT32, false).getFloat(); // warm-up; reading waits for it
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    try (NDManager step = m.newSubManager()) {
                        p.matMul(q).attach(step);
                    }
                }
                p.matMul(q).get(0, 0).toType(DataType.FLOAT32, false).getFloat(); // queued work is done
                double seconds = (System.nanoTime() - t0) / 1e9;
                detail.append(String.format(Locale.ROOT, "%s %d² %.1f TFLOP/s; ", type, n,
                        2.0 * n * n * (double) n * (reps + 1) / seconds / 1e12));
            }
        }
        return detail.toString().replaceAll(";\\s*$", "");
    }

    private String autograd() {
        try (NDManager m = Devices.newManager(device);
             GradientCollector gc = Devices.engine().newGradientCollector()) {
            NDArray x = m.randomUniform(-1f, 1f, new Shape(64, 64));
            x.setRequiresGradient(true);
            gc.backward(x.mul(x).sum());
            NDArray g = x.getGradient();
            requireOn(g, device, "gradient");
            double diff = maxAbsDiff(g.toFloatArray(), x.add(x).toFloatArray());
            requireWithin("d/dx sum(x^2) vs 2x", diff, 1e-5);
            return String.format(Locale.ROOT, "max |grad - 2x| %.1e", diff);
        }
    }

    /** Train with a checkpoint, resume from it, export; the adapter's logits on the device vs on the CPU. */
    private String method(MethodSpec.Method method) throws IOException {
        Path dir = work.resolve(method.name());
        PromptCompletionDataset data = numbers();
        FineTuneResult full = fineTune(method, data, DataType.FLOAT32, dir.resolve("checkpoints"), null,
                dir.resolve("adapter"));
        FineTuneResult resumed = fineTune(method, data, DataType.FLOAT32, null,
                dir.resolve("checkpoints").resolve("step-000002"), dir.resolve("adapter-resumed"));
        // the resumed job reports the steps it ran itself: those after the checkpoint
        List<Double> a = full.training().losses();
        List<Double> b = resumed.training().losses();
        int resumedAt = STEPS - b.size();
        if (a.size() != STEPS || resumedAt != 2 || a.stream().anyMatch(v -> !Double.isFinite(v))) {
            throw new CheckFailed("losses " + a + " / resumed " + b);
        }
        if (!(a.get(STEPS - 1) < a.get(0))) { // an update that silently changes nothing shows here
            throw new CheckFailed("the loss did not decrease: " + a);
        }
        double resumeDiff = 0;
        for (int i = 0; i < b.size(); i++) {
            double x = a.get(resumedAt + i);
            resumeDiff = Math.max(resumeDiff, Math.abs(x - b.get(i)) / Math.max(1e-6, Math.abs(x)));
        }
        requireWithin("resumed losses vs uninterrupted (relative)", resumeDiff, RESUME_TOLERANCE);
        List<String> problems = PeftAdapterFiles.validateDirectory(dir.resolve("adapter"),
                LinearModules.fromCheckpoint(base()));
        if (!problems.isEmpty()) {
            throw new CheckFailed("exported adapter does not validate: " + problems);
        }
        float[] onDevice = adapterLogits(device, dir.resolve("adapter"));
        float[] onHost = adapterLogits(Device.cpu(), dir.resolve("adapter"));
        double diff = maxAbsDiff(onDevice, onHost);
        requireWithin("exported adapter's logits, device vs cpu", diff, DEVICE_TOLERANCE * Math.max(1,
                maxAbs(onHost)));
        return String.format(Locale.ROOT, "losses %.3f -> %.3f, resume diff %.1e, init %d ms, export logits "
                + "device vs cpu %.1e", a.get(0), a.get(STEPS - 1), resumeDiff, full.training().prepareMillis(), diff);
    }

    private FineTuneResult fineTune(MethodSpec.Method method, PromptCompletionDataset data, DataType baseType,
                                    Path checkpoints, Path resumeFrom, Path export) throws IOException {
        return fineTune(method, data, baseType, checkpoints, resumeFrom, export, false);
    }

    private FineTuneResult fineTune(MethodSpec.Method method, PromptCompletionDataset data, DataType baseType,
                                    Path checkpoints, Path resumeFrom, Path export, boolean compiledForward)
            throws IOException {
        TrainingConfig config = TrainingConfig.builder().setSteps(STEPS).setLearningRate(1e-2).optBatchSize(4)
                .optWarmupSteps(1).optCheckpointEvery(2).optGradientBatches(2).optGradientBatchSize(4).optSeed(3)
                .optCompiledForward(compiledForward).build();
        FineTune.Builder b = FineTune.builder().setBaseModel(base()).optDevice(device).optBaseDataType(baseType)
                .setDataset(data)
                .setConfig(config).setMethod(MethodSpec.defaults(method, 4, 8)).optExport(export, "device-check");
        if (checkpoints != null) {
            b.optCheckpointDirectory(checkpoints);
        }
        if (resumeFrom != null) {
            b.optResumeFrom(resumeFrom);
        }
        return b.build().run();
    }

    private float[] adapterLogits(Device on, Path adapter) throws IOException {
        try (LlamaModel model = CheckpointIO.load(base(), on, DataType.FLOAT32);
             AttachedAdapter attached = AttachedAdapter.attach(model, adapter, "check");
             NDManager m = Devices.newManager(on)) {
            NDArray logits = Devices.noGrad(() -> model.forward(m.create(new int[][] {PROMPT})));
            requireOn(logits, on, "logits");
            return logits.toFloatArray();
        }
    }

    /**
     * Training on an F16 base (adapter weights and optimizer state F32): LoRA, LoRA-GA and SHiRA train with finite
     * losses close to the same job on the F32 base.
     */
    private String halfTrain() throws IOException {
        PromptCompletionDataset data = numbers();
        StringBuilder detail = new StringBuilder();
        for (MethodSpec.Method method : List.of(MethodSpec.Method.LORA, MethodSpec.Method.LORA_GA,
                MethodSpec.Method.SHIRA)) {
            Path dir = work.resolve("half-" + method.name());
            List<Double> f16;
            try {
                f16 = fineTune(method, data, DataType.FLOAT16, null, null, dir.resolve("f16")).training().losses();
            } catch (RuntimeException e) {
                throw new CheckFailed(method + " on an F16 base: " + e.getClass().getSimpleName() + ": "
                        + firstLine(e));
            }
            List<Double> f32 = fineTune(method, data, DataType.FLOAT32, null, null, dir.resolve("f32")).training()
                    .losses();
            if (f16.stream().anyMatch(v -> !Double.isFinite(v))) {
                throw new CheckFailed(method + " on an F16 base: losses " + f16);
            }
            double diff = maxRelativeGap(f16, f32);
            requireWithin(method + " losses, F16 base vs F32 base (relative)", diff, HALF_TOLERANCE);
            detail.append(String.format(Locale.ROOT, "%s %.1e; ", method, diff));
        }
        return "losses F16 base vs F32 base: " + detail.toString().replaceAll(";\\s*$", "");
    }

    /**
     * LoRA-GA trained with the compiled training forward (ADR 17) on the device: every forward ran compiled (no
     * fallback) and the losses follow the eager job's.
     */
    private String compiledTrain() throws IOException {
        PromptCompletionDataset data = numbers();
        Path dir = work.resolve("compiled-train");
        TrainingResult compiled = fineTune(MethodSpec.Method.LORA_GA, data, DataType.FLOAT32, null, null,
                dir.resolve("compiled"), true).training();
        if (compiled.compiledForwards() != STEPS) {
            throw new CheckFailed(compiled.compiledForwards() + " of " + STEPS + " forwards ran compiled (the log "
                    + "says why the rest fell back to eager)");
        }
        List<Double> eager = fineTune(MethodSpec.Method.LORA_GA, data, DataType.FLOAT32, null, null,
                dir.resolve("eager"), false).training().losses();
        double diff = maxRelativeGap(compiled.losses(), eager);
        requireWithin("LoRA-GA losses, compiled vs eager forward (relative)", diff, DEVICE_TOLERANCE);
        return String.format(Locale.ROOT, "LoRA-GA %d steps compiled, losses %.3f -> %.3f, max relative gap to the "
                + "eager job %.1e", STEPS, compiled.losses().get(0), compiled.losses().get(STEPS - 1), diff);
    }

    private static double maxRelativeGap(List<Double> actual, List<Double> expected) {
        if (actual.size() != expected.size()) {
            throw new CheckFailed(actual.size() + " losses vs " + expected.size());
        }
        double diff = 0;
        for (int i = 0; i < actual.size(); i++) {
            diff = Math.max(diff, Math.abs(actual.get(i) - expected.get(i)) / Math.abs(expected.get(i)));
        }
        return diff; // NaN stays NaN through Math.max
    }

    private static PromptCompletionDataset numbers() {
        return new PromptCompletionDataset(SyntheticTasks.task(SyntheticTasks.Task.NUM2WORDS, 0).stream().limit(48)
                .map(e -> new PromptCompletion(e.prompt(), e.completion())).toList());
    }

    /** The serving engine on the device: base, LoRA and SHiRA requests, same greedy tokens as on the CPU. */
    private String serve() throws Exception {
        LlamaConfig config = LlamaConfig.read(base());
        List<String> targets = List.of("q_proj", "v_proj");
        Path lora = RandomAdapters.lora(config, work.resolve("serve-lora"), targets, 4, 4, 11, "device-check");
        Path shira = RandomAdapters.shira(config, work.resolve("serve-shira"), targets, 4, 0.05f, 12, "device-check");
        List<int[]> onDevice = generate(device, lora, shira);
        List<int[]> onHost = generate(Device.cpu(), lora, shira);
        for (int i = 0; i < onDevice.size(); i++) {
            if (!Arrays.equals(onDevice.get(i), onHost.get(i))) {
                throw new CheckFailed("request " + i + " generated " + Arrays.toString(onDevice.get(i)) + " on "
                        + device + " but " + Arrays.toString(onHost.get(i)) + " on the CPU");
            }
        }
        return onDevice.size() + " requests (base, LoRA, SHiRA, mixed batch): same greedy tokens as the CPU";
    }

    private List<int[]> generate(Device on, Path lora, Path shira) throws Exception {
        try (LlamaModel model = CheckpointIO.load(base(), on, DataType.FLOAT32);
             ServingEngine engine = ServingEngine.start(model, null, ServingSettings.defaults())) {
            engine.loadAdapter("lora", lora);
            engine.loadAdapter("shira", shira);
            List<int[]> out = new ArrayList<>();
            // one batch mixing base and LoRA rows, then SHiRA alone (it is fused into the weights)
            List<java.util.concurrent.CompletableFuture<ServeResult>> mixed = new ArrayList<>();
            for (String adapter : new String[] {null, "lora", null, "lora"}) {
                mixed.add(engine.submit(ServeRequest.tokens(PROMPT).withMaxTokens(8).withAdapter(adapter), null)
                        .result());
            }
            for (var f : mixed) {
                out.add(f.get(2, TimeUnit.MINUTES).tokenIds());
            }
            out.add(engine.submit(ServeRequest.tokens(PROMPT).withMaxTokens(8).withAdapter("shira"), null).result()
                    .get(2, TimeUnit.MINUTES).tokenIds());
            return out;
        }
    }

    /**
     * The compiled steps (TorchScript, fused attention) against the eager forward on the device, a prefill and
     * decode steps, for an F32 and an F16 base, alone and with an attached LoRA passed in as factors: the serving
     * engine and the generator run every step through them.
     */
    private String compiledSteps() throws IOException {
        LlamaConfig config = LlamaConfig.read(base());
        Path lora = RandomAdapters.lora(config, work.resolve("compiled-lora"), List.of("q_proj", "down_proj"), 4, 4,
                17, "device-check");
        StringBuilder detail = new StringBuilder();
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT16}) {
            for (Path adapter : new Path[] {null, lora}) {
                String what = type + (adapter == null ? "" : " with an attached LoRA");
                double rel = compiledVsEager(type, adapter);
                requireWithin(what + " compiled vs eager prefill and decode logits (relative)", rel,
                        type == DataType.FLOAT32 ? DEVICE_TOLERANCE : HALF_TOLERANCE);
                detail.append(String.format(Locale.ROOT,
                        "%s max |compiled - eager| / max |eager| = %.1e, prefill + %d steps; ", what, rel,
                        DECODE_STEPS));
            }
        }
        return detail.toString().replaceAll(";\\s*$", "");
    }

    private static final int DECODE_STEPS = 6;

    /** {@code adapter} null: the base alone. */
    private double compiledVsEager(DataType type, Path adapter) throws IOException {
        try (LlamaModel model = CheckpointIO.load(base(), device, type);
             AttachedAdapter attached = adapter == null ? null : AttachedAdapter.attach(model, adapter, "compiled");
             CompiledStep compiled = CompiledStep.compile(model);
             NDManager m = Devices.newManager(device)) {
            CompiledStep.Lora lora = compiled.attachedLora(m).orElseThrow();
            return Devices.noGrad(() -> {
                KvCache eager = KvCache.create(model, m);
                KvCache fast = KvCache.create(model, m);
                long[][] prompt = {Arrays.stream(PROMPT).asLongStream().toArray()};
                long[][] promptPos = {LongStream.range(0, PROMPT.length).toArray()};
                NDArray first = model.forward(ForwardInput.builder(m.create(prompt)).cache(eager).lastTokenOnly(true)
                        .build());
                NDArray firstFast = compiled.forward(m.create(prompt), m.create(promptPos), null, fast, lora);
                double prefillGap = maxAbsDiff(first.toFloatArray(), firstFast.toFloatArray())
                        / Math.max(1e-6, maxAbs(first.toFloatArray()));
                long next = first.argMax(-1).toLongArray()[0];
                double worst = prefillGap;
                for (int s = 0; s < DECODE_STEPS; s++) {
                    long[][] ids = {{next}};
                    long[][] pos = {{PROMPT.length + s}};
                    float[] e = model.forward(ForwardInput.builder(m.create(ids)).positions(m.create(pos))
                            .cache(eager).lastTokenOnly(true).build()).toFloatArray();
                    float[] f = compiled.forward(m.create(ids), m.create(pos), null, fast, lora).toFloatArray();
                    worst = Math.max(worst, maxAbsDiff(e, f) / Math.max(1e-6, maxAbs(e)));
                    int best = 0;
                    for (int i = 1; i < e.length; i++) {
                        best = e[i] > e[best] ? i : best;
                    }
                    next = best;
                }
                return worst;
            });
        }
    }

    /** F16 base weights (as served on a GPU) against the F32 base, without and with a LoRA. */
    private String half() throws IOException {
        LlamaConfig config = LlamaConfig.read(base());
        Path lora = RandomAdapters.lora(config, work.resolve("half-lora"), List.of("q_proj", "v_proj"), 4, 4, 13,
                "device-check");
        StringBuilder detail = new StringBuilder();
        for (Path adapter : new Path[] {null, lora}) {
            float[] f32 = logits(DataType.FLOAT32, adapter);
            float[] f16 = logits(DataType.FLOAT16, adapter);
            double rel = maxAbsDiff(f32, f16) / Math.max(1e-6, maxAbs(f32));
            requireWithin("F16 vs F32 logits" + (adapter == null ? "" : " with a LoRA") + " (relative)", rel,
                    HALF_TOLERANCE);
            detail.append(String.format(Locale.ROOT, "%s max |f16 - f32| / max |f32| = %.1e; ",
                    adapter == null ? "base" : "with LoRA", rel));
        }
        return detail.toString().replaceAll(";\\s*$", "");
    }

    private float[] logits(DataType type, Path adapter) throws IOException {
        try (LlamaModel model = CheckpointIO.load(base(), device, type);
             AttachedAdapter attached = adapter == null ? null : AttachedAdapter.attach(model, adapter, "half");
             NDManager m = Devices.newManager(device)) {
            NDArray logits = Devices.noGrad(() -> model.forward(m.create(new int[][] {PROMPT})));
            return logits.toType(DataType.FLOAT32, false).toFloatArray();
        }
    }

    /** Whether DJL can hold a BF16 tensor on this device at all (on the CPU the JVM aborts: run it alone). */
    private String bf16() {
        try (NDManager m = Devices.newManager(device)) {
            NDArray a = m.randomUniform(-1f, 1f, new Shape(64, 64));
            NDArray b = a.toType(DataType.BFLOAT16, false);
            NDArray back = b.matMul(b).toType(DataType.FLOAT32, false);
            double diff = maxAbsDiff(back.toFloatArray(), a.matMul(a).toFloatArray());
            double scale = maxAbs(a.matMul(a).toFloatArray());
            requireWithin("BF16 matmul vs F32", diff, 5e-2 * scale);
            return String.format(Locale.ROOT, "BF16 tensors work: matmul max |bf16 - f32| %.2e (max %.1f)", diff,
                    scale);
        }
    }

    private Path base() throws IOException {
        if (base == null) {
            Files.createDirectories(work);
            base = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(7), work.resolve("base"));
        }
        return base;
    }

    private static void requireOn(NDArray array, Device expected, String what) {
        if (!array.getDevice().equals(expected)) {
            throw new CheckFailed(what + " is on " + array.getDevice() + ", not " + expected);
        }
    }

    private static void requireWithin(String what, double value, double limit) {
        if (!(value <= limit)) {
            throw new CheckFailed(String.format(Locale.ROOT, "%s: %.3g exceeds %.3g", what, value, limit));
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new CheckFailed("shapes differ: " + a.length + " vs " + b.length + " values");
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            if (Double.isNaN(d)) {
                return Double.NaN;
            }
            max = Math.max(max, d);
        }
        return max;
    }

    private static double maxAbs(float[] a) {
        double max = 0;
        for (float v : a) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** A check's own verdict (as opposed to an exception from the engine). */
    private static final class CheckFailed extends RuntimeException {
        CheckFailed(String message) {
            super(message);
        }
    }
}
