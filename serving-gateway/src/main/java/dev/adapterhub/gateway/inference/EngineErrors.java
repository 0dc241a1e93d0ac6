package dev.adapterhub.gateway.inference;

import dev.adapterhub.engine.serve.AdapterNotLoadedException;
import dev.adapterhub.engine.serve.EngineClosedException;
import dev.adapterhub.engine.serve.InvalidRequestException;
import dev.adapterhub.engine.serve.QueueFullException;
import dev.adapterhub.gateway.error.ApiError;
import dev.adapterhub.gateway.error.ApiException;

import java.util.Optional;

/**
 * The engine's refusals of a request as the gateway's API errors. {@code ErrorMapping} asks here first, so the
 * engine's exceptions reach the HTTP layer as they are (no gateway copies of them) and still only this package
 * names them.
 */
public final class EngineErrors {

    private EngineErrors() {
    }

    /** The API error for an engine refusal, empty for anything else. */
    public static Optional<ApiException> toApi(Throwable t) {
        if (t instanceof QueueFullException) {
            return Optional.of(new ApiException(ApiError.OVERLOADED, "The request queue is full; retry later"));
        }
        if (t instanceof InvalidRequestException e) {
            return Optional.of(new ApiException(ApiError.INVALID_REQUEST, e.getMessage()));
        }
        if (t instanceof EngineClosedException || t instanceof AdapterNotLoadedException) {
            // the model (and with it its adapters) is being closed under a request that was routed to it
            return Optional.of(new ApiException(ApiError.OVERLOADED, "The model is being unloaded"));
        }
        return Optional.empty();
    }
}
