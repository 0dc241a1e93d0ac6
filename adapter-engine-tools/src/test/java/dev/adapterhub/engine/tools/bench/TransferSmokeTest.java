package dev.adapterhub.engine.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every step of a Trans-LoRA transfer on the shipped bases at a toy budget: source adapter, kit (discriminator),
 * filtered synthesis on the next revision, seeds-only, and a transfer to the other family, each trained and
 * scored on real held-out data. The real run is the tagged benchmark.
 */
class TransferSmokeTest {

    @TempDir
    Path dir;

    @Test
    void aTransferRunsEndToEndOnTheShippedBases() throws Exception {
        List<TransferBenchmark.Run> runs = TransferBenchmark.run(TransferBenchmark.Options.parse(toy("20")));
        assertEquals(1, runs.size());
        TransferBenchmark.Run run = runs.get(0);
        assertEquals(List.of("filtered", "seeds-only", "cross-family"), List.copyOf(run.transferred().keySet()));
        run.transferred().values().forEach(em -> assertTrue(em >= 0 && em <= 1, "exact match " + em));
        assertTrue(run.labelled().get("filtered") > 0, "the teacher answered some synthetic inputs");
        assertEquals(5, run.labelled().get("seeds-only"));
        assertTrue(run.labelled().get("filtered") <= 8);
        double acceptance = run.acceptanceRate().get("filtered");
        assertTrue(acceptance >= 0 && acceptance <= 1, "acceptance " + acceptance);
        for (String variant : List.of("source", "discriminator", "filtered", "cross-family")) {
            assertTrue(Files.isRegularFile(dir.resolve("num2words-seed0").resolve(variant)
                    .resolve("adapter_model.safetensors")), variant);
        }
        JsonNode results = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        assertEquals(1, results.get("runs").size());
        String md = Files.readString(dir.resolve("results.md"));
        assertTrue(md.contains("| NUM2WORDS |") && md.contains("transferred ≥ source on average"), md);
        assertTrue(Files.size(dir.resolve("transfer.png")) > 1000);

        // Run again into the same directory: the finished task and seed are read back, not recomputed.
        long written = Files.getLastModifiedTime(dir.resolve("num2words-seed0/source/adapter_model.safetensors"))
                .toMillis();
        List<TransferBenchmark.Run> again = TransferBenchmark.run(TransferBenchmark.Options.parse(toy("20")));
        assertEquals(runs, again);
        assertEquals(written, Files.getLastModifiedTime(dir.resolve("num2words-seed0/source/adapter_model.safetensors"))
                .toMillis());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> TransferBenchmark.run(TransferBenchmark.Options.parse(toy("21"))));
        assertTrue(other.getMessage().contains("other settings"), other.getMessage());
    }

    private String[] toy(String steps) {
        return new String[] {"--out", dir.toString(), "--models", "../models", "--tasks", "NUM2WORDS", "--seeds", "1",
            "--steps", steps, "--lr", "1e-2", "--goal", "8", "--eval-examples", "8", "--discriminator-steps", "4",
            "--discriminator-inputs", "16", "--variants", "filtered,seeds-only,cross-family"};
    }
}
