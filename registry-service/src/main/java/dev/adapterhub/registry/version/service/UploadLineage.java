package dev.adapterhub.registry.version.service;

/** Optional lineage fields of a version upload, as the client sent them (references not yet resolved). */
public record UploadLineage(String parentVersion, String trainingJobId, String datasetDigest,
                            String transferredFromVersion, Integer trainingExamples) {
}
