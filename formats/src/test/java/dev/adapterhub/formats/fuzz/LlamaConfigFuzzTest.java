package dev.adapterhub.formats.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.adapterhub.formats.FormatException;
import dev.adapterhub.formats.hf.LinearModules;
import dev.adapterhub.formats.hf.LlamaConfig;
import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HF {@code config.json} parser (Llama and Mistral) on arbitrary bytes: a config, or the format's own
 * exception; never another exception, an out-of-memory or a hang. An accepted config yields layer shapes.
 */
class LlamaConfigFuzzTest {

    @FuzzTest(maxDuration = FuzzDurations.BUILD)
    void configParser(byte[] json) {
        check(json);
    }

    @Tag(FuzzDurations.LONG_TAG)
    @FuzzTest(maxDuration = FuzzDurations.LONG)
    void configParserForMinutes(byte[] json) {
        check(json);
    }

    private static void check(byte[] json) {
        LlamaConfig config;
        try {
            config = LlamaConfig.parse(json);
        } catch (FormatException refused) {
            return;
        }
        assertTrue(config.hiddenSize() > 0 && config.numHiddenLayers() > 0, config.toString());
        assertTrue(LinearModules.forLlama(config).size() > 0, "an accepted config has linear modules");
    }
}
