package dev.adapterhub.registry.version.service;

import dev.adapterhub.registry.adapter.service.AdapterRef;
import dev.adapterhub.registry.adapter.service.AdapterService;
import dev.adapterhub.registry.common.Names;
import dev.adapterhub.registry.error.InvalidRequestException;
import dev.adapterhub.registry.error.Messages;
import dev.adapterhub.registry.error.ResourceNotFoundException;
import dev.adapterhub.registry.version.entity.AdapterVersion;
import dev.adapterhub.registry.version.repository.AdapterVersionRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * The one place that turns a version reference into a version. Every endpoint and body field naming an adapter
 * version goes through here. Accepted forms:
 * <ul>
 *   <li>{@code <uuid>}: the version id</li>
 *   <li>{@code name@<n>}: version number n of adapter {@code name}</li>
 *   <li>{@code name@<alias>}: the version an alias (production, staging, ...) points at</li>
 *   <li>{@code name@latest} or bare {@code name}: the highest non-deprecated version</li>
 * </ul>
 */
@ApplicationScoped
public class VersionResolver {

    private final AdapterService adapters;
    private final AdapterVersionRepository versions;
    private final AliasTargets aliases;

    public VersionResolver(AdapterService adapters, AdapterVersionRepository versions, AliasTargets aliases) {
        this.adapters = adapters;
        this.versions = versions;
        this.aliases = aliases;
    }

    public ResolvedVersion resolve(String ref) {
        if (ref == null || ref.isBlank()) {
            throw new InvalidRequestException("a version reference is required");
        }
        UUID id = parseUuid(ref);
        if (id != null) {
            AdapterVersion version = versions.findByIdOptional(id)
                    .orElseThrow(() -> new ResourceNotFoundException("Adapter version " + ref + " does not exist"));
            return new ResolvedVersion(adapters.byId(version.adapterId), version);
        }
        int at = ref.lastIndexOf('@');
        String name = at < 0 ? ref : ref.substring(0, at);
        String selector = at < 0 ? Names.LATEST : ref.substring(at + 1);
        AdapterRef adapter = adapters.require(name);
        return new ResolvedVersion(adapter, resolve(adapter, selector));
    }

    /** Resolves a selector (number, alias or "latest") within one adapter. */
    public AdapterVersion resolve(AdapterRef adapter, String selector) {
        if (selector == null || selector.isBlank()) {
            throw new InvalidRequestException("a version number or alias is required");
        }
        if (selector.chars().allMatch(Character::isDigit)) {
            int number = parseNumber(selector);
            return versions.findByNumber(adapter.id(), number).orElseThrow(() -> new ResourceNotFoundException(
                    "Adapter " + adapter.name() + " has no version " + number));
        }
        if (Names.LATEST.equals(selector)) {
            return versions.findLatestActive(adapter.id()).orElseThrow(() -> new ResourceNotFoundException(
                    "Adapter " + adapter.name() + " has no active version"));
        }
        UUID aliasTarget = aliases.versionOf(adapter.id(), selector).orElseThrow(() -> new ResourceNotFoundException(
                "Adapter " + adapter.name() + " has no version or alias '" + Messages.abbreviate(selector) + "'"));
        return versions.findById(aliasTarget);
    }

    private static int parseNumber(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("version number " + Messages.abbreviate(digits) + " is out of range");
        }
    }

    /** {@code value} as a version id, or null when it is not one (a name or {@code name@selector}). */
    static UUID parseUuid(String value) {
        if (value.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
