package dev.adapterhub.engine.testkit;

import dev.adapterhub.formats.hf.LlamaConfig;
import dev.adapterhub.formats.safetensors.DType;
import dev.adapterhub.formats.safetensors.SafetensorsReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TinyLlamaGeneratorTest {

    @TempDir
    Path tmp;

    @Test
    void sameSpecSameBytesAndTheCliWritesTheRequestedShapes() throws Exception {
        TinyLlamaSpec spec = TinyLlamaSpec.tiny().withSize(3, 48, 96, 6, 2, 300).withDtype(DType.BF16).withSeed(4);
        Path a = TinyLlamaGenerator.generate(spec, tmp.resolve("a"));
        Path b = TinyLlamaGenerator.generate(spec, tmp.resolve("b"));
        for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json"}) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
        Path c = TinyLlamaGenerator.generate(spec.withSeed(5), tmp.resolve("c"));
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(a.resolve("model.safetensors")),
                Files.readAllBytes(c.resolve("model.safetensors"))));

        TinyLlamaGenerator.main(new String[] {"--out", tmp.resolve("cli").toString(), "--layers", "3", "--hidden", "48",
            "--intermediate", "96", "--heads", "6", "--kv-heads", "2", "--vocab", "300", "--dtype", "bf16",
            "--seed", "4"});
        assertArrayEquals(Files.readAllBytes(a.resolve("model.safetensors")),
                Files.readAllBytes(tmp.resolve("cli/model.safetensors")));

        LlamaConfig cfg = LlamaConfig.read(a);
        assertEquals("bfloat16", cfg.torchDtype());
        // the engine's reading of these fields (LlamaDims) is asserted in adapter-engine's CheckpointIOTest
        assertEquals(300, cfg.vocabSize());
        assertEquals(48, cfg.hiddenSize());
        assertEquals(96, cfg.intermediateSize());
        assertEquals(3, cfg.numHiddenLayers());
        assertEquals(6, cfg.numAttentionHeads());
        assertEquals(2, cfg.numKeyValueHeads());
        assertEquals(8, cfg.headDim());
        assertEquals(10000.0, cfg.ropeTheta());
        assertEquals(1e-5, cfg.rmsNormEps());
        assertFalse(cfg.tieWordEmbeddings());
        assertEquals(512, cfg.maxPositionEmbeddings());
        assertEquals("silu", cfg.hiddenAct());
        try (SafetensorsReader r = SafetensorsReader.open(a.resolve("model.safetensors"))) {
            assertEquals(DType.BF16, r.info("model.layers.2.self_attn.k_proj.weight").dtype());
            assertArrayEquals(new long[] {16, 48}, r.info("model.layers.2.self_attn.k_proj.weight").shape());
            assertEquals(3 * 9 + 3, r.names().size());
        }
    }

    @Test
    void invalidSpecsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> TinyLlamaSpec.tiny().withSize(1, 30, 8, 4, 2, 300));
        assertThrows(IllegalArgumentException.class, () -> TinyLlamaSpec.tiny().withSize(1, 64, 8, 4, 3, 300));
        assertThrows(IllegalArgumentException.class, () -> TinyLlamaSpec.tiny().withDtype(DType.I32));
    }
}
