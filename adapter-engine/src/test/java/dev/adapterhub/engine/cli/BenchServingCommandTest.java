package dev.adapterhub.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code bench-serving} parses its options and writes the results at toy size. */
class BenchServingCommandTest {

    @TempDir
    Path dir;

    @Test
    void toySizeRunWritesTheRequestedMixes() throws Exception {
        Path out = dir.resolve("results");
        EngineCli.main(new String[] {"bench-serving", "--layers", "1", "--hidden", "32", "--intermediate", "64",
            "--heads", "4", "--kv-heads", "2", "--rank", "2", "--targets", "q_proj,v_proj", "--adapters", "1,3",
            "--requests", "6", "--prompt-tokens", "3", "--max-tokens", "2", "--batch", "4", "--prefill-rows", "2",
            "--switch-repeats", "1", "--rounds", "1", "--out", out.toString()});
        JsonNode json = new ObjectMapper().readTree(out.resolve("serving-benchmark.json").toFile());
        assertEquals(3, json.path("mixes").size());
        assertEquals(3, json.path("mixes").get(2).path("adapters").asInt());
        assertEquals(12, json.path("mixes").get(2).path("generatedTokens").asInt());
        assertEquals(32, json.path("settings").path("hidden").asInt());
    }

    @Test
    void unknownOptionIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> BenchServingCommand.run(CliOptions.parse(new String[] {"--hiden", "32"})));
    }
}
