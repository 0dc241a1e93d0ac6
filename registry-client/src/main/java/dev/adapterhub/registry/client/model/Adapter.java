package dev.adapterhub.registry.client.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An adapter (not a version).
 *
 * @param latestVersion highest version number, null before the first upload
 * @param aliases       alias name to version number
 * @param visibility    PRIVATE (only its team sees it) or INTERNAL (every caller may read and serve it)
 */
public record Adapter(String id, String name, String team, String method, String peftType, BaseModelRef baseModel,
                      String taskDescription, List<String> tags, Integer latestVersion, Map<String, Integer> aliases,
                      String visibility, List<String> protectedAliases, String createdBy, Instant createdAt) {

    public boolean internal() {
        return "INTERNAL".equals(visibility);
    }
}
