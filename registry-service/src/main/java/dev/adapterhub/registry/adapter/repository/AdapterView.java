package dev.adapterhub.registry.adapter.repository;

import dev.adapterhub.registry.adapter.dto.AdapterMethod;
import dev.adapterhub.registry.security.Visibility;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An adapter as its read endpoints show it, read with one statement (ADR 14): its row, its base model's name and
 * revision, tags and protected aliases in name order, its newest version number (0 before the first) and its
 * aliases with the version numbers they point at.
 */
public record AdapterView(UUID id, String name, String team, AdapterMethod method, String taskDescription,
                          Visibility visibility, String createdBy, Instant createdAt, UUID baseModelId,
                          String baseModelName, String baseModelRevision, List<String> tags,
                          List<String> protectedAliases, int latestVersion, Map<String, Integer> aliases) {
}
