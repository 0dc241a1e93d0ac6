package dev.adapterhub.engine.tools.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GPU run's results table from files shaped like its steps' outputs. */
class GpuReportTest {

    @TempDir
    Path dir;

    @Test
    void setsEveryFigureBesideItsPeerAndTarget() throws Exception {
        write("env.txt", "gpu=NVIDIA H200\ndevice=gpu(0)\n");
        write("steps.tsv", "device-check\t0\t41\nbf16\t134\t3\n");
        write("train-LORA.json", "{\"stepsPerSecond\": 16.0, \"device\": \"gpu(0)\", \"stepPhasesMillis\": "
                + "{\"batch\": 0.5, \"forward\": 20.0, \"backward\": 15.25, \"deviceWait\": 22.0, \"update\": 4.0}}");
        write("train-LORA-compiled.json", "{\"stepsPerSecond\": 24.0, \"compiledForwards\": 100, "
                + "\"stepPhasesMillis\": {\"batch\": 0.5, \"forward\": 5.0, \"backward\": 15.0, \"deviceWait\": 15.0, "
                + "\"update\": 4.0}}");
        write("train-LORA_GA.json", "{\"steps\": 400, \"device\": \"gpu(0)\", "
                + "\"firstLoss\": 5.6, \"finalLoss\": 0.4, \"initShareOf1000Steps\": 0.08, \"prepareMillis\": 5000, "
                + "\"meanStepMillis\": 60.0}");
        write("peer.json", "{\"train_lora_12x768\": {\"steps_per_s\": 13.7}, \"serve\": "
                + "{\"b1_lora_tok_s\": 198.0, \"b128_1lora_tok_s\": 15400.0, \"b128_8lora_mixed_tok_s\": 3800.0}}");
        write("serving/serving-benchmark.json", "{\"mixes\": ["
                + "{\"adapters\": 0, \"tokensPerSecond\": 23400}, {\"adapters\": 1, \"tokensPerSecond\": 50000},"
                + "{\"adapters\": 8, \"tokensPerSecond\": 16100}, {\"adapters\": 64, \"tokensPerSecond\": 48000}],"
                + "\"latency\": [{\"concurrency\": 1, \"tokensPerSecond\": 600.0}]}");
        write("switch/switch-sweep.json", "{\"widths\": [{\"width\": 2048, "
                + "\"shiraMillis\": 1.0, \"loraMillis\": 4.0, \"speedUp\": 4.0}]}");

        write("scale/results.json", "{\"options\": {\"steps\": 200}, \"pretraining\": "
                + "{\"parameters\": 101000000}, \"summaries\": [{\"method\": \"lora\", \"task\": \"NUM2WORDS\","
                + "\"stepsToLoraFinalLoss\": [190, 200, 160]},"
                + "{\"method\": \"lora-ga\", \"task\": \"NUM2WORDS\", \"stepsToLoraFinalLoss\": [50, 100, 80],"
                + "\"initFractionOf1000StepJob\": 0.02, \"initMillis\": 900}]}");

        List<GpuReport.Row> rows = GpuReport.write(dir);
        Map<String, String> verdicts = rows.stream().collect(Collectors.toMap(GpuReport.Row::target,
                GpuReport.Row::verdict));
        assertEquals("floor met", verdicts.get("Training step, LoRA r8 on 12 layers x 768 (steps/s)"));
        assertEquals("met", verdicts.get("LoRA-GA trains on the run's device"));
        assertEquals("NOT met", verdicts.get("LoRA-GA initialisation, share of a 1,000-step job"));
        assertEquals("met", verdicts.get("Generation batch 1 with a LoRA (tokens/s)"));
        assertEquals("met", verdicts.get("Generation batch 128 with one LoRA (tokens/s)"));
        assertEquals("met", verdicts.get("64 distinct LoRAs vs one LoRA in a batch (engine tokens/s)"));
        assertEquals("(no target)", verdicts.get("8 LoRAs mixed in a batch of 128 (tokens/s; PEFT adapter_names)"));
        assertEquals("met", verdicts.get("SHiRA fuse+restore vs LoRA merge+restore, width 2048"));
        assertEquals("missing", verdicts.get("SHiRA fuse+restore vs LoRA merge+restore, width 4096"));

        GpuReport.Row scale = rows.stream().filter(r -> r.target().startsWith("LoRA-GA at scale: steps"))
                .findFirst().orElseThrow();
        assertEquals("[50, 100, 80] vs LoRA's [190, 200, 160] of 200", scale.engine());
        assertEquals("2.60x faster", scale.ratio()); // mean of 190/50, 200/100, 160/80
        assertEquals("met (faster than LoRA on every seed)", scale.verdict());
        assertEquals("met", verdicts.get("LoRA-GA at scale: initialisation, share of a 1,000-step job"));

        GpuReport.Row phases = rows.stream().filter(r -> r.target().startsWith("LoRA training step, host ms"))
                .findFirst().orElseThrow();
        assertEquals("0.5 / 20.0 / 15.3 / 22.0 / 4.0", phases.engine());
        assertEquals("met", verdicts.get("Training step with the compiled forward (option), LoRA r8 on 12 layers x 768"
                + " (steps/s)"));
        GpuReport.Row compiledPhases = rows.stream().filter(r -> r.target().startsWith("Compiled training forward"))
                .findFirst().orElseThrow();
        assertEquals("0.5 / 5.0 / 15.0 / 15.0 / 4.0", compiledPhases.engine());
        assertEquals("1.50x vs eager", compiledPhases.ratio());
        GpuReport.Row train = rows.get(0);
        assertEquals("16.00", train.engine());
        assertEquals("13.70", train.peer());
        assertEquals("1.17x", train.ratio());
        String md = Files.readString(dir.resolve("results.md"));
        assertTrue(md.contains("- gpu: NVIDIA H200"), md);
        assertTrue(md.contains("| bf16 | 134 | 3 |"), md);
        assertTrue(md.contains("BF16 tensors on the run's device: no result"), md);
        JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        assertEquals(rows.size(), json.path("targets").size());
    }

