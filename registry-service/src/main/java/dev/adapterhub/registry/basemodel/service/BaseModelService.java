package dev.adapterhub.registry.basemodel.service;

import dev.adapterhub.formats.hf.LinearModules;
import dev.adapterhub.formats.hf.LlamaConfig;
import dev.adapterhub.registry.basemodel.dto.BaseModelDto;
import dev.adapterhub.registry.basemodel.dto.FileDto;
import dev.adapterhub.registry.basemodel.dto.LinearModuleDto;
import dev.adapterhub.registry.basemodel.dto.RegisterByUriRequest;
import dev.adapterhub.registry.basemodel.entity.BaseModel;
import dev.adapterhub.registry.basemodel.entity.BaseModelFile;
import dev.adapterhub.registry.basemodel.entity.BaseModelStatus;
import dev.adapterhub.registry.basemodel.entity.StorageMode;
import dev.adapterhub.registry.basemodel.repository.BaseModelFileRepository;
import dev.adapterhub.registry.basemodel.repository.BaseModelRepository;
import dev.adapterhub.registry.common.Names;
import dev.adapterhub.registry.common.PageDto;
import dev.adapterhub.registry.common.PageRequest;
import dev.adapterhub.registry.config.RegistryConfig;
import dev.adapterhub.registry.error.AlreadyExistsException;
import dev.adapterhub.registry.error.ArtifactValidationException;
import dev.adapterhub.registry.error.ConflictException;
import dev.adapterhub.registry.error.ForbiddenException;
import dev.adapterhub.registry.error.InvalidRequestException;
import dev.adapterhub.registry.error.Messages;
import dev.adapterhub.registry.error.ResourceNotFoundException;
import dev.adapterhub.registry.events.EventType;
import dev.adapterhub.registry.events.OutboxWriter;
import dev.adapterhub.registry.events.data.BaseModelRegistered;
import dev.adapterhub.registry.events.data.BaseModelRetired;
import dev.adapterhub.registry.events.data.BaseModelSuperseded;
import dev.adapterhub.registry.storage.FileDownload;
import dev.adapterhub.registry.storage.ObjectStorage;
import dev.adapterhub.registry.storage.ObjectSummary;
import dev.adapterhub.registry.storage.StagedFile;
import dev.adapterhub.registry.storage.StagedUpload;
import dev.adapterhub.registry.storage.StagingArea;
import dev.adapterhub.registry.validation.CheckpointInspector;
import dev.adapterhub.registry.validation.InspectedCheckpoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Registering, reading and retiring base model revisions; other features look them up here ({@link BaseModelRef}). */
@ApplicationScoped
public class BaseModelService {

    private final BaseModelRepository repository;
    private final BaseModelFileRepository files;
    private final BaseModelResolver resolver;
    private final CheckpointInspector inspector;
    private final StagingArea staging;
    private final ObjectStorage storage;
    private final OutboxWriter outbox;
    private final LinearModulesJson modulesJson;
    private final List<String> registrationPrefixes;

    public BaseModelService(BaseModelRepository repository, BaseModelFileRepository files,
                            BaseModelResolver resolver, CheckpointInspector inspector, StagingArea staging,
                            ObjectStorage storage, OutboxWriter outbox, LinearModulesJson modulesJson,
                            RegistryConfig config) {
        this.registrationPrefixes = config.security().registrationPrefixes().orElse(List.of());
        this.repository = repository;
        this.files = files;
        this.resolver = resolver;
        this.inspector = inspector;
        this.staging = staging;
        this.storage = storage;
        this.outbox = outbox;
        this.modulesJson = modulesJson;
    }

    /** Registers an uploaded checkpoint: stage, validate, then commit blobs and metadata together. */
    public BaseModelDto registerUploaded(String name, String revision, Map<String, Path> uploaded) {
        checkNewName(name, revision);
        if (uploaded.isEmpty()) {
            throw new InvalidRequestException("no checkpoint files were sent");
        }
        StagedUpload upload = staging.stage(uploaded);
        InspectedCheckpoint checkpoint;
        try {
            checkpoint = inspector.inspectUploaded(uploaded);
        } catch (RuntimeException e) {
            staging.discard(upload);
            throw e;
        }
        return staging.commit(upload, () -> {
            requireAbsent(name, revision);
            BaseModel model = newBaseModel(name, revision, checkpoint, StorageMode.UPLOADED, null);
            for (StagedFile file : upload.files().values()) {
                persistFile(model.id, file.name(), storage.bucket(), file.blobKey(), file.size(), file.sha256());
            }
            return toDto(model);
        });
    }

