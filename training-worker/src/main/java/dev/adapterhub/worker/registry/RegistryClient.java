package dev.adapterhub.worker.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The worker side of the registry's lease protocol (ADR 0005): claim, heartbeat, fail, complete. Every 4xx becomes a
 * {@link RegistryRejectedException}, every transport error or 5xx a {@link RegistryUnavailableException}.
 */
@ApplicationScoped
public class RegistryClient {

    private static final List<String> ADAPTER_FILES = List.of("adapter_config.json", "adapter_model.safetensors");

    private final HttpClient http;
    private final ObjectMapper json;
    private final String baseUrl;
    private final Duration timeout;

    public RegistryClient(WorkerConfig config, ObjectMapper json) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.json = json;
        this.baseUrl = config.registryUrl().replaceAll("/+$", "");
        this.timeout = config.registryTimeout();
    }

    /** Claims the attempt named by a dispatch record; a 409 means another worker has it or the record is stale. */
    public ClaimedJob claim(UUID jobId, String workerId, int attempt) {
        String body = postJson(jobPath(jobId, "claim"), Map.of("workerId", workerId, "attempt", attempt));
        return read(body, ClaimedJob.class);
    }

    /** Renews the lease (and reports progress); a 409 means the lease is gone: stop without publishing. */
    public void heartbeat(UUID jobId, Heartbeat heartbeat) {
        postJson(jobPath(jobId, "heartbeat"), heartbeat);
    }

    /** Gives up the attempt; the registry re-queues it while attempts are left when {@code retryable}. */
    public void fail(UUID jobId, String leaseToken, String reason, boolean retryable) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("leaseToken", leaseToken);
        body.put("reason", reason);
        body.put("retryable", retryable);
        postJson(jobPath(jobId, "fail"), body);
    }

    /** Hands in the adapter; idempotent by job id on the registry's side, so a retry after a timeout is safe. */
    public JsonNode complete(UUID jobId, String leaseToken, Completion completion) {
        Multipart form = new Multipart();
        form.field("leaseToken", leaseToken);
        form.field("metrics", write(completion.metrics()));
        form.field("seedExamples", write(completion.seedExamples()));
        for (String fileName : ADAPTER_FILES) {
            form.file("file", fileName, completion.adapterDirectory().resolve(fileName));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + jobPath(jobId, "complete")))
                .timeout(timeout)
                .header("Content-Type", "multipart/form-data; boundary=" + form.boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.finish()))
                .build();
        return read(send(request), JsonNode.class);
    }

    private static String jobPath(UUID jobId, String action) {
        return "/training-jobs/" + jobId + "/" + action;
    }

    private String postJson(String path, Object body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(body)))
                .build();
        return send(request);
    }

    private String send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RegistryUnavailableException("registry unreachable at " + request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while calling " + request.uri(), e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response.body();
        }
        if (status >= 500) {
            throw new RegistryUnavailableException("registry answered " + status + " for " + request.uri() + ": "
                    + response.body(), null);
        }
        String type = null;
        String detail = response.body();
        try {
            JsonNode problem = json.readTree(response.body());
            type = problem.path("type").asText(null);
            detail = problem.path("detail").asText(problem.path("title").asText(detail));
        } catch (JsonProcessingException notProblemJson) {
            // keep the raw body as the detail
        }
        throw new RegistryRejectedException(status, type, detail);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    private <T> T read(String body, Class<T> type) {
        try {
            return json.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new RegistryUnavailableException("unexpected answer from the registry: " + e.getOriginalMessage(), e);
        }
    }

    /** A small multipart/form-data writer; adapter files are megabytes at most, so the body is built in memory. */
    private static final class Multipart {
        private final String boundary = "adapterhub-" + UUID.randomUUID();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void field(String name, String value) {
            text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n"
                    + "Content-Type: text/plain; charset=UTF-8\r\n\r\n" + value + "\r\n");
        }

        void file(String name, String fileName, Path path) {
            text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
                    + fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            try {
                out.write(Files.readAllBytes(path));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path, e);
            }
            text("\r\n");
        }

        byte[] finish() {
            text("--" + boundary + "--\r\n");
            return out.toByteArray();
        }

        private void text(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }
}
