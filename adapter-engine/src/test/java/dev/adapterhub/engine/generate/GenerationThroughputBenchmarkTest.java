package dev.adapterhub.engine.generate;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.testkit.TinyLlamaGenerator;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Decode throughput of a ~20M-parameter model (8 layers, width 512) on the CPU; run with -Dgroups=benchmark. */
@Tag("benchmark")
class GenerationThroughputBenchmarkTest {

    @TempDir
    Path tmp;

    @Test
    void decodeThroughput() throws Exception {
        TinyLlamaSpec spec = TinyLlamaSpec.tiny().withSize(8, 512, 1408, 8, 4, 2048);
        Path dir = TinyLlamaGenerator.generate(spec, tmp.resolve("m"));
        try (LlamaModel model = CheckpointIO.load(dir, Device.cpu(), DataType.FLOAT32)) {
            Generator g = new Generator(model);
            int[] prompt = new int[32];
            for (int i = 0; i < prompt.length; i++) {
                prompt[i] = 3 + i * 7;
            }
            g.generate(GenerationRequest.greedy(prompt, 8));
            for (int batch : new int[] {1, 8}) {
                List<GenerationRequest> reqs = new ArrayList<>();
                for (int i = 0; i < batch; i++) {
                    reqs.add(GenerationRequest.greedy(prompt, 64));
                }
                long t0 = System.nanoTime();
                List<GenerationResult> out = g.generateBatch(reqs);
                double s = (System.nanoTime() - t0) / 1e9;
                int tokens = out.stream().mapToInt(r -> r.tokenIds().length).sum();
                assertEquals(64 * batch, tokens);
                System.out.printf("batch %d: %d tokens in %.2f s = %.1f tokens/s (%.1f ms per step)%n", batch,
                        tokens, s, tokens / s, s * 1000 / 64);
            }
        }
    }
}