    /** Registers a checkpoint that already lives under an {@code s3://bucket/prefix/} URI (nothing is copied). */
    @Transactional
    public BaseModelDto registerReferenced(RegisterByUriRequest request) {
        if (request == null) {
            throw new InvalidRequestException("a JSON body is required");
        }
        checkNewName(request.name(), request.revision());
        S3Location location = S3Location.parse(request.sourceUri());
        requirePermitted(location);
        List<ObjectSummary> objects = storage.list(location.bucket(), location.prefix()).stream()
                .filter(o -> !o.key().substring(location.prefix().length()).contains("/"))
                .toList();
        if (objects.isEmpty()) {
            throw new ArtifactValidationException("No objects found under " + request.sourceUri());
        }
        InspectedCheckpoint checkpoint = inspector.inspectReferenced(storage, location.bucket(), location.prefix(),
                objects);
        BaseModel model = newBaseModel(request.name(), request.revision(), checkpoint, StorageMode.REFERENCED,
                location.uri());
        for (ObjectSummary object : objects) {
            persistFile(model.id, object.key().substring(location.prefix().length()), location.bucket(),
                    object.key(), object.size(), null);
        }
        return toDto(model);
    }

    @Transactional
    public PageDto<BaseModelDto> list(String name, BaseModelStatus status, PageRequest page) {
        List<BaseModelDto> items = repository.page(name, status, page.page(), page.size()).stream()
                .map(this::toDto).toList();
        return new PageDto<>(items, page.page(), page.size(), repository.countMatching(name, status));
    }

    @Transactional
    public BaseModelDto get(String ref) {
        return toDto(resolver.resolve(ref));
    }

    @Transactional
    public List<LinearModuleDto> linearModules(String ref) {
        return modulesJson.read(resolver.resolve(ref).linearModules).modules().entrySet().stream()
                .map(e -> new LinearModuleDto(e.getKey(), e.getValue().out(), e.getValue().in()))
                .toList();
    }

    @Transactional
    public FileDownload file(String ref, String fileName) {
        BaseModel model = resolver.resolve(ref);
        BaseModelFile file = files.findFile(model.id, fileName).orElseThrow(() -> new ResourceNotFoundException(
                "Base model " + model.reference() + " has no file " + Messages.abbreviate(fileName)));
        return new FileDownload(file.fileName, file.bucket, file.objectKey, file.sizeBytes, file.sha256);
    }

    /** Marks {@code ref} as superseded by {@code replacementRef}; consumers start adapter transfers on the event. */
    @Transactional
    public BaseModelDto supersede(String ref, String replacementRef) {
        if (replacementRef == null || replacementRef.isBlank()) {
            throw new InvalidRequestException("supersededBy is required");
        }
        BaseModel model = lock(resolver.resolve(ref));
        BaseModel replacement = resolver.resolve(replacementRef);
        if (model.id.equals(replacement.id)) {
            throw new InvalidRequestException("a base model cannot supersede itself");
        }
        if (model.status != BaseModelStatus.ACTIVE) {
            throw new ConflictException("Base model " + model.reference() + " is " + model.status
                    + "; only ACTIVE models can be superseded");
        }
        if (replacement.status != BaseModelStatus.ACTIVE) {
            throw new ConflictException("Replacement " + replacement.reference() + " is " + replacement.status
                    + "; it must be ACTIVE");
        }
        model.status = BaseModelStatus.SUPERSEDED;
        model.supersededById = replacement.id;
        model.statusChangedAt = now();
        outbox.append(EventType.BASE_MODEL_SUPERSEDED, model.id, new BaseModelSuperseded(model.id, model.name,
                model.revision, replacement.id, replacement.name, replacement.revision));
        return toDto(model);
    }

    @Transactional
    public BaseModelDto retire(String ref) {
        BaseModel model = lock(resolver.resolve(ref));
        if (model.status == BaseModelStatus.RETIRED) {
            throw new ConflictException("Base model " + model.reference() + " is already retired");
        }
        model.status = BaseModelStatus.RETIRED;
        model.statusChangedAt = now();
        outbox.append(EventType.BASE_MODEL_RETIRED, model.id,
                new BaseModelRetired(model.id, model.name, model.revision));
        return toDto(model);
    }

    /** Resolves a base model reference (id, name or name@revision). Runs in the caller's transaction. */
    public BaseModelRef resolve(String ref) {
        return BaseModelRef.of(resolver.resolve(ref));
    }

    /** The revision with this id, which must exist (callers hold a row referencing it). */
    public BaseModelRef byId(UUID id) {
        return BaseModelRef.of(repository.findById(id));
    }

    /** Ids of every revision of a name, in no particular order. */
    public List<UUID> idsByName(String name) {
        return repository.findAllByName(name).stream().map(model -> model.id).toList();
    }

    /** The linear layer shapes adapters and training jobs are validated against. */
    public LinearModules linearModuleShapes(UUID id) {
        return modulesJson.read(repository.findById(id).linearModules);
    }

    /** Where each checkpoint file of the revision is stored, in file name order. */
    public List<FileDownload> storedFiles(UUID id) {
        return files.findByBaseModel(id).stream()
                .map(f -> new FileDownload(f.fileName, f.bucket, f.objectKey, f.sizeBytes, f.sha256))
                .toList();
    }

    private BaseModel lock(BaseModel model) {
        return repository.findById(model.id, LockModeType.PESSIMISTIC_WRITE);
    }

