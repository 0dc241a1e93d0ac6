package dev.adapterhub.formats.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.adapterhub.formats.FormatException;
import dev.adapterhub.formats.peft.PeftConfig;
import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The PEFT {@code adapter_config.json} parser on arbitrary bytes: a config, or the format's own exception; never
 * another exception, an out-of-memory or a hang. An accepted config survives writing and reading back.
 */
class PeftConfigFuzzTest {

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
        PeftConfig config;
        try {
            config = PeftConfig.parse(json);
        } catch (FormatException refused) {
            return;
        }
        assertNotNull(config.peftType());
        assertEquals(config, PeftConfig.parse(config.toJson()));
    }
}
