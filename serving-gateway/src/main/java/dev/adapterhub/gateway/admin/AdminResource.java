package dev.adapterhub.gateway.admin;

import dev.adapterhub.gateway.cache.AdapterCache;
import dev.adapterhub.gateway.cache.CacheEntryView;
import dev.adapterhub.gateway.error.ApiError;
import dev.adapterhub.gateway.error.ApiException;
import dev.adapterhub.gateway.inference.EngineMemory;
import dev.adapterhub.gateway.resolve.ModelResolver;
import dev.adapterhub.gateway.resolve.ServedModel;
import dev.adapterhub.gateway.serving.AdapterManager;
import dev.adapterhub.gateway.serving.BaseModelEngines;
import dev.adapterhub.gateway.serving.ErrorMapping;
import dev.adapterhub.gateway.serving.InferenceService;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.function.Supplier;

/**
 * Adapter cache management, for the platform admin only (security.RestAuthentication). {@code {ref}} is anything {@code model} accepts
 * ({@code name}, {@code name@alias}, {@code name@3}); it is resolved to its digest at call time, so a pin holds
 * that exact version (pin the new version after moving an alias, and unpin the old one).
 */
@Path("/admin/v1")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class AdminResource {

    /** The cache as a whole. */
    public record CacheView(int maxAdapters, long maxBytes, int adapters, long bytes, long evictions,
                            List<CacheEntryView> entries, List<BaseModelView> baseModels) {
    }

    /**
     * One loaded base model: where its weights live and in which dtype; {@code tensors} and {@code tensorBytes} are
     * what its engine holds natively.
     */
    public record BaseModelView(String id, String ref, String device, String dtype, int queuedRequests,
                                int runningRequests, long tensors, long tensorBytes) {
    }

    /** Result of an admin action on one adapter. */
    public record AdapterAction(String model, String key, String adapter, int version, String digest, String result) {
    }

    private final AdapterManager adapters;
    private final BaseModelEngines engines;
    private final InferenceService service;
    private final ModelResolver resolver;

    public AdminResource(AdapterManager adapters, BaseModelEngines engines, InferenceService service,
                         ModelResolver resolver) {
        this.adapters = adapters;
        this.engines = engines;
        this.service = service;
        this.resolver = resolver;
    }

    @GET
    @Path("/cache")
    public CacheView cache() {
        AdapterCache c = adapters.cache();
        List<BaseModelView> bases = engines.all().stream()
                .map(l -> {
                    EngineMemory memory = l.engine().memory();
                    return new BaseModelView(l.base().id(), l.base().ref(), l.engine().device(), l.engine().dtype(),
                            l.engine().queuedRequests(), l.engine().runningRequests(), memory.tensors(),
                            memory.tensorBytes());
                })
                .toList();
        return new CacheView(c.maxEntries(), c.maxBytes(), c.size(), c.bytes(), c.evictions(), adapters.snapshot(),
                bases);
    }

    /** Downloads and loads the adapter now (the first request then pays nothing). */
    @POST
    @Path("/adapters/{ref}/preload")
    public AdapterAction preload(@PathParam("ref") String ref) {
        return mapped(() -> action(ref, service.preload(ref), "loaded"));
    }

    /** Preloads and pins: never evicted until unpinned. */
    @PUT
    @Path("/adapters/{ref}/pin")
    public AdapterAction pin(@PathParam("ref") String ref) {
        return mapped(() -> {
            ServedModel m = adapterOnly(service.preload(ref), ref);
            if (!adapters.pin(m.cacheKey(), true)) {
                throw new ApiException(ApiError.CACHE_FULL, "The adapter was evicted before it could be pinned; retry");
            }
            return action(ref, m, "pinned");
        });
    }

    @DELETE
    @Path("/adapters/{ref}/pin")
    public AdapterAction unpin(@PathParam("ref") String ref) {
        return mapped(() -> {
            ServedModel m = adapterOnly(resolver.resolve(ref), ref);
            if (!adapters.pin(m.cacheKey(), false)) {
                throw new ApiException(ApiError.NOT_FOUND, "'" + ref + "' is not loaded");
            }
            return action(ref, m, "unpinned");
        });
    }

    /** Evicts now (even when pinned); 409 while requests use it. */
    @POST
    @Path("/adapters/{ref}/evict")
    public AdapterAction evict(@PathParam("ref") String ref) {
        return mapped(() -> {
            ServedModel m = adapterOnly(resolver.resolve(ref), ref);
            return switch (adapters.evict(m.cacheKey())) {
                case EVICTED -> action(ref, m, "evicted");
                case NOT_LOADED -> throw new ApiException(ApiError.NOT_FOUND, "'" + ref + "' is not loaded");
                case IN_USE -> throw new ApiException(ApiError.ADAPTER_IN_USE, "'" + ref
                        + "' is serving requests; retry when they are done");
            };
        });
    }

    private static ServedModel adapterOnly(ServedModel m, String ref) {
        if (!m.isAdapter()) {
            throw new ApiException(ApiError.INVALID_PARAMETER, "'" + ref + "' is a base model, not an adapter", "ref");
        }
        return m;
    }

    private static AdapterAction action(String ref, ServedModel m, String result) {
        if (!m.isAdapter()) {
            return new AdapterAction(ref, null, null, 0, null, result);
        }
        return new AdapterAction(ref, m.cacheKey(), m.version().adapterName(), m.version().version(),
                m.version().digest(), result);
    }

    private static <T> T mapped(Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            throw ErrorMapping.map(e);
        }
    }
}
