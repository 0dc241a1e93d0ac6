package dev.adapterhub.gateway;

import dev.adapterhub.gateway.support.Gateway;
import dev.adapterhub.gateway.support.World;
import dev.adapterhub.testsupport.RegistryStackTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Admission bound (503 + Retry-After), cancellation of streams whose client disconnects, and the Prometheus
 * metrics those and ordinary requests leave behind.
 */
@QuarkusTest
@WithTestResource(value = RegistryStackTestResource.class, scope = TestResourceScope.GLOBAL)
class OverloadAndMetricsIT {

    private static final int SLOTS = 20;        // %test.adapterhub.gateway.max-in-flight-requests
    private static final int LONG = 400;

    @Test
    void fullGatewayAnswers503WithRetryAfterAndDisconnectedStreamsAreCancelled() throws Exception {
        World w = World.get();
        String prompt = longRunningPrompt(w);
        double cancelledBefore = metricOrZero("adapterhub_gateway_requests_total", "outcome=\"cancelled\"");
        List<HttpURLConnection> streams = new ArrayList<>();
        try {
            for (int i = 0; i < SLOTS; i++) {
                HttpURLConnection c = Gateway.open("/v1/completions", Map.of("model", World.LORA_B, "prompt", prompt,
                        "max_tokens", LONG, "temperature", 0, "stream", true));
                streams.add(c);
            }
            for (HttpURLConnection c : streams) {
                assertEquals(200, c.getResponseCode());     // admitted: its slot is held until it ends
            }
            // all slots are held by streams that run for LONG tokens each
            Gateway.completion(Map.of("model", World.BASE, "prompt", "x", "max_tokens", 1)).then()
                    .statusCode(503).header("Retry-After", "1")
                    .body("error.code", equalTo("overloaded")).body("error.type", equalTo("server_error"));
            // the streams really produce tokens
            try (BufferedReader r = new BufferedReader(new InputStreamReader(streams.get(0).getInputStream(),
                    StandardCharsets.UTF_8))) {
                assertTrue(r.readLine().startsWith("data: {"));
            }
        } finally {
            streams.forEach(HttpURLConnection::disconnect);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertEquals(0.0, metric("adapterhub_gateway_requests_in_flight", ""));
            assertTrue(metric("adapterhub_gateway_requests_total", "outcome=\"cancelled\"") - cancelledBefore
                    >= SLOTS - 1, "disconnected streams are cancelled, not run to the end");
        });
        // and the gateway serves again
        assertEquals(w.expected(null, "x", 2, List.of()), Gateway.greedyText(World.BASE, "x", 2));
    }

    /** A prompt whose reference output does not hit EOS within LONG tokens, so the streams really last. */
    private static String longRunningPrompt(World w) {
        for (String p : List.of("Long story:", "Tell me more", "Count:", "abc", "Q:")) {
            String text = w.expected(World.LORA_B + "@1", p, LONG, List.of());
            if (text.getBytes(StandardCharsets.UTF_8).length >= LONG - 8) {
                return p;
            }
        }
        throw new AssertionError("no fixture prompt runs " + LONG + " tokens without EOS");
    }

    @Test
    void prometheusMetricsCoverRequestsTokensLatencyQueueAndCache() {
        World.get();
        Gateway.greedyText(World.LORA_B, "metrics", 4);
        Gateway.greedyText(World.LORA_B, "metrics", 4);
        Gateway.admin().post("/admin/v1/adapters/" + World.LORA_B + "/evict").then().statusCode(200);
        Gateway.greedyText(World.LORA_B, "metrics", 4);
        String adapter = "adapter=\"" + World.LORA_B + "\"";
        assertTrue(metric("adapterhub_gateway_requests_total", adapter) >= 3);
        assertTrue(metric("adapterhub_gateway_tokens_total", adapter + ",kind=\"completion\"") >= 3);
        assertTrue(metric("adapterhub_gateway_tokens_total", adapter + ",kind=\"prompt\"") >= 3 * 8);
        assertTrue(metric("adapterhub_gateway_time_to_first_token_seconds_count", adapter) >= 3);
        assertTrue(metric("adapterhub_gateway_time_per_output_token_seconds_count", adapter) >= 3);
        assertTrue(metric("adapterhub_gateway_request_duration_seconds_count", adapter) >= 3);
        assertTrue(metric("adapterhub_gateway_adapter_cache_hits_total", adapter) >= 1);
        assertTrue(metric("adapterhub_gateway_adapter_cache_misses_total", adapter) >= 2);
        assertTrue(metric("adapterhub_gateway_adapter_cache_evictions_total", adapter) >= 1);
        assertTrue(metric("adapterhub_gateway_adapter_load_duration_seconds_count", adapter) >= 2);
        assertTrue(metric("adapterhub_gateway_queue_depth", "") >= 0);
        assertTrue(metric("adapterhub_gateway_adapter_cache_capacity_entries", "") == 3);
        assertTrue(metric("adapterhub_gateway_engine_tensor_bytes", "") > 0, "a base model is loaded");
        double switches = metric("adapterhub_gateway_engine_weight_switches", "");
        Gateway.greedyText(World.SHIRA, "metrics", 2);       // fuses the SHiRA (unless it already is)
        Gateway.greedyText(World.LORA_B, "metrics", 2);      // restores the base weights for the LoRA row
        assertTrue(metric("adapterhub_gateway_engine_weight_switches", "") >= switches + 1);
        Gateway.completion(Map.of("model", "no-such-model", "prompt", "x")).then().statusCode(404);
        assertTrue(metric("adapterhub_gateway_requests_total", "outcome=\"model_not_found\"") >= 1);
    }

    private static double metricOrZero(String name, String labelFilter) {
        try {
            return metric(name, labelFilter);
        } catch (AssertionError e) {
            return 0;
        }
    }

    /** Sum of the samples of {@code name} whose labels contain {@code labelFilter}. */
    private static double metric(String name, String labelFilter) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Pattern p = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+|NaN)$", Pattern.MULTILINE);
        Matcher m = p.matcher(text);
        double sum = 0;
        boolean found = false;
        while (m.find()) {
            String labels = m.group(1) == null ? "" : m.group(1);
            if (labels.contains(labelFilter)) {
                sum += Double.parseDouble(m.group(2));
                found = true;
            }
        }
        if (!found) {
            throw new AssertionError("no sample of " + name + " with " + labelFilter);
        }
        return sum;
    }
}
