package dev.adapterhub.registry.client.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An adapter (not a version).
 *
 * @param latestVersion highest version number, null before the first upload
 * @param aliases       alias name to version number
 */
public record Adapter(String id, String name, String team, String method, String peftType, BaseModelRef baseModel,
                      String taskDescription, List<String> tags, Integer latestVersion, Map<String, Integer> aliases,
                      String createdBy, Instant createdAt) {
}
