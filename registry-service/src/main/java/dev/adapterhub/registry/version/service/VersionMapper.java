package dev.adapterhub.registry.version.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.registry.adapter.dto.BaseModelRefDto;
import dev.adapterhub.registry.adapter.service.AdapterRef;
import dev.adapterhub.registry.adapter.service.AdapterService;
import dev.adapterhub.registry.basemodel.service.BaseModelRef;
import dev.adapterhub.registry.basemodel.service.BaseModelService;
import dev.adapterhub.registry.version.dto.LineageDto;
import dev.adapterhub.registry.version.dto.VersionDto;
import dev.adapterhub.registry.version.dto.VersionFileDto;
import dev.adapterhub.registry.version.dto.VersionRefDto;
import dev.adapterhub.registry.version.entity.AdapterVersion;
import dev.adapterhub.registry.version.repository.AdapterVersionFileRepository;
import dev.adapterhub.registry.version.repository.AdapterVersionRepository;
import dev.adapterhub.registry.version.repository.VersionView;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/** Entity to DTO for versions; runs inside the caller's transaction. */
@ApplicationScoped
public class VersionMapper {

    private final AdapterService adapters;
    private final AdapterVersionRepository versions;
    private final AdapterVersionFileRepository files;
    private final AliasTargets aliases;
    private final BaseModelService baseModels;
    private final ObjectMapper objectMapper;

    public VersionMapper(AdapterService adapters, AdapterVersionRepository versions,
                         AdapterVersionFileRepository files, AliasTargets aliases,
                         BaseModelService baseModels, ObjectMapper objectMapper) {
        this.adapters = adapters;
        this.versions = versions;
        this.files = files;
        this.aliases = aliases;
        this.baseModels = baseModels;
        this.objectMapper = objectMapper;
    }

    public VersionDto toDto(AdapterRef adapter, AdapterVersion version) {
        String base = "/api/v1/adapters/" + adapter.name() + "/versions/" + version.version + "/files/";
        List<VersionFileDto> fileDtos = files.findByVersion(version.id).stream()
                .map(f -> new VersionFileDto(f.fileName, f.sizeBytes, f.sha256, base + f.fileName))
                .toList();
        List<String> aliasNames = aliases.aliasesOf(version.id);
        return new VersionDto(version.id, adapter.id(), adapter.name(), version.version, version.digest,
                version.status, adapter.method(), version.peftType, version.rank, targetModules(version), fileDtos,
                lineage(version), aliasNames, version.createdBy, version.createdAt, version.deprecatedAt,
                version.deprecationReason);
    }

    /** The same document from the one-statement read (ADR 14). */
    public VersionDto toDto(VersionView view) {
        String base = "/api/v1/adapters/" + view.adapterName() + "/versions/" + view.version() + "/files/";
        List<VersionFileDto> fileDtos = view.files().stream()
                .map(f -> new VersionFileDto(f.name(), f.sizeBytes(), f.sha256(), base + f.name()))
                .toList();
        LineageDto lineage = new LineageDto(
                new BaseModelRefDto(view.baseModelId(), view.baseModelName(), view.baseModelRevision()),
                view.trainingJobId(), view.datasetDigest(), ref(view.parent()), ref(view.transferredFrom()),
                view.trainingExamples(), view.transferMethod());
        return new VersionDto(view.id(), view.adapterId(), view.adapterName(), view.version(), view.digest(),
                view.status(), view.method(), view.peftType(), view.rank(), json(view.targetModules()), fileDtos,
                lineage, view.aliases(), view.createdBy(), view.createdAt(), view.deprecatedAt(),
                view.deprecationReason());
    }

    public LineageDto lineage(AdapterVersion version) {
        BaseModelRef base = baseModels.byId(version.baseModelId);
        return new LineageDto(new BaseModelRefDto(base.id(), base.name(), base.revision()), version.trainingJobId,
                version.datasetDigest, ref(version.parentVersionId), ref(version.transferredFromVersionId),
                version.trainingExamples, version.transferMethod);
    }

    private VersionRefDto ref(UUID versionId) {
        if (versionId == null) {
            return null;
        }
        AdapterVersion version = versions.findById(versionId);
        return new VersionRefDto(version.id, adapters.byId(version.adapterId).name(), version.version,
                version.digest);
    }

    private static VersionRefDto ref(VersionView.Related related) {
        return related == null ? null
                : new VersionRefDto(related.id(), related.adapterName(), related.version(), related.digest());
    }

    private JsonNode targetModules(AdapterVersion version) {
        return json(version.targetModules);
    }

    private JsonNode json(String targetModules) {
        try {
            return objectMapper.readTree(targetModules);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored target_modules are not JSON", e);
        }
    }
}
