package dev.adapterhub.registry.events.data;

import java.util.List;
import java.util.UUID;

/** Data of {@code dev.adapterhub.registry.adapter.created}. */
public record AdapterCreated(UUID adapterId, String name, String team, String method, UUID baseModelId,
                             String baseModelName, String baseModelRevision, List<String> tags) {
}
