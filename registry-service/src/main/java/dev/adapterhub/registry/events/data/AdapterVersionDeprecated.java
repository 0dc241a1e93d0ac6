package dev.adapterhub.registry.events.data;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.UUID;

/** Data of {@code dev.adapterhub.registry.adapter-version.deprecated}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdapterVersionDeprecated(UUID adapterId, String adapterName, UUID versionId, int version,
                                       String digest, String reason) {
}
