package dev.adapterhub.engine.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.adapterhub.engine.method.lora.LoraMethod;
import dev.adapterhub.engine.method.lora.LoraPeft;
import dev.adapterhub.engine.method.lora.LoraSettings;
import dev.adapterhub.engine.method.lora.LoraWeights;
import dev.adapterhub.engine.method.loraga.LoraGaMethod;
import dev.adapterhub.engine.method.lorasb.LoraSbAdapter;
import dev.adapterhub.engine.method.lorasb.LoraSbMethod;
import dev.adapterhub.engine.model.AdaptableLinear;
import dev.adapterhub.engine.model.LinearAdapter;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.model.LoraAdapter;
import dev.adapterhub.engine.train.TrainingJob;
import dev.adapterhub.engine.train.TrainingMethod;
import dev.adapterhub.formats.peft.PeftConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LoRA family exports its factors directly from the trained arrays. The files must hold exactly the factors
 * docs/methods.md defines for each method, and be byte for byte what the former export wrote (the same factors
 * attached to the model as a temporary adapter and exported from there).
 */
class LoraExportTest {

    private static final String BASE = "tiny-llama";
    private static final String REFERENCE = "reference";

    @TempDir
    Path dir;

    @Test
    void loraWritesTheTrainedFactors() throws IOException {
        LoraSettings settings = new LoraSettings(4, 8f, false, LoraSettings.ALL_PROJECTIONS);
        try (LlamaModel model = TinyFixtures.model(); LoraMethod method = new LoraMethod(settings)) {
            train(model, method, 1e-2);
            method.export(dir.resolve("direct"), BASE);
            LoraPeft.exportAttached(model, LoraMethod.ADAPTER, dir.resolve("attached"), BASE);

            LoraWeights w = LoraPeft.read(dir.resolve("direct"));
            assertEquals(Set.copyOf(method.modules()), w.a().keySet());
            for (String module : method.modules()) {
                LoraAdapter trained = method.adapter(module);
                assertTrue(TinyFixtures.maxAbs(trained.b().toFloatArray()) > 0, "B moved off zero in training");
                assertArrayEquals(trained.a().toFloatArray(), w.a().get(module));
                assertArrayEquals(trained.b().toFloatArray(), w.b().get(module));
                assertArrayEquals(trained.a().getShape().getShape(), w.aShape().get(module));
                assertArrayEquals(trained.b().getShape().getShape(), w.bShape().get(module));
            }
            PeftConfig config = w.config();
            assertEquals(4, config.r());
            assertEquals(8.0, config.alpha(method.modules().get(0)), 0);
            assertEquals(false, config.useRslora());
            assertSameFiles(dir.resolve("attached"), dir.resolve("direct"));
        }
    }

    @Test
    void loraGaWritesTheRank2rFactors() throws IOException {
        LoraSettings settings = new LoraSettings(4, 8f, true, LoraSettings.ALL_PROJECTIONS);
        float exportedAlpha = (float) (8f * Math.sqrt(2));
        try (LlamaModel model = TinyFixtures.model(); LoraGaMethod method = new LoraGaMethod(settings)) {
            train(model, method, 3e-3);
            method.export(dir.resolve("direct"), BASE);

            LoraWeights w = LoraPeft.read(dir.resolve("direct"));
            List<AdaptableLinear> targets = settings.select(model);
            assertEquals(targets.size(), w.a().size());
            for (AdaptableLinear l : targets) {
                int r = settings.rank();
                int in = l.inFeatures();
                int out = l.outFeatures();
                // A' = [A_f ; A_init] (rows stacked), B' = [B_f , -B_init] (columns side by side)
                float[] aTrained = method.adapter(l.name()).a().toFloatArray();
                float[] aInit = method.initialA(l.name()).toFloatArray();
                float[] bTrained = method.adapter(l.name()).b().toFloatArray();
                float[] bInit = method.initialB(l.name()).toFloatArray();
                float[] a = new float[2 * r * in];
                System.arraycopy(aTrained, 0, a, 0, r * in);
                System.arraycopy(aInit, 0, a, r * in, r * in);
                float[] b = new float[out * 2 * r];
                for (int o = 0; o < out; o++) {
                    for (int j = 0; j < r; j++) {
                        b[o * 2 * r + j] = bTrained[o * r + j];
                        b[o * 2 * r + r + j] = -bInit[o * r + j];
                    }
                }
                assertArrayEquals(new long[] {2L * r, in}, w.aShape().get(l.name()));
                assertArrayEquals(new long[] {out, 2L * r}, w.bShape().get(l.name()));
                assertArrayEquals(a, w.a().get(l.name()), l.name());
                assertArrayEquals(b, w.b().get(l.name()), l.name());
                attachReference(model, l, a, new Shape(2L * r, in), b, new Shape(out, 2L * r), exportedAlpha, true);
            }
            assertEquals(8, w.config().r());
            assertEquals(exportedAlpha, (float) w.config().alpha(targets.get(0).name()), 0);
            assertTrue(w.config().useRslora());
            LoraPeft.exportAttached(model, REFERENCE, dir.resolve("attached"), BASE);
            detachReference(model);
            assertSameFiles(dir.resolve("attached"), dir.resolve("direct"));
        }
    }

