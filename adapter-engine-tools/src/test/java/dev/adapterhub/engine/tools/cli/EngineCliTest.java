package dev.adapterhub.engine.tools.cli;

import dev.adapterhub.formats.hf.LinearModules;
import dev.adapterhub.formats.peft.PeftAdapterFiles;
import dev.adapterhub.formats.peft.PeftConfig;
import dev.adapterhub.formats.peft.PeftType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README tour's engine commands, end to end at toy size. */
class EngineCliTest {

    @TempDir
    Path dir;

    @Test
    void makesAModelAndADatasetAndTrainsAValidPeftAdapter() throws Exception {
        Path base = dir.resolve("base");
        Path data = dir.resolve("numbers.jsonl");
        Path adapter = dir.resolve("adapter");

        EngineCli.main(new String[] {"tiny-model", "--out", base.toString(), "--hidden", "32", "--intermediate", "64"});
        EngineCli.main(new String[] {"dataset", "--task", "NUM2WORDS", "--out", data.toString(), "--limit", "40"});
        EngineCli.main(new String[] {"train", "--base", base.toString(), "--data", data.toString(), "--out",
                adapter.toString(), "--method", "LORA", "--rank", "4", "--steps", "3", "--batch-size", "4",
                "--base-name", "tiny", "--report", dir.resolve("reports/train.json").toString()});

        assertEquals(40, Files.readAllLines(data).size());
        var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("reports/train.json")
                .toFile());
        assertEquals("lora", report.path("method").asText());
        assertEquals(3, report.path("steps").asInt());
        assertTrue(report.path("stepsPerSecond").asDouble() > 0, report.toString());
        assertTrue(report.path("initShareOf1000Steps").asDouble() >= 0, report.toString());
        assertTrue(report.path("meanTokensPerStep").asDouble() > 4 * 3,
                "batch 4, prompts of several tokens: " + report);
        PeftConfig config = PeftConfig.read(adapter);
        assertEquals(PeftType.LORA, config.peftType());
        assertEquals(4, config.r());
        assertEquals("tiny", config.baseModelNameOrPath());
        assertTrue(PeftAdapterFiles.validateDirectory(adapter, LinearModules.fromCheckpoint(base)).isEmpty(),
                "the trained adapter must validate against its base");
    }

    @Test
    void benchSwitchWritesOneRowPerWidth() throws Exception {
        EngineCli.main(new String[] {"bench-switch", "--widths", "64,128", "--rank", "2", "--repeats", "2", "--out",
            dir.resolve("switch").toString()});
        var sweep = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("switch/switch-sweep.json")
                .toFile());
        assertEquals(2, sweep.path("widths").size());
        assertEquals(128, sweep.path("widths").get(1).path("width").asInt());
        assertTrue(sweep.path("widths").get(1).path("loraMillis").asDouble() > 0, sweep.toString());
        assertTrue(Files.readString(dir.resolve("switch/switch-sweep.md")).contains("| 128 |"));
    }

    @Test
    void writesTheSuitesFixedSplits() throws Exception {
        Path train = dir.resolve("topic-train.jsonl");
        Path eval = dir.resolve("topic-eval.jsonl");
        EngineCli.main(new String[] {"dataset", "--task", "topic", "--split", "train", "--out", train.toString()});
        EngineCli.main(new String[] {"dataset", "--task", "TOPIC", "--split", "eval", "--out", eval.toString()});
        assertEquals(800, Files.readAllLines(train).size());
        assertEquals(200, Files.readAllLines(eval).size());
        assertTrue(Files.readAllLines(eval).stream().noneMatch(Files.readAllLines(train)::contains));
        assertTrue(Files.readString(eval).contains("=\",\"completion\":\"weather\"}"));
        assertThrows(IllegalArgumentException.class, () -> DatasetCommand.run(CliOptions.parse(new String[] {
            "--task", "TOPIC", "--split", "test", "--out", eval.toString()})));
    }

    @Test
    void datasetCreatesAMissingParentDirectory() throws Exception {
        // The README tour writes its dataset to a /tmp/tour/ that does not exist on a fresh machine.
        Path nested = dir.resolve("fresh").resolve("tour").resolve("numbers.jsonl");
        DatasetCommand.run(CliOptions.parse(new String[] {"--task", "NUM2WORDS", "--out", nested.toString()}));
        assertEquals(1000, Files.readAllLines(nested).size());
    }

    @Test
    void rejectsUnknownOptionsInsteadOfIgnoringThem() {
        CliOptions options = CliOptions.parse(new String[] {"--out", "x", "--stpes", "3"});
        options.required("out");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, options::requireAllUsed);
        assertTrue(e.getMessage().contains("--stpes"), e.getMessage());
    }
}
