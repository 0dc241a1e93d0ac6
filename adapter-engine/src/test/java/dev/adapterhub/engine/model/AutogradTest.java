package dev.adapterhub.engine.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.testkit.TinyLlamaGenerator;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract training code relies on: gradients reach what is marked trainable, and nothing else changes. */
class AutogradTest {

    @TempDir
    Path tmp;

    static double absSum(float[] v) {
        double s = 0;
        for (float x : v) {
            s += Math.abs(x);
        }
        return s;
    }

    @Test
    void gradientsFlowToLoraArraysAndToSelectedBaseWeightsOnly() throws Exception {
        Path dir = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(9), tmp.resolve("m"));
        try (LlamaModel model = CheckpointIO.load(dir, Device.cpu(), DataType.FLOAT32)) {
            AdaptableLinear q = model.linear("model.layers.0.self_attn.q_proj");
            NDManager mm = model.manager();
            NDArray a = mm.randomNormal(0f, 0.1f, new Shape(4, 64), DataType.FLOAT32);
            NDArray b = mm.randomNormal(0f, 0.1f, new Shape(64, 4), DataType.FLOAT32);
            LoraAdapter lora = LoraAdapter.create(mm, a, b, 8f, false);
            q.attach("train", lora);
            lora.a().setRequiresGradient(true);
            lora.b().setRequiresGradient(true);
            NDArray down = model.linear("model.layers.1.mlp.down_proj").weight();
            down.setRequiresGradient(true);
            float[] qBefore = q.weight().toFloatArray();
            float[] aBefore = lora.a().toFloatArray();
            long managedBefore = model.manager().getManagedArrays().size();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                for (int step = 0; step < 3; step++) {
                    try (NDManager sm = Devices.newManager(Device.cpu())) {
                        NDArray logits = model.forward(sm.create(new long[][] {{1, 5, 9, 44, 100}}));
                        NDArray target = sm.randomNormal(new Shape(1, 5, 259));
                        NDArray loss = logits.mul(target).sum();
                        gc.backward(loss);
                        NDArray gA = lora.a().getGradient();
                        NDArray gB = lora.b().getGradient();
                        NDArray gD = down.getGradient();
                        // gradients live in the parameter's manager: read them on the host, don't compute on them
                        assertTrue(absSum(gA.toFloatArray()) > 0);
                        assertTrue(absSum(gB.toFloatArray()) > 0);
                        assertTrue(absSum(gD.toFloatArray()) > 0);
                        assertEquals(new Shape(64, 128), gD.getShape());
                        // plain SGD step in place, with grad mode off (in-place ops on leaves that require grad
                        // are refused while recording)
                        JniUtils.setGradMode(false);
                        try (NDArray upd = gA.mul(sm.full(new Shape(), 0.01f))) {
                            lora.a().subi(upd);
                        } finally {
                            JniUtils.setGradMode(true);
                        }
                        gA.close();
                        gB.close();
                        gD.close();
                    }
                }
            }
            assertArrayEquals(qBefore, q.weight().toFloatArray(), 0f);
            float[] aAfter = lora.a().toFloatArray();
            assertTrue(!java.util.Arrays.equals(aBefore, aAfter), "A must have been updated");
            long managedAfter = model.manager().getManagedArrays().size();
            assertEquals(managedBefore, managedAfter,
                    "forward must not leak arrays into the model's manager: " + managedBefore + " -> " + managedAfter);
            down.setRequiresGradient(false);
        }
    }
}
