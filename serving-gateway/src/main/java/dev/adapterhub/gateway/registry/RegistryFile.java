package dev.adapterhub.gateway.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A stored file of a version or base model; {@code sha256} is hex, absent for unread referenced files. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RegistryFile(String name, long sizeBytes, String sha256) {
}
