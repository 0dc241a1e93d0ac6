package dev.adapterhub.gateway.resolve;

import dev.adapterhub.registry.client.model.AdapterVersion;
import dev.adapterhub.registry.client.model.BaseModel;

/**
 * What a request's {@code model} names: a base model alone, or an adapter version on its base model.
 *
 * @param base     the base model that runs the request
 * @param version  the adapter version, null for the base model alone
 * @param team     the adapter's team, who may use it (null for the base model alone)
 * @param internal whether every caller may use the adapter, not only its team
 */
public record ServedModel(BaseModel base, AdapterVersion version, String team, boolean internal) {

    /** The base model alone. */
    public ServedModel(BaseModel base) {
        this(base, null, null, true);
    }

    public boolean isAdapter() {
        return version != null;
    }

    /** The adapter cache key: {@code <base id>/<digest>} (immutable content). */
    public String cacheKey() {
        return base.id() + "/" + version.digest();
    }

    /** Human label, e.g. {@code support-bot@3} or {@code tiny@r1}. */
    public String label() {
        return version == null ? base.ref() : version.adapterName() + "@" + version.version();
    }

    /** Metrics label: the adapter's name, or {@code base} for the base model alone. */
    public String adapterName() {
        return version == null ? "base" : version.adapterName();
    }
}
