package dev.adapterhub.registry.version.service;

import java.util.UUID;

/**
 * Optional lineage fields of a version upload, as the client sent them (references not yet resolved).
 *
 * @param baseModelId    the base the files are validated against and served on; null = the adapter's base (only
 *                       a transfer job publishes onto another base)
 * @param transferMethod how a transfer made the version (COPY, TRANS_LORA, TRANS_LORA_UNFILTERED); null otherwise
 */
public record UploadLineage(String parentVersion, String trainingJobId, String datasetDigest,
                            String transferredFromVersion, Integer trainingExamples, UUID baseModelId,
                            String transferMethod) {

    /** What a client may send: no base override and no transfer method. */
    public static UploadLineage ofClient(String parentVersion, String trainingJobId, String datasetDigest,
                                         String transferredFromVersion, Integer trainingExamples) {
        return new UploadLineage(parentVersion, trainingJobId, datasetDigest, transferredFromVersion,
                trainingExamples, null, null);
    }
}
