package dev.adapterhub.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adapterhub.engine.model.LlamaDims;
import dev.adapterhub.engine.testkit.ByteLevelTokenizerJson;
import dev.adapterhub.engine.testkit.TinyLlamaGenerator;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import dev.adapterhub.formats.hf.LlamaConfig;
import dev.adapterhub.formats.safetensors.DType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine reads what the test kit writes; no tensors involved. */
class CheckpointIOTest {

    @TempDir
    Path tmp;

    @Test
    void theEngineReadsTheGeneratedConfigAsTheSpecsDimensions() throws Exception {
        TinyLlamaSpec spec = TinyLlamaSpec.tiny().withSize(3, 48, 96, 6, 2, 300).withDtype(DType.BF16).withSeed(4);
        Path dir = TinyLlamaGenerator.generate(spec, tmp.resolve("a"));
        LlamaDims d = HfConfigJson.dims(LlamaConfig.read(dir));
        assertEquals(new LlamaDims(300, 48, 96, 3, 6, 2, 8, 10000.0, 1e-5, false, 512), d);
    }

    @Test
    void saveWritesTheByteLevelTokenizersSpecialIds() {
        // CheckpointIO cannot see the test kit, so it keeps its own copy of these ids
        assertEquals(ByteLevelTokenizerJson.PAD_ID, CheckpointIO.PAD_ID);
        assertEquals(ByteLevelTokenizerJson.BOS_ID, CheckpointIO.BOS_ID);
        assertEquals(ByteLevelTokenizerJson.EOS_ID, CheckpointIO.EOS_ID);
    }
}
