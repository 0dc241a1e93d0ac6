package dev.adapterhub.registry.error;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Problem details for errors the HTTP layer answers before any JAX-RS resource runs: paths no route matches,
 * bodies over the size limit, and failures of other routes. Without this those responses would be empty or HTML.
 */
@ApplicationScoped
public class HttpErrorRoutes {

    /**
     * The most a JSON (any non-multipart) body may hold when it comes chunked: such a body is read whole before its
     * endpoint runs, so that going over the limit is answered here as a problem, not by the framework's bare 413.
     */
    static final long CHUNKED_BODY_LIMIT = 16L * 1024 * 1024;

    private final ProblemResponses problems;
    private final Optional<MemorySize> maxBodySize;
    private final long chunkedLimit;

    public HttpErrorRoutes(ProblemResponses problems,
                           @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize) {
        this.problems = problems;
        this.maxBodySize = maxBodySize;
        this.chunkedLimit = Math.min(CHUNKED_BODY_LIMIT,
                maxBodySize.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE));
    }

    void installSizeCheck(@Observes Filters filters) {
        // Filters sit on the main router with order -priority: this runs before the framework's own size check
        // (order -2), which would answer 413 with an empty body. Chunked bodies declare no length: a non-multipart
        // one is read here up to the limit (multipart bodies are read by the framework's body handler).
        filters.register(this::rejectOversizedBody, Integer.MAX_VALUE - 2);
    }

    void installErrorHandlers(@Observes Router router) {
        for (int status : new int[] {400, 404, 405, 406, 413, 415, 500, 503}) {
            router.errorHandler(status, ctx -> respond(ctx, status));
        }
    }

    private void rejectOversizedBody(RoutingContext ctx) {
        String declared = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && maxBodySize.isPresent()) {
            try {
                if (Long.parseLong(declared.trim()) > maxBodySize.get().asLongValue()) {
                    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                    respond(ctx, 413);
                    return;
                }
            } catch (NumberFormatException e) {
                respond(ctx, 400);
                return;
            }
        }
        if (declared == null && isChunked(ctx) && !isMultipart(ctx)) {
            readChunkedBody(ctx);
            return;
        }
        ctx.next();
    }

    /**
     * Reads a chunked body whole, then hands it on (the REST layer reads a body already read); past the limit it
     * answers 413 as a problem and closes the connection, dropping the rest unread.
     */
    private void readChunkedBody(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + (long) chunk.length() > chunkedLimit) {
                refused[0] = true;
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                respond(ctx, 413);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(end -> {
            if (!refused[0]) {
                ctx.setBody(body);
                ctx.next();
            }
        });
        request.exceptionHandler(ctx::fail);
        request.resume();
    }

    private static boolean isChunked(RoutingContext ctx) {
        String encoding = ctx.request().getHeader(HttpHeaders.TRANSFER_ENCODING);
        return encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked");
    }

    private static boolean isMultipart(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/");
    }

    private void respond(RoutingContext ctx, int status) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        String detail = switch (status) {
            case 404 -> "No resource at " + ctx.request().path();
            case 405 -> "Method " + ctx.request().method() + " is not allowed on " + ctx.request().path();
            case 413 -> "The request body exceeds the configured limit of "
                    + maxBodySize.map(s -> s.asLongValue() + " bytes").orElse("the server");
            case 415 -> "Content type is not supported here";
            default -> status >= 500 ? "Unexpected server error" : "The request could not be processed";
        };
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(problems.json(ProblemResponses.forHttpStatus(status), detail, ctx.request().path(), List.of()));
    }
}
