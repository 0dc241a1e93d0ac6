package dev.adapterhub.engine.method.loraga;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.adapterhub.engine.linalg.RandomizedSvd;
import dev.adapterhub.engine.linalg.TruncatedSvd;
import dev.adapterhub.engine.method.TrainedAdapters;
import dev.adapterhub.engine.method.lora.LoraPeft;
import dev.adapterhub.engine.method.lora.LoraSettings;
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

/**
 * LoRA-GA (Wang, Yu, Li 2024) as docs/methods.md specifies: A and B from the SVD of the estimated full
 * gradient (direction ArB2r: A = Vᵀ[0:r], B = U[:, r:2r]), "stable" scale m^(1/4)/sqrt(gamma), and the frozen
 * weight offset to W_res = W0 − s·B·A (computed in fp64) so step-0 outputs are unchanged. Export converts to a
 * standard rank-2r LoRA valid on the original W0.
 */
public final class LoraGaMethod implements TrainingMethod {

    public static final String ADAPTER = "train";
    /** gamma of the "stable" scaling. */
    public static final double DEFAULT_GAMMA = 16;

    private final LoraSettings settings;
    private final double gamma;
    private LlamaModel model;
    private NDManager stateManager;
    private final TrainedAdapters<LoraAdapter> loras = new TrainedAdapters<>(ADAPTER);
    private final Map<String, NDArray> initA = new LinkedHashMap<>();
    private final Map<String, NDArray> initB = new LinkedHashMap<>();

    public LoraGaMethod(LoraSettings settings) {
        this(settings, DEFAULT_GAMMA);
    }

    public LoraGaMethod(LoraSettings settings, double gamma) {
        if (!(gamma > 0)) {
            throw new IllegalArgumentException("gamma must be positive");
        }
        this.settings = settings;
        this.gamma = gamma;
    }

    @Override
    public String name() {
        return "lora-ga";
    }

    public LoraSettings settings() {
        return settings;
    }

    @Override
    public void prepare(MethodContext context) {
        model = context.model();
        stateManager = model.manager().newSubManager();
        List<AdaptableLinear> targets = settings.select(model);
        int r = settings.rank();
        for (AdaptableLinear l : targets) {
            if (2 * r > Math.min(l.inFeatures(), l.outFeatures())) {
                throw new IllegalArgumentException("LoRA-GA needs 2r <= min(in, out); " + l.name() + " is "
                        + l.outFeatures() + "x" + l.inFeatures() + " and r = " + r);
            }
        }
        try (NDManager work = model.manager().newSubManager()) {
            Map<String, NDArray> gradients = context.gradients().meanGradients(targets, work);
            int index = 0;
            for (AdaptableLinear l : targets) {
                NDArray g = gradients.remove(l.name());
                int m = l.outFeatures();
                int q = Math.min(4 * r, Math.min(m, l.inFeatures()));
                TruncatedSvd svd = RandomizedSvd.compute(g, q, RandomizedSvd.DEFAULT_POWER_ITERATIONS,
                        context.seed() * 7919 + index++, work);
                g.close();
                float factor = (float) (Math.pow(m, 0.25) / Math.sqrt(gamma));
                NDArray a = svd.vt().get(new NDIndex("0:" + r + ", :")).mul(factor).toDevice(model.manager().getDevice(), false);
                NDArray b = svd.u().get(new NDIndex(":, " + r + ":" + (2 * r))).mul(factor).toDevice(model.manager().getDevice(), false);
                a.attach(stateManager);
                b.attach(stateManager);
                initA.put(l.name(), a);
                initB.put(l.name(), b);
                svd.u().close();
                svd.vt().close();
            }
        }
        for (AdaptableLinear l : targets) {
            offsetBase(l, initA.get(l.name()), initB.get(l.name()));
            loras.attach(l, settings.adapter(model.manager(), initA.get(l.name()).duplicate(),
                    initB.get(l.name()).duplicate()));
        }
    }

