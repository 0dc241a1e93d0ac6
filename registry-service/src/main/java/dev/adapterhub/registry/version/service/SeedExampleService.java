package dev.adapterhub.registry.version.service;

import dev.adapterhub.registry.adapter.service.AdapterService;
import dev.adapterhub.registry.config.RegistryConfig;
import dev.adapterhub.registry.error.ConflictException;
import dev.adapterhub.registry.error.InvalidRequestException;
import dev.adapterhub.registry.version.dto.SeedExampleDto;
import dev.adapterhub.registry.version.dto.SeedExampleInput;
import dev.adapterhub.registry.version.entity.SeedExample;
import dev.adapterhub.registry.version.repository.SeedExampleRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** The handful of seed examples kept with a version (Trans-LoRA needs them once the data set is gone). */
@ApplicationScoped
public class SeedExampleService {

    private final VersionResolver resolver;
    private final SeedExampleRepository seeds;
    private final AdapterService adapters;
    private final RegistryConfig config;

    public SeedExampleService(VersionResolver resolver, SeedExampleRepository seeds, AdapterService adapters,
                              RegistryConfig config) {
        this.resolver = resolver;
        this.seeds = seeds;
        this.adapters = adapters;
        this.config = config;
    }

    /** Appends examples; the total per version is bounded. */
    @Transactional
    public List<SeedExampleDto> add(String ref, List<SeedExampleInput> inputs) {
        int max = config.limits().maxSeedExamples();
        int maxChars = config.limits().maxSeedExampleChars();
        if (inputs == null || inputs.isEmpty()) {
            throw new InvalidRequestException("send a non-empty JSON array of seed examples");
        }
        for (int i = 0; i < inputs.size(); i++) {
            SeedExampleInput input = inputs.get(i);
            String where = "seedExamples[" + i + "]";
            if (input == null || blank(input.prompt()) || blank(input.completion())) {
                throw new InvalidRequestException(where + " needs a non-empty prompt and completion");
            }
            if (input.prompt().length() > maxChars || input.completion().length() > maxChars) {
                throw new InvalidRequestException(where + ": prompt and completion must be at most "
                        + maxChars + " characters each");
            }
        }
        ResolvedVersion resolved = resolver.resolve(ref);
        // Lock the adapter so concurrent appends cannot both pass the bound.
        adapters.lock(resolved.adapter().id());
        UUID versionId = resolved.version().id;
        long existing = seeds.countByVersion(versionId);
        if (existing + inputs.size() > max) {
            throw new ConflictException(resolved.reference() + " already has " + existing
                    + " seed examples; at most " + max + " are kept per version");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        int position = (int) existing;
        for (SeedExampleInput input : inputs) {
            SeedExample seed = new SeedExample();
            seed.id = UUID.randomUUID();
            seed.versionId = versionId;
            seed.position = position++;
            seed.prompt = input.prompt();
            seed.completion = input.completion();
            seed.createdAt = now;
            seeds.persist(seed);
        }
        return list(versionId);
    }

    /** How many seed examples the version keeps. Runs in the caller's transaction. */
    public int count(UUID versionId) {
        return (int) seeds.countByVersion(versionId);
    }

    @Transactional
    public List<SeedExampleDto> list(String ref) {
        return list(resolver.resolve(ref).version().id);
    }

    private List<SeedExampleDto> list(UUID versionId) {
        return seeds.findByVersion(versionId).stream()
                .map(s -> new SeedExampleDto(s.position, s.prompt, s.completion)).toList();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