    @Test
    void loraSbWritesRTimesAAndB() throws IOException {
        LoraSettings settings = new LoraSettings(4, 4f, false, LoraSettings.ALL_PROJECTIONS);
        try (LlamaModel model = TinyFixtures.model(); LoraSbMethod method = new LoraSbMethod(settings)) {
            train(model, method, 1e-1);
            method.export(dir.resolve("direct"), BASE);

            LoraWeights w = LoraPeft.read(dir.resolve("direct"));
            List<AdaptableLinear> targets = settings.select(model);
            assertEquals(targets.size(), w.a().size());
            for (AdaptableLinear l : targets) {
                LoraSbAdapter trained = method.adapter(l.name());
                try (NDManager work = model.manager().newSubManager()) {
                    NDArray r = trained.r().duplicate();
                    r.attach(work);
                    float[] a = r.matMul(trained.a()).toFloatArray();
                    float[] b = trained.b().toFloatArray();
                    assertArrayEquals(a, w.a().get(l.name()), l.name());
                    assertArrayEquals(b, w.b().get(l.name()), l.name());
                    attachReference(model, l, a, new Shape(w.aShape().get(l.name())), b,
                            new Shape(w.bShape().get(l.name())), 4f, false);
                }
            }
            assertEquals(4, w.config().r());
            LoraPeft.exportAttached(model, REFERENCE, dir.resolve("attached"), BASE);
            detachReference(model);
            assertSameFiles(dir.resolve("attached"), dir.resolve("direct"));
        }
    }

    private static void train(LlamaModel model, TrainingMethod method, double lr) {
        TrainingJob.builder().setModel(model).setMethod(method).setTrainData(TinyFixtures.reverseTask(16, 3))
                .setConfig(TinyFixtures.config(3, lr).build()).build().run();
    }

    /** The former export path: the factors as a LoRA attached to the model. */
    private static void attachReference(LlamaModel model, AdaptableLinear l, float[] a, Shape aShape, float[] b,
                                        Shape bShape, float alpha, boolean rsLora) {
        NDManager m = model.manager();
        l.attach(REFERENCE, LoraAdapter.create(m, TorchOwned.create(m, a, aShape), TorchOwned.create(m, b, bShape),
                alpha, rsLora));
    }

    private static void detachReference(LlamaModel model) {
        for (AdaptableLinear l : model.linears().values()) {
            LinearAdapter a = l.detach(REFERENCE);
            if (a != null) {
                a.close();
            }
        }
    }

    private static void assertSameFiles(Path expected, Path actual) throws IOException {
        for (String file : List.of("adapter_model.safetensors", "adapter_config.json")) {
            assertArrayEquals(Files.readAllBytes(expected.resolve(file)), Files.readAllBytes(actual.resolve(file)),
                    file);
        }
    }
}