    @Override
    public void restore(MethodContext context, Map<String, NDArray> frozen, Map<String, NDArray> trainable) {
        model = context.model();
        stateManager = model.manager().newSubManager();
        for (AdaptableLinear l : settings.select(model)) {
            NDArray a = TrainedAdapters.require(frozen, l.name() + ".init_A").duplicate();
            NDArray b = TrainedAdapters.require(frozen, l.name() + ".init_B").duplicate();
            a.attach(stateManager);
            b.attach(stateManager);
            initA.put(l.name(), a);
            initB.put(l.name(), b);
            offsetBase(l, a, b);
            loras.attach(l, settings.restoredAdapter(model.manager(), l.name(), trainable));
        }
    }

    /** W ← W − s·B·A, evaluated in fp64 and rounded once to the weight's type. */
    private void offsetBase(AdaptableLinear l, NDArray a, NDArray b) {
        NDArray w = l.weight();
        try (NDManager work = model.manager().newSubManager()) {
            NDArray w64 = w.toType(DataType.FLOAT64, true);
            w64.attach(work);
            NDArray a64 = a.toType(DataType.FLOAT64, true);
            a64.attach(work);
            NDArray b64 = b.toType(DataType.FLOAT64, true);
            b64.attach(work);
            NDArray product = b64.matMul(a64).muli((double) settings.scaling());
            NDArray residual = w64.subi(product).toType(w.getDataType(), false);
            residual.attach(work);
            // In place on torch storage: copyTo goes through set(Buffer), which re-points W at a Java buffer.
            w.muli(0).addi(residual);
        }
    }

    @Override
    public Map<String, NDArray> trainableParameters() {
        return loras.trainableParameters();
    }

    @Override
    public Map<String, NDArray> frozenState() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        initA.forEach((name, a) -> out.put(name + ".init_A", a));
        initB.forEach((name, b) -> out.put(name + ".init_B", b));
        return out;
    }

    /** The initial factors (A_init, B_init) of a module, as used for the offset. */
    public NDArray initialA(String module) {
        return initA.get(module);
    }

    public NDArray initialB(String module) {
        return initB.get(module);
    }

    /** The trained adapter of a module (null if not targeted). */
    public LoraAdapter adapter(String module) {
        return loras.adapter(module);
    }

    /**
     * Rank-2r PEFT LoRA for the original base: A' = [A_f; A_init], B' = [B_f, −B_init], alpha' = 2·alpha
     * (alpha·sqrt(2) with rsLoRA) so that s'·B'·A' = s·(B_f·A_f − B_init·A_init).
     */
    @Override
    public void export(Path directory, String baseModelName) throws IOException {
        float alpha = settings.rsLora() ? (float) (settings.alpha() * Math.sqrt(2)) : 2 * settings.alpha();
        try (NDManager work = model.manager().newSubManager()) {
            Map<String, LoraPeft.Factors> factors = new LinkedHashMap<>();
            for (Map.Entry<String, LoraAdapter> e : loras.byModule().entrySet()) {
                NDArray aTrained = e.getValue().a().duplicate();
                aTrained.attach(work);
                NDArray bTrained = e.getValue().b().duplicate();
                bTrained.attach(work);
                NDArray negInitB = initB.get(e.getKey()).duplicate();
                negInitB.attach(work);
                NDArray a = aTrained.concat(initA.get(e.getKey()), 0);
                NDArray b = bTrained.concat(negInitB.negi(), 1);
                factors.put(e.getKey(), new LoraPeft.Factors(a, b, alpha));
            }
            LoraPeft.export(model, factors, settings.rsLora(), directory, baseModelName);
        }
    }

    @Override
    public void close() {
        if (model != null) {
            loras.detachAll(model);
        }
        initA.clear();
        initB.clear();
        if (stateManager != null) {
            stateManager.close();
        }
    }
}
