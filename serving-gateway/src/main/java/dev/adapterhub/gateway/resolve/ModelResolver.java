package dev.adapterhub.gateway.resolve;

import dev.adapterhub.gateway.config.GatewayConfig;
import dev.adapterhub.gateway.error.ApiError;
import dev.adapterhub.gateway.error.ApiException;
import dev.adapterhub.registry.client.RegistryClient;
import dev.adapterhub.registry.client.RegistryRejectedException;
import dev.adapterhub.registry.client.model.Adapter;
import dev.adapterhub.registry.client.model.AdapterVersion;
import dev.adapterhub.registry.client.model.BaseModel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Resolves a request's {@code model} to a base model and, for adapters, an immutable version (digest).
 *
 * <p>Rules, in order: (1) a base model reference ({@code name} = newest ACTIVE revision, {@code name@revision} or
 * id) names the base model alone; (2) {@code name@selector} is the adapter version the registry resolves
 * (number, alias or {@code latest}); (3) a bare adapter {@code name} is {@code name@<default alias>} when that
 * alias exists, else the highest non-deprecated version. Base models win over adapters of the same name, so an
 * adapter can never shadow the base model a client asked for.
 *
 * <p>Results are reused for {@code resolve-ttl} at most; registry events drop them earlier.
 */
@ApplicationScoped
public class ModelResolver {

    private record Cached(ServedModel model, Instant expires) {
    }

    private final RegistryClient registry;
    private final Duration ttl;
    private final String defaultAlias;
    private final Optional<List<String>> servedBaseRefs;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** Bumped by every invalidation, so a lookup that raced one is not cached (it may predate the change). */
    private final AtomicLong invalidations = new AtomicLong();
    private volatile Set<String> servedBaseIds;
    private volatile Instant servedBaseIdsExpire = Instant.MIN;

    @Inject
    public ModelResolver(RegistryClient registry, GatewayConfig config) {
        this(registry, config.resolveTtl(), config.defaultAlias(), config.servedBaseModels(), Clock.systemUTC());
    }

    public ModelResolver(RegistryClient registry, Duration ttl, String defaultAlias,
                         Optional<List<String>> servedBaseRefs, Clock clock) {
        this.registry = registry;
        this.ttl = ttl;
        this.defaultAlias = defaultAlias;
        this.servedBaseRefs = servedBaseRefs.filter(l -> !l.isEmpty());
        this.clock = clock;
    }

    /**
     * @throws ApiException 404 model_not_found, 422 base_model_not_served
     */
    public ServedModel resolve(String model) {
        Instant now = clock.instant();
        Cached c = cache.get(model);
        if (c != null && now.isBefore(c.expires())) {
            return c.model();
        }
        long seen = invalidations.get();
        ServedModel resolved = lookup(model);
        if (!ttl.isZero() && invalidations.get() == seen) {
            cache.put(model, new Cached(resolved, now.plus(ttl)));
        }
        return resolved;
    }

    private ServedModel lookup(String model) {
        Optional<BaseModel> base = findBaseModel(model);
        if (base.isPresent()) {
            requireServed(base.get(), model);
            return new ServedModel(base.get());
        }
        Optional<AdapterVersion> version = Optional.empty();
        if (!model.contains("@")) {
            version = resolveVersion(model + "@" + defaultAlias);
        }
        if (version.isEmpty()) {
            version = resolveVersion(model);
        }
        if (version.isEmpty()) {
            throw new ApiException(ApiError.MODEL_NOT_FOUND, "The model '" + model + "' does not exist: name a base "
                    + "model or an adapter as name, name@alias or name@version (see GET /v1/models)", "model");
        }
        AdapterVersion v = version.get();
        if (v.base() == null || v.digest() == null) {
            throw new ApiException(ApiError.ADAPTER_INCOMPATIBLE, "The registry gives no base model for '" + model
                    + "'", "model");
        }
        BaseModel vb = findBaseModel(v.base().id()).orElseThrow(() -> new ApiException(
                ApiError.BASE_MODEL_NOT_SERVED, "The base model of '" + model + "' is no longer registered", "model"));
        requireServed(vb, model);
        Adapter adapter = registry.findAdapter(v.adapterName()).orElseThrow(() -> new ApiException(
                ApiError.MODEL_NOT_FOUND, "The model '" + model + "' does not exist", "model"));
        return new ServedModel(vb, v, adapter.team(), adapter.internal());
    }

    private void requireServed(BaseModel base, String model) {
        if (servedBaseRefs.isEmpty()) {
            return;
        }
        if (!servedBaseIds().contains(base.id())) {
            throw new ApiException(ApiError.BASE_MODEL_NOT_SERVED, "'" + model + "' runs on base model "
                    + base.ref() + ", which this gateway does not serve (serves: "
                    + String.join(", ", servedBaseRefs.get()) + ")", "model");
        }
    }

    /** Ids of the configured served base models (refs resolved again after the TTL: a bare name moves). */
    public Set<String> servedBaseIds() {
        if (servedBaseRefs.isEmpty()) {
            return null;
        }
        Instant now = clock.instant();
        if (servedBaseIds == null || !now.isBefore(servedBaseIdsExpire)) {
            servedBaseIds = servedBaseRefs.get().stream()
                    .map(this::findBaseModel)
                    .flatMap(Optional::stream)
                    .map(BaseModel::id)
                    .collect(Collectors.toUnmodifiableSet());
            servedBaseIdsExpire = now.plus(ttl);
        }
        return servedBaseIds;
    }

    private Optional<BaseModel> findBaseModel(String ref) {
        try {
            return registry.findBaseModel(ref);
        } catch (RegistryRejectedException e) {
            return noMatchWhenMalformed(e);
        }
    }

    private Optional<AdapterVersion> resolveVersion(String ref) {
        try {
            return registry.resolve(ref);
        } catch (RegistryRejectedException e) {
            return noMatchWhenMalformed(e);
        }
    }

    private static <T> Optional<T> noMatchWhenMalformed(RegistryRejectedException e) {
        if (e.status() == 400) {
            // the registry refuses malformed references (bad characters): nothing can match them
            return Optional.empty();
        }
        throw e;
    }

    /** Drops every cached resolution that names the adapter (any selector). */
    public void invalidateAdapter(String adapterName) {
        invalidations.incrementAndGet();
        cache.keySet().removeIf(k -> k.equals(adapterName) || k.startsWith(adapterName + "@"));
    }

    /** Drops base model resolutions and whatever runs on them (supersede and retire change what names mean). */
    public void invalidateAll() {
        invalidations.incrementAndGet();
        cache.clear();
        servedBaseIdsExpire = Instant.MIN;
    }
}
