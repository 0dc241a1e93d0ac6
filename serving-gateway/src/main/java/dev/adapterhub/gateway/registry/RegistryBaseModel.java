package dev.adapterhub.gateway.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;
import java.util.List;

/** The registry's base model, the fields the gateway reads. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RegistryBaseModel(String id, String name, String revision, String status, Instant registeredAt,
                                List<RegistryFile> files) {

    /** {@code name@revision}, the id the gateway lists and accepts. */
    public String ref() {
        return name + "@" + revision;
    }
}
