package dev.adapterhub.engine.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.ForwardInput;
import dev.adapterhub.engine.model.LlamaModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mean gradient of the job's training loss (masked completion-token cross-entropy) with respect to selected
 * base weights, as LoRA-GA / LoRA-SB initialization and SHiRA's gradient and SNIP masks need. Only the
 * selected weights require gradients during the estimate; after each backward every layer's gradient is added
 * into an fp32 accumulator on the host, one layer at a time, and cleared, so the peak is one set of target
 * gradients plus the accumulators.
 */
public final class GradientEstimator {

    private final LlamaModel model;
    private final BatchSampler sampler;
    private final int padId;
    private final int maxLength;
    private final int batches;

    /**
     * @param sampler   calibration batches (a sampler of its own, so training's data order is unaffected)
     * @param batches   how many batches to average (LoRA-GA reference: 64 batches of 2; 8 of 1 also works)
     */
    public GradientEstimator(LlamaModel model, BatchSampler sampler, int padId, int maxLength, int batches) {
        if (batches < 1) {
            throw new IllegalArgumentException("need at least one gradient batch");
        }
        this.model = model;
        this.sampler = sampler;
        this.padId = padId;
        this.maxLength = maxLength;
        this.batches = batches;
    }

    public int batches() {
        return batches;
    }

    /**
     * The mean gradient [out, in] of each named linear's base weight, fp32 on the CPU, owned by
     * {@code manager}. Leaves the model's weights as they were (no gradient required afterwards).
     */
    public Map<String, NDArray> meanGradients(List<AdaptableLinear> targets, NDManager manager) {
        Map<String, NDArray> sums = new LinkedHashMap<>();
        Device host = Device.cpu();
        boolean grad = JniUtils.isGradMode();
        // A half-precision weight gets its gradient through a zero F32 probe (see GradientProbe); F32 weights
        // give theirs directly.
        Map<String, GradientProbe> probes = new LinkedHashMap<>();
        try {
            for (AdaptableLinear l : targets) {
                NDArray w = l.weight();
                sums.put(l.name(), manager.zeros(w.getShape(), DataType.FLOAT32, host));
                if (w.getDataType() == DataType.FLOAT32) {
                    w.setRequiresGradient(true);
                } else {
                    GradientProbe probe = new GradientProbe(l, manager);
                    l.attach(GradientProbe.NAME, probe);
                    probes.put(l.name(), probe);
                }
            }
            for (int b = 0; b < batches; b++) {
                try (NDManager step = manager.newSubManager()) {
                    HostBatch batch = HostBatch.collate(sampler.next(), padId, maxLength);
                    HostBatch.DeviceBatch db = batch.toDevice(step, model.manager().getDevice());
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = model.forward(ForwardInput.builder(db.inputIds())
                                .computeType(DataType.FLOAT32).build());
                        NDArray loss = MaskedCrossEntropy.mean(logits, db.targets(), db.lossMask());
                        collector.backward(loss);
                    }
                    for (AdaptableLinear l : targets) {
                        GradientProbe probe = probes.get(l.name());
                        NDArray source = probe == null ? l.weight() : probe.array();
                        NDArray g = source.getGradient();
                        g.attach(step);
                        NDArray onHost = g.toType(DataType.FLOAT32, false).toDevice(host, false);
                        sums.get(l.name()).addi(onHost);
                        JniUtils.zeroGrad((PtNDArray) source);
                    }
                }
            }
        } finally {
            for (AdaptableLinear l : targets) {
                if (probes.containsKey(l.name())) {
                    l.detach(GradientProbe.NAME);
                    probes.get(l.name()).close();
                } else {
                    l.weight().setRequiresGradient(false);
                }
            }
            JniUtils.setGradMode(grad);
        }
        for (NDArray s : sums.values()) {
            s.divi(batches);
        }
        return sums;
    }
}
