package dev.adapterhub.reliability.load;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.device.Devices;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.serve.ServeRequest;
import dev.adapterhub.engine.serve.ServeResult;
import dev.adapterhub.engine.serve.ServingEngine;
import dev.adapterhub.engine.serve.ServingSettings;
import dev.adapterhub.engine.tokenizer.TextTokenizer;
import dev.adapterhub.localstack.ServiceProcess;
import dev.adapterhub.reliability.support.Figures;
import dev.adapterhub.reliability.support.Seed;
import dev.adapterhub.testsupport.RegistryStack;
import dev.adapterhub.testsupport.ServiceProcesses;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the gateway adds per generated token over the engine alone (issue 12: at most 0.5 ms on CPU). One request at
 * a time, greedy, the same model, LoRA, prompts and settings on both sides: first the engine in this JVM (the
 * gateway process idle), then the gateway over HTTP, streamed, timing each token where the client sees it. Time
 * per output token = (last token - first token) / (tokens - 1), per request; the figures are medians and p90s over
 * the requests. Writes {@code target/reliability/gateway-token-overhead.json}; asserts only that both sides
 * generated the same tokens.
 */
@Tag("benchmark")
class GatewayTokenOverheadST {

    private static final int REQUESTS = Integer.getInteger("bench.token-overhead.requests", 40);
    /**
     * libtorch intra-op threads on both sides (gateway setting {@code runtime.threads}); by default what the gateway
     * takes for 0: every core but one.
     */
    private static final int THREADS = Integer.getInteger("bench.token-overhead.threads",
            Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    /** The base model: the README tour's (4 layers × 128, trained), or a checkpoint folder; "" = the suite's own. */
    private static final String MODEL = System.getProperty("bench.token-overhead.model", "../models/tiny-llama/v1");
    private static final int WARMUP = 16;
    private static final int MAX_TOKENS = 64;
    private static final int MIN_SPAN = 16;
    private static final String ADAPTER = "overhead-lora";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /**
     * One request as timed on one side: from its first to its last token that carries text, {@code spanTokens}
     * tokens apart (the same on both sides: the same greedy tokens).
     */
    private record Timed(String text, int tokens, double ttftMs, double spanMs, int spanTokens) {

        double tpotMs() {
            return spanTokens == 0 ? 0 : spanMs / spanTokens;
        }
    }

    @Test
    void gatewayAddsLittlePerToken() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "token-overhead");
        try (RegistryStack stack = RegistryStack.start()) {
            ServiceProcess gateway = ServiceProcesses.gateway(stack,
                    Map.of("ADAPTERHUB_GATEWAY_RUNTIME_THREADS", String.valueOf(THREADS)));
            try {
                Seed seed = MODEL.isEmpty() ? Seed.start(stack, dir) : Seed.start(stack, dir, Path.of(MODEL));
                seed.adapterWithVersion(ADAPTER);
                List<String> prompts = new ArrayList<>();
                for (int i = 0; i < WARMUP + REQUESTS; i++) {
                    prompts.add((100 + 37 * i) + "=");
                }
                List<Timed> engine = new ArrayList<>();
                List<Timed> served = new ArrayList<>();
                URI uri = URI.create(gateway.service().baseUrl());
                try (EngineAlone alone = new EngineAlone(seed.base(), seed.adapterFiles())) {
                    // alternating, so that whatever else the machine does falls on both sides alike
                    for (String prompt : prompts) {
                        Timed own = alone.generate(prompt);
                        engine.add(own);
                        served.add(throughGateway(uri, seed.teamKey(), prompt, own.spanTokens()));
                    }
                }

                for (int i = 0; i < prompts.size(); i++) {
                    assertEquals(engine.get(i).text(), served.get(i).text(), "request " + i + " differs");
                }
                // a trained model ends some answers early: time the requests with enough tokens to time
                List<Integer> timedRequests = new ArrayList<>();
                for (int i = WARMUP; i < prompts.size(); i++) {
                    if (engine.get(i).spanTokens() >= MIN_SPAN) {
                        timedRequests.add(i);
                    }
                }
                assertTrue(timedRequests.size() >= REQUESTS / 2, "too few requests with " + MIN_SPAN + " tokens to time: "
                        + timedRequests.size());
                List<Timed> e = timedRequests.stream().map(engine::get).toList();
                List<Timed> g = timedRequests.stream().map(served::get).toList();
                double engineTpot = median(e, Timed::tpotMs);
                double gatewayTpot = median(g, Timed::tpotMs);
                Figures figures = new Figures("gateway-token-overhead")
                        .put("requests", REQUESTS)
                        .put("requestsTimed", timedRequests.size())
                        .put("torchThreads", THREADS)
                        .put("model", MODEL.isEmpty() ? "the suite's (2 layers x 64)" : MODEL)
                        .put("maxTokens", MAX_TOKENS)
                        .put("meanTokensPerRequest", e.stream().mapToInt(Timed::tokens).average().orElse(0))
                        .put("meanTimedTokensPerRequest", e.stream().mapToInt(Timed::spanTokens).average().orElse(0))
                        .put("engineTpotP50Ms", round(engineTpot))
                        .put("engineTpotP90Ms", round(percentile(e, Timed::tpotMs, 0.9)))
                        .put("gatewayTpotP50Ms", round(gatewayTpot))
                        .put("gatewayTpotP90Ms", round(percentile(g, Timed::tpotMs, 0.9)))
                        .put("engineTtftP50Ms", round(median(e, Timed::ttftMs)))
                        .put("gatewayTtftP50Ms", round(median(g, Timed::ttftMs)))
                        .put("overheadPerTokenMs", round(gatewayTpot - engineTpot))
                        .put("targetPerTokenMs", 0.5)
                        .put("met", gatewayTpot - engineTpot <= 0.5)
                        .put("engineTpotsMs", e.stream().map(t -> round(t.tpotMs())).toList())
                        .put("gatewayTpotsMs", g.stream().map(t -> round(t.tpotMs())).toList());
                figures.write();
            } finally {
                gateway.stop();
            }
        }
    }

    /** The engine in this JVM, set up as the gateway sets up its own. */
    private static final class EngineAlone implements AutoCloseable {
        private final LlamaModel model;
        private final TextTokenizer tokenizer;
        private final ServingEngine engine;

        EngineAlone(Path base, Path peft) throws Exception {
            Devices.configureOffline();
            if (THREADS > 0) {
                System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(THREADS));
            }
            model = CheckpointIO.load(base, Device.cpu(), DataType.FLOAT32);
            tokenizer = TextTokenizer.load(base.resolve("tokenizer.json"));
            engine = ServingEngine.start(model, tokenizer, ServingSettings.defaults().withMaxBatchRows(8));
            engine.loadAdapter(ADAPTER, peft);
        }

        Timed generate(String prompt) throws Exception {
            List<Long> at = new ArrayList<>();
            List<Integer> index = new ArrayList<>();
            int[] token = {0};
            long start = System.nanoTime();
            ServeResult result = engine.submit(ServeRequest.text(prompt).withAdapter(ADAPTER)
                    .withMaxTokens(MAX_TOKENS), delta -> {
                        if (!delta.isEmpty()) {
                            at.add(System.nanoTime());
                            index.add(token[0]);
                        }
                        token[0]++;
                    }).result().get();
            int span = index.size() < 2 ? 0 : index.get(index.size() - 1) - index.get(0);
            return timed(result.text(), result.completionTokens(), start, at, span);
        }

        @Override
        public void close() {
            engine.close();
            tokenizer.close();
            model.close();
        }
    }

    private static Timed throughGateway(URI gateway, String key, String prompt, int spanTokens) throws Exception {
        String body = JSON.writeValueAsString(Map.of("model", ADAPTER, "prompt", prompt, "max_tokens", MAX_TOKENS,
                "temperature", 0, "stream", true, "stream_options", Map.of("include_usage", true)));
        HttpRequest request = HttpRequest.newBuilder(gateway.resolve("/v1/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(1)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        List<Long> at = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int tokens = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                    continue;
                }
                long now = System.nanoTime();
                JsonNode chunk = JSON.readTree(line.substring(6));
                if (chunk.path("usage").isObject()) {
                    tokens = chunk.path("usage").path("completion_tokens").asInt();
                }
                for (JsonNode choice : chunk.path("choices")) {
                    String delta = choice.path("text").asText();
                    if (!delta.isEmpty()) {
                        text.append(delta);
                        at.add(now);
                    }
                }
            }
        }
        return timed(text.toString(), tokens, start, at, spanTokens);
    }

    /**
     * TTFT and the span from the first to the last token with text. The gateway sends no event for a token whose
     * text is held back (inside a UTF-8 sequence, a possible stop string), so both sides time only tokens with text
     * and divide by the engine's count of tokens between them.
     */
    private static Timed timed(String text, int tokens, long start, List<Long> at, int spanTokens) {
        double ttft = at.isEmpty() ? 0 : (at.get(0) - start) / 1e6;
        double span = at.size() < 2 ? 0 : (at.get(at.size() - 1) - at.get(0)) / 1e6;
        return new Timed(text, tokens, ttft, span, spanTokens);
    }

    private static double median(List<Timed> timed, ToDoubleFunction<Timed> f) {
        return percentile(timed, f, 0.5);
    }

    private static double percentile(List<Timed> timed, ToDoubleFunction<Timed> f, double p) {
        double[] values = timed.stream().mapToDouble(f).sorted().toArray();
        return values[Math.min(values.length - 1, (int) Math.floor(p * values.length))];
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
