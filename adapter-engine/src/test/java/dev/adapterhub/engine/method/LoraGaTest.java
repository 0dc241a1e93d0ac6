package dev.adapterhub.engine.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.adapterhub.engine.linalg.HostMatrix;
import dev.adapterhub.engine.linalg.SvdDecomposition;
import dev.adapterhub.engine.method.lora.LoraMethod;
import dev.adapterhub.engine.method.lora.LoraSettings;
import dev.adapterhub.engine.method.loraga.LoraGaMethod;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.train.BatchSampler;
import dev.adapterhub.engine.train.GradientEstimator;
import dev.adapterhub.engine.train.MethodContext;
import dev.adapterhub.engine.train.TokenizedExample;
import dev.adapterhub.engine.train.TrainingConfig;
import dev.adapterhub.engine.train.TrainingJob;
import dev.adapterhub.engine.train.TrainingMethod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoraGaTest {

    private static final LoraSettings SETTINGS = new LoraSettings(4, 8f, true, LoraSettings.ALL_PROJECTIONS);

    @Test
    void initializationLeavesOutputsUnchanged() {
        List<TokenizedExample> data = TinyFixtures.reverseTask(16, 1);
        long[] probe = TinyFixtures.probeIds();
        try (LlamaModel model = TinyFixtures.model(); LoraGaMethod method = new LoraGaMethod(SETTINGS)) {
            float[] before = TinyFixtures.logits(model, probe, 2);
            method.prepare(context(model, data, 4));
            float[] after = TinyFixtures.logits(model, probe, 2);
            double diff = TinyFixtures.maxAbsDiff(before, after);
            assertTrue(diff < 1e-4, "max |Δlogit| " + diff);
            // The offset is real: the base weights moved by s·B·A, and the adapter is not zero.
            AdaptableLinear q = model.linear("model.layers.0.self_attn.q_proj");
            assertTrue(method.initialB(q.name()).abs().max().getFloat() > 0);
            assertTrue(TinyFixtures.maxAbs(method.initialA(q.name()).toFloatArray()) > 0);
        }
    }

    @Test
    void firstSgdStepFollowsTheRank2rTruncatedGradient() {
        List<TokenizedExample> data = TinyFixtures.reverseTask(8, 2);
        double gaCosine = meanFirstStepCosine(new LoraGaMethod(SETTINGS), data);
        double loraCosine = meanFirstStepCosine(new LoraMethod(SETTINGS), data);
        assertTrue(gaCosine > 0.99, "LoRA-GA first step cosine " + gaCosine);
        assertTrue(gaCosine > loraCosine + 0.3, "LoRA-GA " + gaCosine + " vs LoRA " + loraCosine);
    }

    /**
     * One plain-SGD step on the whole 8-example set (gradient estimated on the same set), then the cosine
     * between ΔW_eff and −(rank-2r truncation of the full gradient), averaged over target layers.
     */
    private static double meanFirstStepCosine(TrainingMethod method, List<TokenizedExample> data) {
        int twoR = 2 * SETTINGS.rank();
        try (LlamaModel model = TinyFixtures.model(); NDManager work = model.manager().newSubManager()) {
            List<AdaptableLinear> targets = SETTINGS.select(model);
            Map<String, NDArray> fullGradient = new GradientEstimator(model, new BatchSampler(data, 8, 0), 0, 16, 1)
                    .meanGradients(targets, work);
            TrainingConfig config = TinyFixtures.config(1, 1e-3).optOptimizer(TrainingConfig.OptimizerKind.SGD)
                    .optMaxGradNorm(0).optGradientBatches(1).optGradientBatchSize(8).build();
            Map<String, HostMatrix> before = new LinkedHashMap<>();
            TrainingJob job = TrainingJob.builder().setModel(model).setMethod(new Recording(method, targets, before))
                    .setTrainData(data).setConfig(config).build();
            job.run();
            double sum = 0;
            for (AdaptableLinear l : targets) {
                HostMatrix after = effectiveWeight(l, work);
                HostMatrix delta = after.minus(before.get(l.name()));
                HostMatrix g = HostMatrix.fromNDArray(fullGradient.get(l.name()));
                SvdDecomposition svd = SvdDecomposition.of(g);
                double[] s = svd.singularValues();
                HostMatrix us = svd.u().columns(0, twoR).copy();
                for (int c = 0; c < twoR; c++) {
                    for (int r = 0; r < us.rows(); r++) {
                        us.set(r, c, -us.get(r, c) * s[c]);
                    }
                }
                HostMatrix projected = us.multiply(svd.vt().transpose().columns(0, twoR).transpose());
                sum += cosine(delta, projected);
            }
            method.close();
            return sum / targets.size();
        }
    }

    static HostMatrix effectiveWeight(AdaptableLinear l, NDManager work) {
        NDArray w = l.weight().toType(DataType.FLOAT64, true);
        w.attach(work);
        NDArray delta = l.adapters().get(LoraMethod.ADAPTER).deltaWeight(work).toType(DataType.FLOAT64, false);
        return HostMatrix.fromNDArray(w.add(delta));
    }

    static double cosine(HostMatrix x, HostMatrix y) {
        double dot = 0;
        for (int r = 0; r < x.rows(); r++) {
            for (int c = 0; c < x.cols(); c++) {
                dot += x.get(r, c) * y.get(r, c);
            }
        }
        return dot / (x.frobeniusNorm() * y.frobeniusNorm());
    }

    static MethodContext context(LlamaModel model, List<TokenizedExample> data, int batches) {
        return new MethodContext(model, 0, 1e-3, new GradientEstimator(model, new BatchSampler(data, 4, 1), 0, 16, batches));
    }

    /** Delegates, capturing W_eff right after preparation. */
    private record Recording(TrainingMethod inner, List<AdaptableLinear> targets, Map<String, HostMatrix> before)
            implements TrainingMethod {
        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public void prepare(MethodContext context) {
            inner.prepare(context);
            try (NDManager work = context.model().manager().newSubManager()) {
                for (AdaptableLinear l : targets) {
                    before.put(l.name(), effectiveWeight(l, work));
                }
            }
        }

        @Override
        public void restore(MethodContext context, Map<String, NDArray> frozen, Map<String, NDArray> trainable) {
            inner.restore(context, frozen, trainable);
        }

        @Override
        public Map<String, NDArray> trainableParameters() {
            return inner.trainableParameters();
        }

        @Override
        public void export(java.nio.file.Path directory, String baseModelName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
            // closed by the test
        }
    }
}
