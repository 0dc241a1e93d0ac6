package dev.adapterhub.gateway.serving;

import dev.adapterhub.gateway.cache.AdapterIncompatibleException;
import dev.adapterhub.gateway.cache.AdapterLoadException;
import dev.adapterhub.gateway.cache.CacheFullException;
import dev.adapterhub.gateway.error.ApiError;
import dev.adapterhub.gateway.error.ApiException;
import dev.adapterhub.gateway.inference.EngineErrors;
import dev.adapterhub.registry.client.RegistryException;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** The one place where domain failures become API errors (status, type, code). */
public final class ErrorMapping {

    private static final Logger LOG = Logger.getLogger(ErrorMapping.class);

    private ErrorMapping() {
    }

    public static ApiException map(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ApiException a) {
            return a;
        }
        if (t instanceof AdapterIncompatibleException e) {
            return new ApiException(ApiError.ADAPTER_INCOMPATIBLE, e.getMessage(), "model");
        }
        if (t instanceof AdapterLoadException e) {
            LOG.warn("Adapter load failed", e);
            return new ApiException(ApiError.ADAPTER_LOAD_FAILED, e.getMessage());
        }
        if (t instanceof CacheFullException e) {
            return new ApiException(ApiError.CACHE_FULL, e.getMessage());
        }
        Optional<ApiException> engine = EngineErrors.toApi(t);
        if (engine.isPresent()) {
            return engine.get();
        }
        if (t instanceof TimeoutException) {
            return new ApiException(ApiError.TIMEOUT, "The request did not finish in time and was stopped");
        }
        if (t instanceof RegistryException e) {
            LOG.warn("Registry unavailable", e);
            return new ApiException(ApiError.REGISTRY_UNAVAILABLE, "The model registry is unavailable; retry later");
        }
        LOG.error("Unexpected failure", t);
        return new ApiException(ApiError.INTERNAL, "Internal error");
    }
}
