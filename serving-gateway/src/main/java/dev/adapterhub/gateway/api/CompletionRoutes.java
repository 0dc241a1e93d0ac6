package dev.adapterhub.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.gateway.config.GatewayConfig;
import dev.adapterhub.gateway.error.ApiError;
import dev.adapterhub.gateway.error.ApiException;
import dev.adapterhub.gateway.error.ErrorBody;
import dev.adapterhub.gateway.inference.Generation;
import dev.adapterhub.gateway.inference.GenerationOutcome;
import dev.adapterhub.gateway.metrics.GatewayMetrics;
import dev.adapterhub.gateway.openai.ChatCompletionChunk;
import dev.adapterhub.gateway.openai.ChatCompletionResponse;
import dev.adapterhub.gateway.openai.ChatMessage;
import dev.adapterhub.gateway.openai.CompletionResponse;
import dev.adapterhub.gateway.openai.InferenceCall;
import dev.adapterhub.gateway.openai.RequestParser;
import dev.adapterhub.gateway.openai.Usage;
import dev.adapterhub.gateway.security.GatewayAccess;
import dev.adapterhub.gateway.serving.ErrorMapping;
import dev.adapterhub.gateway.serving.InferenceService;
import dev.adapterhub.registry.client.model.Caller;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code POST /v1/completions} and {@code POST /v1/chat/completions}. Plain Vert.x routes rather than JAX-RS
 * because one endpoint answers either JSON or a Server-Sent Events stream depending on the body's {@code stream}
 * field, and streaming needs the exact OpenAI framing ({@code data: <json>\n\n} ... {@code data: [DONE]\n\n})
 * and a close handler that cancels the generation when the client goes away.
 *
 * <p>Threads: the blocking part (resolution, downloads, loads) runs on a worker thread; tokens arrive on the
 * engine's scheduler thread and are handed to the request's event loop, which writes them in order.
 */
@ApplicationScoped
public class CompletionRoutes {

    private static final Logger LOG = Logger.getLogger(CompletionRoutes.class);
    private static final long MAX_BODY_BYTES = 8L * 1024 * 1024;

    private final InferenceService service;
    private final GatewayMetrics metrics;
    private final GatewayConfig config;
    private final RequestParser parser;
    private final ObjectMapper json;
    private final GatewayAccess access;

    public CompletionRoutes(InferenceService service, GatewayMetrics metrics, GatewayConfig config,
                            ObjectMapper json, GatewayAccess access) {
        this.access = access;
        this.service = service;
        this.metrics = metrics;
        this.config = config;
        this.parser = new RequestParser(config);
        this.json = json;
    }

    void routes(@Observes Router router) {
        for (String path : List.of("/v1/completions", "/v1/chat/completions")) {
            boolean chat = path.contains("chat");
            router.post(path).order(-10).handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
            router.post(path).order(-9).blockingHandler(ctx -> handle(ctx, chat), false);
        }
    }

    private void handle(RoutingContext ctx, boolean chat) {
        String endpoint = chat ? "chat" : "completions";
        Instant started = Instant.now();
        Context context = Vertx.currentContext();
        InferenceCall call;
        InferenceService.Prepared prepared;
        try {
            Caller caller = access.authenticate(ctx.request().getHeader("Authorization"));
            access.requireInference(caller);
            JsonNode body = parseBody(ctx);
            call = chat ? parser.chat(body) : parser.completion(body);
            prepared = service.prepare(call, caller);
        } catch (RuntimeException | Error e) {
            ApiException api = ErrorMapping.map(e);
            metrics.request(endpoint, null, api.error().code(), null);
            writeError(ctx.response(), api);
            return;
        }
        String adapter = prepared.model().adapterName();
        String id = (chat ? "chatcmpl-" : "cmpl-") + UUID.randomUUID().toString().replace("-", "");
        long created = started.getEpochSecond();
        Stream stream = call.stream() ? new Stream(ctx.response(), context, chat, id, created, call.model()) : null;
        AtomicReference<Generation> running = new AtomicReference<>();
        AtomicBoolean clientGone = new AtomicBoolean();
        ctx.response().closeHandler(v -> {
            clientGone.set(true);
            Generation g = running.get();
            if (g != null) {
                g.cancel();
            }
        });
        Generation g;
        try {
            if (stream != null) {
                stream.begin();
            }
            g = prepared.start(stream == null ? delta -> { } : stream::delta);
        } catch (ApiException e) {
            metrics.request(endpoint, adapter, e.error().code(), null);
            if (stream != null) {
                stream.fail(e);
            } else {
                writeError(ctx.response(), e);
            }
            return;
        }
        running.set(g);
        if (clientGone.get()) {
            g.cancel();
        }
        g.result().whenComplete((outcome, failure) -> {
            Duration took = Duration.between(started, Instant.now());
            if (failure != null) {
                ApiException api = ErrorMapping.map(failure);
                metrics.request(endpoint, adapter, api.error().code(), took);
                context.runOnContext(v -> {
                    if (stream != null) {
                        stream.fail(api);
                    } else {
                        writeError(ctx.response(), api);
                    }
                });
                return;
            }
            metrics.request(endpoint, adapter, outcome.finish().name().toLowerCase(), took);
            metrics.tokens(adapter, outcome.promptTokens(), outcome.completionTokens());
            metrics.latency(adapter, outcome.timeToFirstToken(), took, outcome.completionTokens());
            context.runOnContext(v -> finish(ctx, call, stream, id, created, outcome));
        });
    }

