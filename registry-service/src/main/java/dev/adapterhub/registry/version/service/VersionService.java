package dev.adapterhub.registry.version.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.formats.digest.VersionDigest;
import dev.adapterhub.formats.hf.LinearModules;
import dev.adapterhub.formats.peft.PeftConfig;
import dev.adapterhub.registry.adapter.service.AdapterRef;
import dev.adapterhub.registry.adapter.service.AdapterService;
import dev.adapterhub.registry.basemodel.service.BaseModelRef;
import dev.adapterhub.registry.basemodel.service.BaseModelService;
import dev.adapterhub.registry.common.PageDto;
import dev.adapterhub.registry.common.PageRequest;
import dev.adapterhub.registry.error.ConflictException;
import dev.adapterhub.registry.error.InvalidRequestException;
import dev.adapterhub.registry.error.Messages;
import dev.adapterhub.registry.error.ResourceNotFoundException;
import dev.adapterhub.registry.events.EventType;
import dev.adapterhub.registry.events.OutboxWriter;
import dev.adapterhub.registry.events.data.AdapterVersionDeprecated;
import dev.adapterhub.registry.events.data.AdapterVersionPublished;
import dev.adapterhub.registry.storage.FileDownload;
import dev.adapterhub.registry.storage.ObjectStorage;
import dev.adapterhub.registry.storage.StagedFile;
import dev.adapterhub.registry.storage.StagedUpload;
import dev.adapterhub.registry.storage.StagingArea;
import dev.adapterhub.registry.validation.AdapterArtifactValidator;
import dev.adapterhub.registry.version.dto.LineageDto;
import dev.adapterhub.registry.version.dto.VersionDto;
import dev.adapterhub.registry.version.entity.AdapterVersion;
import dev.adapterhub.registry.version.entity.AdapterVersionFile;
import dev.adapterhub.registry.version.entity.VersionStatus;
import dev.adapterhub.registry.version.repository.AdapterVersionFileRepository;
import dev.adapterhub.registry.version.repository.AdapterVersionRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Publishing, reading and deprecating adapter versions; other features look versions up here ({@link VersionRef}). */
@ApplicationScoped
public class VersionService {

    static final Pattern DATASET_DIGEST = Pattern.compile("[a-z0-9]{2,16}:[0-9a-f]{16,128}");

    private final AdapterService adapters;
    private final AdapterVersionRepository versions;
    private final AdapterVersionFileRepository files;
    private final AliasTargets aliases;
    private final BaseModelService baseModels;
    private final VersionResolver resolver;
    private final VersionMapper mapper;
    private final AdapterArtifactValidator validator;
    private final StagingArea staging;
    private final ObjectStorage storage;
    private final OutboxWriter outbox;
    private final ObjectMapper objectMapper;

    public VersionService(AdapterService adapters, AdapterVersionRepository versions,
                          AdapterVersionFileRepository files, AliasTargets aliases, BaseModelService baseModels,
                          VersionResolver resolver, VersionMapper mapper, AdapterArtifactValidator validator,
                          StagingArea staging, ObjectStorage storage, OutboxWriter outbox, ObjectMapper objectMapper) {
        this.adapters = adapters;
        this.versions = versions;
        this.files = files;
        this.aliases = aliases;
        this.baseModels = baseModels;
        this.resolver = resolver;
        this.mapper = mapper;
        this.validator = validator;
        this.staging = staging;
        this.storage = storage;
        this.outbox = outbox;
        this.objectMapper = objectMapper;
    }

    /** What the upload needs from the database before any byte is staged. */
    private record UploadContext(UUID adapterId, String adapterName, String method,
                                 dev.adapterhub.formats.peft.PeftType peftType, UUID baseModelId,
                                 LinearModules baseModules, UUID parentVersionId, UUID transferredFromId) {
    }

    /**
     * Publishes a new version: checks references, stages the files, validates them against the base model, then
     * commits blobs + version row + outbox event. Any failure leaves no row and no reachable blob.
     */
    public VersionDto upload(String adapterName, Map<String, Path> uploaded, UploadLineage lineage, String actor) {
        checkLineageFields(lineage);
        UploadContext context = QuarkusTransaction.requiringNew().call(() -> prepare(adapterName, lineage));

        StagedUpload upload = staging.stage(uploaded);
        PeftConfig peft;
        try {
            peft = validator.validate(uploaded, context.peftType(), context.method(), context.baseModules());
        } catch (RuntimeException e) {
            staging.discard(upload);
            throw e;
        }
        String digest = VersionDigest.of(upload.sha256ByName());
        String targetModules = targetModulesJson(peft);
        return staging.commit(upload, () -> publish(context, upload, peft, digest, targetModules, lineage, actor));
    }

