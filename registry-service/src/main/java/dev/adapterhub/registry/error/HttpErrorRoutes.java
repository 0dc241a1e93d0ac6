package dev.adapterhub.registry.error;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Optional;

/**
 * Problem details for errors the HTTP layer answers before any JAX-RS resource runs: paths no route matches,
 * bodies over the size limit ({@link BodyLimitFilter}), and failures of other routes. Without this those responses
 * would be empty or HTML.
 */
@ApplicationScoped
public class HttpErrorRoutes {

    private final ProblemResponses problems;
    private final Optional<MemorySize> maxBodySize;

    public HttpErrorRoutes(ProblemResponses problems,
                           @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize) {
        this.problems = problems;
        this.maxBodySize = maxBodySize;
    }

    void installErrorHandlers(@Observes Router router) {
        for (int status : new int[] {400, 404, 405, 406, 413, 415, 500, 503}) {
            router.errorHandler(status, ctx -> respond(ctx, status));
        }
        // A handler that fails its request with 413 (the body handler of BodyLimitFilter) reaches the framework's
        // failure handler, not the router's error handlers above: answer it first.
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (ctx.statusCode() == 413) {
                respond(ctx, 413);
            } else {
                ctx.next();
            }
        });
    }

    /** Answers {@code status} as a problem, unless a response is already under way; a 413 closes the connection. */
    void respond(RoutingContext ctx, int status) {
        respond(ctx, status, switch (status) {
            case 404 -> "No resource at " + ctx.request().path();
            case 405 -> "Method " + ctx.request().method() + " is not allowed on " + ctx.request().path();
            case 413 -> "The request body exceeds the configured limit of "
                    + maxBodySize.map(s -> s.asLongValue() + " bytes").orElse("the server");
            case 415 -> "Content type is not supported here";
            default -> status >= 500 ? "Unexpected server error" : "The request could not be processed";
        });
    }

    /** The same with a detail of the caller's. */
    void respond(RoutingContext ctx, int status, String detail) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        if (status == 413) {
            // the rest of the body is not read: the connection cannot carry another request
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(problems.json(ProblemResponses.forHttpStatus(status), detail, ctx.request().path(), List.of()));
    }
}
