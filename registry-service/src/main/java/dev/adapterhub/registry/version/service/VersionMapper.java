package dev.adapterhub.registry.version.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.registry.adapter.dto.BaseModelRefDto;
import dev.adapterhub.registry.adapter.entity.Adapter;
import dev.adapterhub.registry.adapter.repository.AdapterRepository;
import dev.adapterhub.registry.alias.repository.AliasRepository;
import dev.adapterhub.registry.basemodel.entity.BaseModel;
import dev.adapterhub.registry.basemodel.repository.BaseModelRepository;
import dev.adapterhub.registry.version.dto.LineageDto;
import dev.adapterhub.registry.version.dto.VersionDto;
import dev.adapterhub.registry.version.dto.VersionFileDto;
import dev.adapterhub.registry.version.dto.VersionRefDto;
import dev.adapterhub.registry.version.entity.AdapterVersion;
import dev.adapterhub.registry.version.repository.AdapterVersionFileRepository;
import dev.adapterhub.registry.version.repository.AdapterVersionRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/** Entity to DTO for versions; runs inside the caller's transaction. */
@ApplicationScoped
public class VersionMapper {

    private final AdapterRepository adapters;
    private final AdapterVersionRepository versions;
    private final AdapterVersionFileRepository files;
    private final AliasRepository aliases;
    private final BaseModelRepository baseModels;
    private final ObjectMapper objectMapper;

    public VersionMapper(AdapterRepository adapters, AdapterVersionRepository versions,
                         AdapterVersionFileRepository files, AliasRepository aliases,
                         BaseModelRepository baseModels, ObjectMapper objectMapper) {
        this.adapters = adapters;
        this.versions = versions;
        this.files = files;
        this.aliases = aliases;
        this.baseModels = baseModels;
        this.objectMapper = objectMapper;
    }

    public VersionDto toDto(Adapter adapter, AdapterVersion version) {
        String base = "/api/v1/adapters/" + adapter.name + "/versions/" + version.version + "/files/";
        List<VersionFileDto> fileDtos = files.findByVersion(version.id).stream()
                .map(f -> new VersionFileDto(f.fileName, f.sizeBytes, f.sha256, base + f.fileName))
                .toList();
        List<String> aliasNames = aliases.findByVersion(version.id).stream().map(a -> a.name).toList();
        return new VersionDto(version.id, adapter.id, adapter.name, version.version, version.digest, version.status,
                adapter.method, version.peftType, version.rank, targetModules(version), fileDtos, lineage(version),
                aliasNames, version.createdBy, version.createdAt, version.deprecatedAt, version.deprecationReason);
    }

    public LineageDto lineage(AdapterVersion version) {
        BaseModel base = baseModels.findById(version.baseModelId);
        return new LineageDto(new BaseModelRefDto(base.id, base.name, base.revision), version.trainingJobId,
                version.datasetDigest, ref(version.parentVersionId), ref(version.transferredFromVersionId));
    }

    private VersionRefDto ref(UUID versionId) {
        if (versionId == null) {
            return null;
        }
        AdapterVersion version = versions.findById(versionId);
        Adapter adapter = adapters.findById(version.adapterId);
        return new VersionRefDto(version.id, adapter.name, version.version, version.digest);
    }

    private JsonNode targetModules(AdapterVersion version) {
        try {
            return objectMapper.readTree(version.targetModules);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored target_modules are not JSON", e);
        }
    }
}