    private void write(String file, String content) throws Exception {
        Path f = dir.resolve(file);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
    }

    @Test
    void aScaleRunCutShortKeepsTheRunsItFinished() throws Exception {
        write("scale/results.json", "{\"options\": {\"steps\": 400}, \"finished\": false, \"pretraining\": "
                + "{\"parameters\": 101000000}, \"summaries\": [], \"runs\": [{\"method\": \"lora\", "
                + "\"learningRate\": 0.003, \"seed\": 0, \"finalLoss\": 0.0905}]}");
        List<GpuReport.Row> rows = GpuReport.write(dir);
        GpuReport.Row cut = rows.stream().filter(r -> r.target().startsWith("LoRA-GA at scale: cut short"))
                .findFirst().orElseThrow();
        assertEquals("LoRA-GA at scale: cut short (runs finished: 1)", cut.target());
        assertEquals("lora lr 3.0e-03 seed 0: final loss 0.0905", cut.engine());
        assertEquals("NOT met (cut short)", cut.verdict());
    }

    @Test
    void aScaleSeedWhereLoraGaIsNotFasterIsNamed() throws Exception {
        write("scale/results.json", "{\"options\": {\"steps\": 200}, \"pretraining\": "
                + "{\"parameters\": 101000000}, \"summaries\": [{\"method\": \"lora\", \"task\": \"NUM2WORDS\","
                + "\"stepsToLoraFinalLoss\": [190, 90, 160]},"
                + "{\"method\": \"lora-ga\", \"task\": \"NUM2WORDS\", \"stepsToLoraFinalLoss\": [50, 100, 80],"
                + "\"initFractionOf1000StepJob\": 0.02, \"initMillis\": 900}]}");
        GpuReport.Row scale = GpuReport.write(dir).stream()
                .filter(r -> r.target().startsWith("LoRA-GA at scale: steps")).findFirst().orElseThrow();
        assertEquals("NOT met (not faster than LoRA on seeds [1])", scale.verdict());
    }

    @Test
    void anEmptyRunReportsEverythingMissing() throws Exception {
        List<GpuReport.Row> rows = GpuReport.write(dir);
        assertTrue(rows.stream().allMatch(r -> r.verdict().startsWith("missing") || r.verdict().equals("NOT met")),
                rows.toString());
        assertEquals("NOT met", rows.get(1).verdict(), "no LoRA-GA result means it did not train");
    }
}
