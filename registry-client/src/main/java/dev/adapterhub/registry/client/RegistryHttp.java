package dev.adapterhub.registry.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sends one registry call: the retries of idempotent calls, and the mapping of every answer that is not 2xx to
 * the typed exceptions (problem+json when the registry sent it).
 */
final class RegistryHttp {

    /** Reads a 2xx answer's body. */
    @FunctionalInterface
    interface BodyReader<T> {
        T read(InputStream body) throws IOException;
    }

    // The JDK's logger, so that the client stays a plain library; Quarkus routes it to its own log.
    private static final System.Logger LOG = System.getLogger(RegistryHttp.class.getName());

    private final HttpClient http;
    private final ObjectMapper json;
    private final RetryPolicy retry;

    RegistryHttp(Duration connectTimeout, RetryPolicy retry, ObjectMapper json) {
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
                .build();
        this.json = json;
        this.retry = retry;
    }

    /**
     * Sends {@code request} and reads its answer; an idempotent request is sent again (after the policy's backoff)
     * while the registry is unavailable and tries are left.
     */
    <T> T send(HttpRequest request, boolean idempotent, BodyReader<T> reader) {
        for (int attempt = 1; ; attempt++) {
            try {
                return sendOnce(request, reader);
            } catch (RegistryUnavailableException e) {
                if (!idempotent || attempt >= retry.attempts() || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                Duration wait = retry.backoff(attempt);
                // A retry hides an outage from the caller: say so, so that operators see it while it lasts.
                LOG.log(System.Logger.Level.WARNING, "Registry call failed (try {0} of {1}), retrying in {2} ms: {3}",
                        attempt, retry.attempts(), wait.toMillis(), e.getMessage());
                pause(wait, e);
            }
        }
    }

    private <T> T sendOnce(HttpRequest request, BodyReader<T> reader) {
        String call = request.method() + " " + request.uri();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new RegistryUnavailableException("The registry is unreachable (" + call + "): " + e, 0, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("Interrupted while calling the registry (" + call + ")", 0, null,
                    e);
        }
        int status = response.statusCode();
        try (InputStream body = response.body()) {
            if (status / 100 != 2) {
                throw failure(call, status, body.readAllBytes());
            }
            try {
                return reader.read(body);
            } catch (JsonProcessingException e) {
                throw new RegistryUnavailableException("Unexpected answer from the registry to " + call + ": "
                        + e.getOriginalMessage(), status, null, e);
            }
        } catch (IOException e) {
            throw new RegistryUnavailableException("Reading the registry's answer to " + call + " failed: " + e,
                    status, null, e);
        }
    }

    private RegistryException failure(String call, int status, byte[] body) {
        Problem problem = problem(body);
        String detail = problem == null ? new String(body, StandardCharsets.UTF_8)
                : problem.detail() != null ? problem.detail() : problem.title();
        String message = "The registry answered " + status
                + (problem == null || problem.type() == null ? "" : " (" + problem.type() + ")") + " to " + call
                + (detail == null || detail.isBlank() ? "" : ": " + detail);
        if (status == 404) {
            return new RegistryNotFoundException(message, problem);
        }
        if (status == 409) {
            return new RegistryConflictException(message, problem);
        }
        if (status >= 400 && status < 500) {
            return new RegistryRejectedException(message, status, problem);
        }
        return new RegistryUnavailableException(message, status, problem, null);
    }

    private Problem problem(byte[] body) {
        try {
            Problem problem = json.readValue(body, Problem.class);
            return problem.type() == null && problem.title() == null && problem.detail() == null ? null : problem;
        } catch (IOException notProblemJson) {
            return null;
        }
    }

    private static void pause(Duration wait, RegistryUnavailableException failure) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure;
        }
    }
}
