package dev.adapterhub.registry.job.service;

import dev.adapterhub.registry.dataset.service.DatasetHold;
import dev.adapterhub.registry.job.repository.TrainingJobRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.UUID;

/** A training job that has not ended will read its dataset, so the dataset stays until the job ends. */
@ApplicationScoped
public class LiveJobsHoldDatasets implements DatasetHold {

    private final TrainingJobRepository jobs;

    public LiveJobsHoldDatasets(TrainingJobRepository jobs) {
        this.jobs = jobs;
    }

    @Override
    public Optional<String> reason(UUID datasetId) {
        long live = jobs.countLiveUsing(datasetId);
        return live == 0 ? Optional.empty()
                : Optional.of(live + " training job(s) that have not ended will read it; cancel them or wait");
    }
}
