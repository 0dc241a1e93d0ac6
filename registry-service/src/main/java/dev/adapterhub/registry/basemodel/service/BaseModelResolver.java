package dev.adapterhub.registry.basemodel.service;

import dev.adapterhub.registry.basemodel.entity.BaseModel;
import dev.adapterhub.registry.basemodel.repository.BaseModelRepository;
import dev.adapterhub.registry.error.InvalidRequestException;
import dev.adapterhub.registry.error.ResourceNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * Resolves a base model reference: a UUID, {@code name@revision}, or a bare {@code name} meaning its newest ACTIVE
 * revision. Used by every endpoint and body field that names a base model.
 */
@ApplicationScoped
public class BaseModelResolver {

    private final BaseModelRepository repository;

    public BaseModelResolver(BaseModelRepository repository) {
        this.repository = repository;
    }

    public BaseModel resolve(String ref) {
        if (ref == null || ref.isBlank()) {
            throw new InvalidRequestException("a base model reference is required");
        }
        UUID id = parseUuid(ref);
        if (id != null) {
            return repository.findByIdOptional(id)
                    .orElseThrow(() -> new ResourceNotFoundException("Base model " + ref + " does not exist"));
        }
        int at = ref.indexOf('@');
        if (at >= 0) {
            String name = ref.substring(0, at);
            String revision = ref.substring(at + 1);
            return repository.findByNameAndRevision(name, revision)
                    .orElseThrow(() -> new ResourceNotFoundException("Base model " + ref + " does not exist"));
        }
        return repository.findLatestActive(ref)
                .orElseThrow(() -> new ResourceNotFoundException("Base model " + ref + " has no active revision"));
    }

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