    private UploadContext prepare(String adapterName, UploadLineage lineage) {
        AdapterRef adapter = adapters.require(adapterName);
        if (lineage.trainingJobId() != null) {
            // A job publishes exactly one version (ADR 0005); the unique index adapter_version_training_job_uk
            // enforces it against races, this check gives the ordinary case a clear answer.
            Optional<AdapterVersion> published = versions.findByTrainingJob(lineage.trainingJobId());
            if (published.isPresent()) {
                throw new ConflictException("Training job " + lineage.trainingJobId()
                        + " already published version " + published.get().id);
            }
        }
        BaseModelRef base = baseModels.byId(lineage.baseModelId() != null ? lineage.baseModelId()
                : adapter.baseModelId());
        if (base.retired()) {
            throw new ConflictException("Base model " + base.reference() + " is retired; it accepts no new versions");
        }
        UUID parentId = null;
        if (lineage.parentVersion() != null) {
            String ref = lineage.parentVersion().contains("@") || lineage.parentVersion().length() == 36
                    ? lineage.parentVersion() : adapter.name() + "@" + lineage.parentVersion();
            ResolvedVersion parent = resolver.resolve(ref);
            if (!parent.adapter().id().equals(adapter.id())) {
                throw new InvalidRequestException("parentVersion must be a version of adapter " + adapter.name()
                        + "; use transferredFromVersion for versions of other adapters");
            }
            parentId = parent.version().id;
        }
        UUID transferredFrom = lineage.transferredFromVersion() == null ? null
                : resolver.resolve(lineage.transferredFromVersion()).version().id;
        return new UploadContext(adapter.id(), adapter.name(), adapter.method().name(), adapter.method().peftType(),
                base.id(), baseModels.linearModuleShapes(base.id()), parentId, transferredFrom);
    }

    private VersionDto publish(UploadContext context, StagedUpload upload, PeftConfig peft, String digest,
                               String targetModules, UploadLineage lineage, String actor) {
        AdapterRef adapter = adapters.lock(context.adapterId());
        BaseModelRef base = baseModels.byId(context.baseModelId());
        if (base.retired()) {
            // retired while the files were being validated; the commit rolls back and removes the new blobs
            throw new ConflictException("Base model " + base.reference() + " is retired; it accepts no new versions");
        }
        AdapterVersion version = new AdapterVersion();
        version.id = UUID.randomUUID();
        version.adapterId = adapter.id();
        version.version = versions.maxVersion(adapter.id()) + 1;
        version.digest = digest;
        version.peftType = peft.peftType();
        version.rank = peft.r();
        version.targetModules = targetModules;
        version.status = VersionStatus.ACTIVE;
        version.baseModelId = base.id();
        version.parentVersionId = context.parentVersionId();
        version.transferredFromVersionId = context.transferredFromId();
        version.trainingJobId = lineage.trainingJobId();
        version.datasetDigest = lineage.datasetDigest();
        version.trainingExamples = lineage.trainingExamples();
        version.transferMethod = lineage.transferMethod();
        version.createdBy = actor;
        version.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        versions.persist(version);
        for (StagedFile staged : upload.files().values()) {
            AdapterVersionFile file = new AdapterVersionFile();
            file.id = UUID.randomUUID();
            file.versionId = version.id;
            file.fileName = staged.name();
            file.objectKey = staged.blobKey();
            file.sizeBytes = staged.size();
            file.sha256 = staged.sha256();
            files.persist(file);
        }
        Integer parentNumber = version.parentVersionId == null ? null
                : versions.findById(version.parentVersionId).version;
        outbox.append(EventType.ADAPTER_VERSION_PUBLISHED, adapter.id(), new AdapterVersionPublished(adapter.id(),
                adapter.name(), version.id, version.version, version.digest, adapter.method().name(),
                version.peftType.name(), base.id(), base.name(), base.revision(), parentNumber,
                version.transferredFromVersionId, version.trainingJobId));
        return mapper.toDto(adapter, version);
    }

    @Transactional
    public PageDto<VersionDto> list(String adapterName, PageRequest page) {
        AdapterRef adapter = adapters.require(adapterName);
        List<VersionDto> items = versions.page(adapter.id(), page.offset(), page.size()).stream()
                .map(v -> mapper.toDto(adapter, v)).toList();
        return new PageDto<>(items, page.page(), page.size(), versions.countByAdapter(adapter.id()));
    }

