package dev.adapterhub.engine.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.engine.testkit.SyntheticTasks;
import dev.adapterhub.formats.hf.LlamaConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fast end-to-end runs of both benchmarks at toy sizes (the real runs are tagged "benchmark"). */
class BenchSmokeTest {

    @TempDir
    Path dir;

    @Test
    void numberWordsAreCorrect() {
        assertEquals("zero", SyntheticTasks.words(0));
        assertEquals("seventeen", SyntheticTasks.words(17));
        assertEquals("forty", SyntheticTasks.words(40));
        assertEquals("three hundred forty-seven", SyntheticTasks.words(347));
        assertEquals("nine hundred", SyntheticTasks.words(900));
        assertEquals("one hundred five", SyntheticTasks.words(105));
        Set<String> distinct = new HashSet<>();
        SyntheticTasks.task(SyntheticTasks.Task.NUM2WORDS, 1).forEach(e -> distinct.add(e.completion()));
        assertEquals(1000, distinct.size());
        SyntheticTasks.pretrainingCorpus(200, 1).forEach(e -> assertTrue(
                !e.completion().matches(".*\\d.*") || !e.completion().matches(".*[a-z].*"),
                "a pretraining line mixes digits and words: " + e.completion()));
    }

    @Test
    void methodComparisonRunsEndToEnd() throws IOException {
        MethodComparison.Options options = MethodComparison.Options.parse(new String[] {"--out", dir.toString(),
            "--steps", "4", "--seeds", "1", "--tasks", "NUM2WORDS", "--methods", "lora,lora-ga", "--no-sweep",
            "--pretrain-steps", "3", "--eval-examples", "4", "--batch-size", "4", "--corpus-lines", "200",
            "--base-size", "2,32,64,4,2"});
        MethodComparison.run(options);
        JsonNode results = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        assertEquals(2, results.get("runs").size());
        assertEquals(2, results.get("summaries").size());
        assertTrue(results.get("finished").asBoolean(), "the last write marks the comparison finished");
        for (JsonNode run : results.get("runs")) {
            assertEquals(4, run.get("losses").size());
            assertTrue(run.get("msPerStep").asDouble() > 0);
        }
        assertTrue(results.get("summaries").get(1).get("initMillis").asDouble() > 0, "LoRA-GA init is timed");
        assertTrue(Files.readString(dir.resolve("results.md")).contains("| NUM2WORDS | lora-ga |"));
        BufferedImage png = ImageIO.read(dir.resolve("loss-num2words.png").toFile());
        assertEquals(900, png.getWidth());
        assertTrue(Files.isRegularFile(dir.resolve("base-model").resolve("model.safetensors")));
        assertEquals(2, LlamaConfig.read(dir.resolve("base-model")).numHiddenLayers());
        assertEquals(32, LlamaConfig.read(dir.resolve("base-model")).hiddenSize());
        assertThrows(IllegalArgumentException.class, () -> MethodComparison.Options.parse(new String[] {
            "--base-size", "2,30,64,4,2"}));
    }

    @Test
    void learningRateGridsCanBeGivenPerMethod() {
        MethodComparison.Options options = MethodComparison.Options.parse(new String[] {"--out", dir.toString(),
            "--grid-lora-ga", "5e-4, 1e-3,2e-3", "--grid-lora", "1e-2"});
        assertEquals(List.of(5e-4, 1e-3, 2e-3), options.grid("lora-ga"));
        assertEquals(List.of(1e-2), options.grid("lora"));
        assertEquals(MethodComparison.grid("full"), options.grid("full"));
        assertEquals(List.of(1e-3, 3e-3, 1e-2), options.grid("lora-ga-no-rslora"));
    }

    @Test
    void switchingBenchmarkRestoresBitExactly() throws IOException {
        Map<String, Object> r = SwitchingBenchmark.run(dir, 256, 4, 3);
        assertEquals(Boolean.TRUE, r.get("shira1pctBitExactRestore"));
        assertEquals(Boolean.TRUE, r.get("shira2pctBitExactRestore"));
        assertTrue((Double) r.get("loraMergeUnmergeMs") > 0);
        assertTrue(Files.isRegularFile(dir.resolve("switching.json")));
    }

    @Test
    void lossPlotDrawsEverySeries() throws IOException {
        Path png = dir.resolve("p.png");
        LossPlot.write(png, "t", Map.of("a", List.of(3.0, 2.0, 1.0), "b", List.of(2.5, 2.0, 1.8)), 1);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(560, image.getHeight());
        // Legend swatches of the first two palette colours are drawn.
        Set<Integer> colours = new HashSet<>();
        for (int x = 0; x < image.getWidth(); x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                colours.add(image.getRGB(x, y) & 0xffffff);
            }
        }
        assertTrue(colours.contains((31 << 16) | (119 << 8) | 180));
        assertTrue(colours.contains((255 << 16) | (127 << 8) | 14));
    }
}