    private void finish(RoutingContext ctx, InferenceCall call, Stream stream, String id, long created,
                        GenerationOutcome outcome) {
        if (outcome.finish() == GenerationOutcome.Finish.CANCELLED) {
            if (!ctx.response().ended() && !ctx.response().closed()) {
                ctx.response().close();
            }
            return;
        }
        if (outcome.finish() == GenerationOutcome.Finish.TIMEOUT) {
            ApiException timeout = new ApiException(ApiError.TIMEOUT, "The request took longer than "
                    + config.requestTimeout().toSeconds() + " s and was stopped");
            if (stream != null) {
                stream.fail(timeout);
            } else {
                writeError(ctx.response(), timeout);
            }
            return;
        }
        Usage usage = Usage.of(outcome.promptTokens(), outcome.completionTokens());
        if (stream != null) {
            stream.end(outcome.finish().openAi(), call.includeUsage() ? usage : null);
            return;
        }
        Object body;
        if (call.chat()) {
            body = new ChatCompletionResponse(id, "chat.completion", created, call.model(),
                    List.of(new ChatCompletionResponse.Choice(0, new ChatMessage("assistant", outcome.text()), null,
                            outcome.finish().openAi())), usage);
        } else {
            body = new CompletionResponse(id, "text_completion", created, call.model(),
                    List.of(new CompletionResponse.Choice(0, outcome.text(), null, outcome.finish().openAi())),
                    usage);
        }
        writeJson(ctx.response(), 200, body);
    }

    private JsonNode parseBody(RoutingContext ctx) {
        String ct = ctx.request().getHeader("Content-Type");
        if (ct != null && !ct.toLowerCase().startsWith("application/json")) {
            throw new ApiException(ApiError.INVALID_REQUEST, "Content-Type must be application/json");
        }
        if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() == 0) {
            throw new ApiException(ApiError.INVALID_REQUEST, "The request body must be a JSON object");
        }
        try {
            return json.readTree(ctx.body().asString());
        } catch (JsonProcessingException e) {
            throw new ApiException(ApiError.INVALID_REQUEST, "The request body is not valid JSON");
        }
    }

    private void writeError(HttpServerResponse response, ApiException e) {
        if (response.ended() || response.closed()) {
            return;
        }
        if (e.error().retryable()) {
            response.putHeader("Retry-After", Integer.toString(config.retryAfterSeconds()));
        }
        if (e.error() == ApiError.UNAUTHORIZED) {
            response.putHeader("WWW-Authenticate", "Bearer realm=\"adapterhub\"");
        }
        writeJson(response, e.error().status(), ErrorBody.of(e));
    }

    private void writeJson(HttpServerResponse response, int status, Object body) {
        if (response.ended() || response.closed()) {
            return;
        }
        try {
            response.setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            LOG.error("Serializing a response failed", e);
            response.setStatusCode(500).end();
        }
    }

    /** One Server-Sent Events answer in OpenAI's chunk format. Every write happens on the request's context. */
    private final class Stream {
        private final HttpServerResponse response;
        private final Context context;
        private final boolean chat;
        private final String id;
        private final long created;
        private final String model;

        Stream(HttpServerResponse response, Context context, boolean chat, String id, long created, String model) {
            this.response = response;
            this.context = context;
            this.chat = chat;
            this.id = id;
            this.created = created;
            this.model = model;
        }

        void begin() {
            context.runOnContext(v -> {
                if (response.closed()) {
                    return;
                }
                response.setStatusCode(200).setChunked(true)
                        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                        .putHeader("Cache-Control", "no-cache")
                        .putHeader("X-Accel-Buffering", "no");
                if (chat) {
                    event(chunk(new ChatCompletionChunk.Delta("assistant", ""), null, null));
                } else {
                    // the client learns at once that it was admitted, even while it waits for a batch slot
                    response.writeHead();
                }
            });
        }

        /** Called on the engine thread: hand off, never block it. */
        void delta(String text) {
            if (text == null || text.isEmpty()) {
                return;
            }
            context.runOnContext(v -> event(chat
                    ? chunk(new ChatCompletionChunk.Delta(null, text), null, null)
                    : new CompletionResponse(id, "text_completion", created, model,
                            List.of(new CompletionResponse.Choice(0, text, null, null)), null)));
        }

        void end(String finishReason, Usage usage) {
            event(chat
                    ? chunk(new ChatCompletionChunk.Delta(null, null), finishReason, null)
                    : new CompletionResponse(id, "text_completion", created, model,
                            List.of(new CompletionResponse.Choice(0, "", null, finishReason)), null));
            if (usage != null) {
                event(chat
                        ? new ChatCompletionChunk(id, "chat.completion.chunk", created, model, List.of(), usage)
                        : new CompletionResponse(id, "text_completion", created, model, List.of(), usage));
            }
            done();
        }

        /** An error after the stream began: one {@code data: {"error": ...}} event, then [DONE] (as vLLM does). */
        void fail(ApiException e) {
            context.runOnContext(v -> {
                if (!response.headWritten()) {
                    writeError(response, e);
                    return;
                }
                event(ErrorBody.of(e));
                done();
            });
        }

        private ChatCompletionChunk chunk(ChatCompletionChunk.Delta delta, String finishReason, Usage usage) {
            return new ChatCompletionChunk(id, "chat.completion.chunk", created, model,
                    List.of(new ChatCompletionChunk.Choice(0, delta, null, finishReason)), usage);
        }

        private void event(Object payload) {
            if (response.ended() || response.closed()) {
                return;
            }
            try {
                response.write("data: " + json.writeValueAsString(payload) + "\n\n");
            } catch (JsonProcessingException e) {
                LOG.error("Serializing a chunk failed", e);
            }
        }

        private void done() {
            if (response.ended() || response.closed()) {
                return;
            }
            response.end("data: [DONE]\n\n");
        }
    }
}
