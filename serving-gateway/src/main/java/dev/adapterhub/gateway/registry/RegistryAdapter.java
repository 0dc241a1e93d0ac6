package dev.adapterhub.gateway.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;
import java.util.Map;

/** The registry's adapter (not a version), the fields the gateway reads. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RegistryAdapter(String id, String name, String team, String method,
                              RegistryVersion.BaseRef baseModel, Integer latestVersion, Map<String, Integer> aliases,
                              Instant createdAt) {
}
