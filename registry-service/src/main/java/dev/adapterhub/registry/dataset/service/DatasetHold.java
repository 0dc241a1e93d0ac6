package dev.adapterhub.registry.dataset.service;

import java.util.Optional;
import java.util.UUID;

/**
 * A higher feature's use of a dataset that stops its deletion (a training job that will read it, an adapter's
 * evaluation set). Datasets sit below those features, so they declare this and the features implement it.
 */
public interface DatasetHold {

    /** Why the dataset cannot be deleted now; empty when this feature does not hold it. */
    Optional<String> reason(UUID datasetId);
}