    private void checkNewName(String name, String revision) {
        Names.require("name", name, Names.NAME);
        Names.require("revision", revision, Names.NAME);
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> requireAbsent(name, revision));
    }

    private void requireAbsent(String name, String revision) {
        if (repository.findByNameAndRevision(name, revision).isPresent()) {
            throw new AlreadyExistsException("Base model " + name + "@" + revision + " already exists");
        }
    }

    private BaseModel newBaseModel(String name, String revision, InspectedCheckpoint checkpoint, StorageMode mode,
                                   String sourceUri) {
        LlamaConfig config = checkpoint.config();
        BaseModel model = new BaseModel();
        model.id = UUID.randomUUID();
        model.name = name;
        model.revision = revision;
        model.architecture = config.modelType();
        model.hiddenSize = config.hiddenSize();
        model.intermediateSize = config.intermediateSize();
        model.numLayers = config.numHiddenLayers();
        model.numAttentionHeads = config.numAttentionHeads();
        model.numKeyValueHeads = config.numKeyValueHeads();
        model.vocabSize = config.vocabSize();
        model.configJson = checkpoint.configJson();
        model.linearModules = modulesJson.write(checkpoint.linearModules());
        model.shapesSource = checkpoint.shapesSource();
        model.storageMode = mode;
        model.sourceUri = sourceUri;
        model.status = BaseModelStatus.ACTIVE;
        model.registeredAt = now();
        repository.persist(model);
        outbox.append(EventType.BASE_MODEL_REGISTERED, model.id, new BaseModelRegistered(model.id, model.name,
                model.revision, model.architecture, model.hiddenSize, model.numLayers));
        return model;
    }

    private void persistFile(UUID baseModelId, String fileName, String bucket, String key, long size, String sha256) {
        BaseModelFile file = new BaseModelFile();
        file.id = UUID.randomUUID();
        file.baseModelId = baseModelId;
        file.fileName = fileName;
        file.bucket = bucket;
        file.objectKey = key;
        file.sizeBytes = size;
        file.sha256 = sha256;
        files.persist(file);
    }

    public BaseModelDto toDto(BaseModel model) {
        List<FileDto> fileDtos = files.findByBaseModel(model.id).stream()
                .map(f -> new FileDto(f.fileName, f.sizeBytes, f.sha256,
                        "/api/v1/base-models/" + model.id + "/files/" + f.fileName))
                .toList();
        return new BaseModelDto(model.id, model.name, model.revision, model.architecture, model.hiddenSize,
                model.intermediateSize, model.numLayers, model.numAttentionHeads, model.numKeyValueHeads,
                model.vocabSize, model.status, model.supersededById, model.storageMode, model.sourceUri,
                model.shapesSource, modulesJson.read(model.linearModules).size(), model.registeredAt,
                model.statusChangedAt, fileDtos);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Referenced checkpoints only come from the prefixes an operator permitted, and never from the platform's own
     * content-addressed blobs or staging area, which would let a registration read (and later serve) any upload.
     */
    private void requirePermitted(S3Location location) {
        if (location.bucket().equals(storage.bucket()) && (location.prefix().isEmpty()
                || location.prefix().startsWith("blobs/") || location.prefix().startsWith("staging/"))) {
            throw new ForbiddenException("sourceUri must not point into the platform's own blobs/ or staging/");
        }
        List<String> permitted = registrationPrefixes.stream().map(String::strip).filter(p -> !p.isEmpty())
                .map(p -> p.endsWith("/") ? p : p + "/").toList();
        if (permitted.stream().noneMatch(location.uri()::startsWith)) {
            throw new ForbiddenException("sourceUri " + Messages.abbreviate(location.uri()) + " is not under a "
                    + "permitted registration prefix (adapterhub.security.registration-prefixes: "
                    + (permitted.isEmpty() ? "none configured" : String.join(", ", permitted)) + ")");
        }
    }

    /** An {@code s3://bucket/prefix/} URI. */
    record S3Location(String bucket, String prefix, String uri) {
        static S3Location parse(String value) {
            if (value == null || value.isBlank()) {
                throw new InvalidRequestException("sourceUri is required");
            }
            URI uri;
            try {
                uri = URI.create(value);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("sourceUri is not a valid URI");
            }
            if (!"s3".equals(uri.getScheme()) || uri.getHost() == null || uri.getHost().isBlank()) {
                throw new InvalidRequestException("sourceUri must look like s3://<bucket>/<prefix>/");
            }
            String path = uri.getPath() == null ? "" : uri.getPath();
            String prefix = path.startsWith("/") ? path.substring(1) : path;
            if (!prefix.isEmpty() && !prefix.endsWith("/")) {
                prefix = prefix + "/";
            }
            if (prefix.contains("..")) {
                throw new InvalidRequestException("sourceUri must not contain '..'");
            }
            return new S3Location(uri.getHost(), prefix, "s3://" + uri.getHost() + "/" + prefix);
        }
    }
}
