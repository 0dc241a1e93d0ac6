package dev.adapterhub.registry.error;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Locale;
import java.util.Optional;

/**
 * Refuses bodies over {@code quarkus.http.limits.max-body-size} with a problem instead of the framework's bare 413.
 * A declared length is checked up front. A chunked body declares none, and the framework's own readers answer
 * 413 without a body when it runs over, so chunked bodies are read here: a JSON (any non-multipart) body whole, up
 * to {@link #CHUNKED_BODY_LIMIT}; a multipart body part by part, its files streamed to the uploads directory (the
 * REST layer then takes the parsed form as it is), counting bytes as they arrive.
 */
@ApplicationScoped
public class BodyLimitFilter {

    /**
     * The most a JSON (any non-multipart) body may hold when it comes chunked: such a body is read whole before its
     * endpoint runs, so that going over the limit is answered here as a problem, not by the framework's bare 413.
     */
    static final long CHUNKED_BODY_LIMIT = 16L * 1024 * 1024;

    private final HttpErrorRoutes errors;
    private final Optional<MemorySize> maxBodySize;
    private final long chunkedLimit;
    private final BodyHandler chunkedMultipart;

    public BodyLimitFilter(HttpErrorRoutes errors,
                           @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize,
                           @ConfigProperty(name = "quarkus.http.body.uploads-directory") String uploadsDirectory) {
        this.errors = errors;
        this.maxBodySize = maxBodySize;
        this.chunkedLimit = Math.min(CHUNKED_BODY_LIMIT,
                maxBodySize.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE));
        // over the limit it fails the request with 413 (answered by HttpErrorRoutes) and deletes the parts it wrote
        this.chunkedMultipart = BodyHandler.create(uploadsDirectory)
                .setBodyLimit(maxBodySize.map(MemorySize::asLongValue).orElse(-1L))
                .setHandleFileUploads(true)
                .setDeleteUploadedFilesOnEnd(true);
    }

    void install(@Observes Filters filters) {
        // Filters sit on the main router with order -priority: this runs before the framework's own size check
        // (order -2), which would answer 413 with an empty body.
        filters.register(this::check, Integer.MAX_VALUE - 2);
    }

    private void check(RoutingContext ctx) {
        String declared = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && maxBodySize.isPresent()) {
            try {
                if (Long.parseLong(declared.trim()) > maxBodySize.get().asLongValue()) {
                    errors.respond(ctx, 413);
                    return;
                }
            } catch (NumberFormatException e) {
                errors.respond(ctx, 400);
                return;
            }
        }
        if (declared == null && isChunked(ctx)) {
            if (isMultipart(ctx)) {
                chunkedMultipart.handle(ctx);
            } else {
                readWhole(ctx);
            }
            return;
        }
        ctx.next();
    }

    /**
     * Reads a chunked body whole, then hands it on (the REST layer reads a body already read); past the limit it
     * answers 413 as a problem and closes the connection, dropping the rest unread.
     */
    private void readWhole(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + (long) chunk.length() > chunkedLimit) {
                refused[0] = true;
                errors.respond(ctx, 413, "A request body sent chunked that is not multipart may hold at most "
                        + chunkedLimit + " bytes");
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
}
