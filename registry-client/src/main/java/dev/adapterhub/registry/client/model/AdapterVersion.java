package dev.adapterhub.registry.client.model;

import java.time.Instant;
import java.util.List;

/**
 * An immutable adapter version.
 *
 * @param digest  {@code sha256:<hex>} of the version's files ({@code dev.adapterhub.formats.digest.VersionDigest})
 * @param aliases aliases currently pointing at this version
 */
public record AdapterVersion(String id, String adapterId, String adapterName, int version, String digest,
                             String status, String method, String peftType, int rank, List<StoredFile> files,
                             Lineage lineage, List<String> aliases, String createdBy, Instant createdAt) {

    /** Where a version came from. */
    public record Lineage(BaseModelRef baseModel, String trainingJobId, String datasetDigest,
                          VersionRef parentVersion, VersionRef transferredFrom, Integer trainingExamples,
                          String transferMethod) {
    }

    /** Points at another version. */
    public record VersionRef(String id, String adapterName, int version, String digest) {
    }

    /** The base model the version was validated against; null when the registry sent no lineage. */
    public BaseModelRef base() {
        return lineage == null ? null : lineage.baseModel();
    }

    /** Total size of the version's files. */
    public long sizeBytes() {
        return files == null ? 0 : files.stream().mapToLong(StoredFile::sizeBytes).sum();
    }
}
