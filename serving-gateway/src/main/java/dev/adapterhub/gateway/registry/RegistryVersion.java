package dev.adapterhub.gateway.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/** The registry's adapter version, the fields the gateway reads. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RegistryVersion(String id, String adapterId, String adapterName, int version, String digest,
                              String status, String method, String peftType, List<RegistryFile> files,
                              Lineage lineage, List<String> aliases) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Lineage(BaseRef baseModel) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BaseRef(String id, String name, String revision) {
    }

    /** Total size of the version's files: what the adapter cache counts. */
    public long sizeBytes() {
        return files == null ? 0 : files.stream().mapToLong(RegistryFile::sizeBytes).sum();
    }

    public BaseRef base() {
        return lineage == null ? null : lineage.baseModel();
    }
}
