package dev.adapterhub.registry.version.service;

import dev.adapterhub.registry.adapter.service.AdapterRef;
import dev.adapterhub.registry.version.entity.AdapterVersion;

/** A version together with its adapter. */
public record ResolvedVersion(AdapterRef adapter, AdapterVersion version) {

    /** {@code name@number}, the canonical reference of this version. */
    public String reference() {
        return adapter.name() + "@" + version.version;
    }
}
