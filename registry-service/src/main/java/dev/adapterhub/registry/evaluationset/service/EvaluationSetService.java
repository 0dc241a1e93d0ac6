package dev.adapterhub.registry.evaluationset.service;

import dev.adapterhub.registry.adapter.service.AdapterRef;
import dev.adapterhub.registry.adapter.service.AdapterService;
import dev.adapterhub.registry.dataset.service.DatasetHold;
import dev.adapterhub.registry.dataset.service.DatasetRef;
import dev.adapterhub.registry.dataset.service.DatasetService;
import dev.adapterhub.registry.error.InvalidRequestException;
import dev.adapterhub.registry.error.ResourceNotFoundException;
import dev.adapterhub.registry.evaluationset.dto.EvaluationSetDto;
import dev.adapterhub.registry.evaluationset.dto.SetEvaluationSetRequest;
import dev.adapterhub.registry.evaluationset.entity.AdapterEvaluationSet;
import dev.adapterhub.registry.evaluationset.repository.AdapterEvaluationSetRepository;
import dev.adapterhub.registry.security.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Registered evaluation sets (issue 10): a team names one of its datasets as an adapter's evaluation set and
 * keeps it when training data must go. A transfer of the adapter is gated on it instead of on synthetic data.
 * The dataset stays while it is registered: deleting it is refused ({@link DatasetHold}).
 */
@ApplicationScoped
public class EvaluationSetService implements DatasetHold {

    private final AdapterEvaluationSetRepository repository;
    private final AdapterService adapters;
    private final DatasetService datasets;

    public EvaluationSetService(AdapterEvaluationSetRepository repository, AdapterService adapters,
                                DatasetService datasets) {
        this.repository = repository;
        this.adapters = adapters;
        this.datasets = datasets;
    }

    @Transactional
    public EvaluationSetDto set(String adapterName, SetEvaluationSetRequest request, String actor) {
        if (request == null || request.dataset() == null || request.dataset().isBlank()) {
            throw new InvalidRequestException("dataset (sha256:<hex> digest or id of an uploaded dataset) is required");
        }
        AdapterRef adapter = adapters.lock(adapters.requireAccess(adapterName, Role.WRITER,
                "register its evaluation set").id());
        DatasetRef dataset = datasets.requireStoredFor(request.dataset().strip(), adapter.team());
        AdapterEvaluationSet row = repository.findByIdOptional(adapter.id()).orElseGet(() -> {
            AdapterEvaluationSet created = new AdapterEvaluationSet();
            created.adapterId = adapter.id();
            return created;
        });
        row.datasetId = dataset.id();
        row.setBy = actor;
        row.setAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        repository.persist(row);
        return toDto(adapter, row);
    }

    @Transactional
    public EvaluationSetDto get(String adapterName) {
        AdapterRef adapter = adapters.requireAccess(adapterName, Role.READER, "read it");
        return repository.findByIdOptional(adapter.id()).map(row -> toDto(adapter, row))
                .orElseThrow(() -> none(adapterName));
    }

    @Transactional
    public void remove(String adapterName) {
        AdapterRef adapter = adapters.lock(adapters.requireAccess(adapterName, Role.WRITER,
                "remove its evaluation set").id());
        if (!repository.deleteById(adapter.id())) {
            throw none(adapterName);
        }
    }

    /** The adapter's evaluation set, if it has one. Runs in the caller's transaction. */
    public Optional<DatasetRef> of(UUID adapterId) {
        return repository.findByIdOptional(adapterId).map(row -> datasets.byId(row.datasetId));
    }

    @Override
    public Optional<String> reason(UUID datasetId) {
        List<String> names = repository.findByDataset(datasetId).stream()
                .map(row -> adapters.byId(row.adapterId).name()).sorted().toList();
        return names.isEmpty() ? Optional.empty()
                : Optional.of("it is the evaluation set of " + String.join(", ", names)
                        + "; remove it there first (DELETE /api/v1/adapters/{name}/evaluation-set)");
    }

    private EvaluationSetDto toDto(AdapterRef adapter, AdapterEvaluationSet row) {
        return new EvaluationSetDto(adapter.name(), datasets.describe(row.datasetId), row.setBy, row.setAt);
    }

    private static ResourceNotFoundException none(String adapterName) {
        return new ResourceNotFoundException("Adapter " + adapterName + " has no evaluation set; register one with "
                + "PUT /api/v1/adapters/" + adapterName + "/evaluation-set");
    }
}
