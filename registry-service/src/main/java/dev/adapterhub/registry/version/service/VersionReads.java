package dev.adapterhub.registry.version.service;

import dev.adapterhub.registry.adapter.service.AdapterService;
import dev.adapterhub.registry.common.Names;
import dev.adapterhub.registry.error.Messages;
import dev.adapterhub.registry.error.ResourceNotFoundException;
import dev.adapterhub.registry.security.Access;
import dev.adapterhub.registry.security.Role;
import dev.adapterhub.registry.version.dto.VersionDto;
import dev.adapterhub.registry.version.repository.AdapterVersionRepository;
import dev.adapterhub.registry.version.repository.VersionView;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.UUID;

/**
 * The version read endpoints ({@code GET /resolve/{ref}}, {@code GET /adapters/{name}/versions/{selector}}): one
 * plain statement per call and no transaction (ADR 14), so an alias moved a moment ago is what the next read
 * resolves. A reference that matches nothing goes through {@link VersionService#get} once more, which says
 * precisely what is missing or malformed.
 */
@ApplicationScoped
public class VersionReads {

    private final AdapterVersionRepository versions;
    private final VersionService service;
    private final VersionMapper mapper;
    private final Access access;
    private final AdapterService adapters;

    public VersionReads(AdapterVersionRepository versions, VersionService service, VersionMapper mapper,
                        Access access, AdapterService adapters) {
        this.adapters = adapters;
        this.versions = versions;
        this.service = service;
        this.mapper = mapper;
        this.access = access;
    }

    /** The version {@code ref} names, if the caller may read its adapter; 404 as if absent when it may not. */
    public VersionDto get(String ref) {
        Optional<VersionView> found = find(ref);
        if (found.isEmpty() && ref != null && !ref.isBlank() && VersionResolver.parseUuid(ref) == null) {
            // Say what is missing, but only to a caller who may see the adapter.
            adapters.requireAccess(adapterName(ref), Role.READER, "read it");
            found = versions.findView(service.get(ref).id());
        } else if (found.isEmpty()) {
            service.get(ref);
        }
        VersionView view = found.orElseThrow(() -> notFound(ref));
        access.owned(view.team(), view.visibility(), Role.READER, "read it", () -> notFound(ref));
        return mapper.toDto(view);
    }

    private Optional<VersionView> find(String ref) {
        if (ref == null || ref.isBlank()) {
            return Optional.empty();
        }
        UUID id = VersionResolver.parseUuid(ref);
        if (id != null) {
            return versions.findView(id);
        }
        int at = ref.lastIndexOf('@');
        String name = adapterName(ref);
        String selector = at < 0 ? Names.LATEST : ref.substring(at + 1);
        if (!selector.isEmpty() && selector.length() < 10 && selector.chars().allMatch(Character::isDigit)) {
            return versions.findView(name, Integer.parseInt(selector));
        }
        if (Names.LATEST.equals(selector)) {
            return versions.findLatestActiveView(name);
        }
        return versions.findAliasView(name, selector);
    }

    /** The same answer a reference to nothing gets, so that a hidden adapter looks absent. */
    private static ResourceNotFoundException notFound(String ref) {
        if (VersionResolver.parseUuid(ref) != null) {
            return new ResourceNotFoundException("Adapter version " + ref + " does not exist");
        }
        return new ResourceNotFoundException("Adapter " + Messages.abbreviate(adapterName(ref)) + " does not exist");
    }

    private static String adapterName(String ref) {
        int at = ref.lastIndexOf('@');
        return at < 0 ? ref : ref.substring(0, at);
    }
}