    @Transactional
    public VersionDto get(String ref) {
        ResolvedVersion resolved = resolver.resolve(ref);
        return mapper.toDto(resolved.adapter(), resolved.version());
    }

    @Transactional
    public LineageDto lineage(String ref) {
        return mapper.lineage(resolver.resolve(ref).version());
    }

    @Transactional
    public FileDownload file(String ref, String fileName) {
        ResolvedVersion resolved = resolver.resolve(ref);
        AdapterVersionFile file = files.findFile(resolved.version().id, fileName).orElseThrow(() ->
                new ResourceNotFoundException(resolved.reference() + " has no file " + Messages.abbreviate(fileName)));
        return new FileDownload(file.fileName, storage.bucket(), file.objectKey, file.sizeBytes, file.sha256);
    }

    /** Deprecates a version. Refused while an alias points at it, so serving never follows an alias to it. */
    @Transactional
    public VersionDto deprecate(String ref, String reason, String actor) {
        if (reason != null && reason.length() > 2000) {
            throw new InvalidRequestException("reason must be at most 2000 characters");
        }
        ResolvedVersion resolved = resolver.resolve(ref);
        AdapterRef adapter = adapters.lock(resolved.adapter().id());
        AdapterVersion version = versions.findById(resolved.version().id);
        if (version.status == VersionStatus.DEPRECATED) {
            throw new ConflictException(resolved.reference() + " is already deprecated");
        }
        List<String> pointing = aliases.aliasesOf(version.id);
        if (!pointing.isEmpty()) {
            throw new ConflictException(resolved.reference() + " is the target of alias(es) " + pointing
                    + "; move them first");
        }
        version.status = VersionStatus.DEPRECATED;
        version.deprecatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        version.deprecationReason = reason == null || reason.isBlank() ? null : reason;
        outbox.append(EventType.ADAPTER_VERSION_DEPRECATED, adapter.id(), new AdapterVersionDeprecated(adapter.id(),
                adapter.name(), version.id, version.version, version.digest, version.deprecationReason));
        return mapper.toDto(adapter, version);
    }

    /** The version a selector (number, alias or latest) names within one adapter. Runs in the caller's transaction. */
    public VersionRef resolve(AdapterRef adapter, String selector) {
        return VersionRef.of(resolver.resolve(adapter, selector));
    }

    /** The version a full reference ({@code name@selector} or a version id) names. Runs in the caller's transaction. */
    public VersionRef locate(String ref) {
        return VersionRef.of(resolver.resolve(ref).version());
    }

    /** Where the version's files are stored, in file name order. Runs in the caller's transaction. */
    public List<FileDownload> storedFiles(UUID versionId) {
        return files.findByVersion(versionId).stream()
                .map(f -> new FileDownload(f.fileName, storage.bucket(), f.objectKey, f.sizeBytes, f.sha256)).toList();
    }

    /** The version with this id, which must exist (callers hold a row referencing it). */
    public VersionRef byId(UUID id) {
        return VersionRef.of(versions.findById(id));
    }

    /** Highest version number of the adapter, 0 before its first version. */
    /** The version numbers of the versions with these ids (one query, however many). */
    public Map<UUID, Integer> numbers(Collection<UUID> ids) {
        return versions.numbers(ids);
    }

    public int latestNumber(UUID adapterId) {
        return versions.maxVersion(adapterId);
    }

    /** The version the training job published, if it did (a job publishes at most one). */
    public Optional<VersionRef> publishedBy(String trainingJobId) {
        return versions.findByTrainingJob(trainingJobId).map(VersionRef::of);
    }

    private static void checkLineageFields(UploadLineage lineage) {
        if (lineage.trainingJobId() != null && !isLowerCaseUuid(lineage.trainingJobId())) {
            throw new InvalidRequestException("trainingJobId must be a training job id (a UUID)");
        }
        if (lineage.datasetDigest() != null && !DATASET_DIGEST.matcher(lineage.datasetDigest()).matches()) {
            throw new InvalidRequestException("datasetDigest must look like <algorithm>:<hex>, e.g. sha256:<64 hex>");
        }
        if (lineage.trainingExamples() != null && lineage.trainingExamples() < 1) {
            throw new InvalidRequestException("trainingExamples must be at least 1");
        }
    }

    private static boolean isLowerCaseUuid(String value) {
        try {
            return UUID.fromString(value).toString().equals(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private String targetModulesJson(PeftConfig peft) {
        try {
            return objectMapper.writeValueAsString(peft.targetModules().toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
