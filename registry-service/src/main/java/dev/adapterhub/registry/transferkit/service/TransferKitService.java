package dev.adapterhub.registry.transferkit.service;

import dev.adapterhub.formats.peft.PeftType;
import dev.adapterhub.registry.adapter.service.AdapterService;
import dev.adapterhub.registry.basemodel.service.BaseModelService;
import dev.adapterhub.registry.error.InvalidRequestException;
import dev.adapterhub.registry.error.Messages;
import dev.adapterhub.registry.error.ResourceNotFoundException;
import dev.adapterhub.registry.storage.FileDownload;
import dev.adapterhub.registry.storage.ObjectStorage;
import dev.adapterhub.registry.storage.StagedFile;
import dev.adapterhub.registry.storage.StagedUpload;
import dev.adapterhub.registry.storage.StagingArea;
import dev.adapterhub.registry.transferkit.dto.DiscriminatorDto;
import dev.adapterhub.registry.transferkit.dto.TransferKitDto;
import dev.adapterhub.registry.transferkit.dto.TransferKitInput;
import dev.adapterhub.registry.transferkit.dto.TransferKitStatus;
import dev.adapterhub.registry.transferkit.entity.TransferKit;
import dev.adapterhub.registry.transferkit.entity.TransferKitFile;
import dev.adapterhub.registry.transferkit.repository.TransferKitFileRepository;
import dev.adapterhub.registry.transferkit.repository.TransferKitRepository;
import dev.adapterhub.registry.validation.AdapterArtifactValidator;
import dev.adapterhub.registry.version.dto.SeedExampleDto;
import dev.adapterhub.registry.version.dto.SeedExampleInput;
import dev.adapterhub.registry.version.dto.VersionFileDto;
import dev.adapterhub.registry.version.service.SeedExampleService;
import dev.adapterhub.registry.version.service.VersionRef;
import dev.adapterhub.registry.version.service.VersionService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Transfer kits (issue 10): what a training job leaves with its version so Trans-LoRA can move it to another base
 * model after the data is gone. The seed examples are the version feature's; this feature adds the task name and
 * the discriminator, and tells how complete a version's kit is.
 */
@ApplicationScoped
public class TransferKitService {

    /** The NAME goes into a prompt: one short line. */
    public static final Pattern TASK_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}");

    private final VersionService versions;
    private final SeedExampleService seeds;
    private final AdapterService adapters;
    private final BaseModelService baseModels;
    private final TransferKitRepository kits;
    private final TransferKitFileRepository files;
    private final AdapterArtifactValidator validator;
    private final StagingArea staging;
    private final ObjectStorage storage;

    public TransferKitService(VersionService versions, SeedExampleService seeds, AdapterService adapters,
                              BaseModelService baseModels, TransferKitRepository kits, TransferKitFileRepository files,
                              AdapterArtifactValidator validator, StagingArea staging, ObjectStorage storage) {
        this.versions = versions;
        this.seeds = seeds;
        this.adapters = adapters;
        this.baseModels = baseModels;
        this.kits = kits;
        this.files = files;
        this.validator = validator;
        this.staging = staging;
        this.storage = storage;
    }

    /** What a job hands in, checked before its version is published so a bad kit changes nothing. */
    public record Handover(boolean optedOut, String taskName, TransferKitInput input, Map<String, Path> files) {
    }

    /**
     * Checks a handover against the base model the version is trained on: the numbers are in range and the
     * files are a LoRA for that base. Runs in the caller's transaction.
     */
    public void check(Handover handover, UUID baseModelId) {
        TransferKitInput input = handover.input();
        if (handover.optedOut()) {
            if (input != null || !handover.files().isEmpty()) {
                throw new InvalidRequestException("the job opted out of the transfer kit; send no transferKit "
                        + "and no kitFile parts");
            }
            return;
        }
        if (input == null) {
            if (!handover.files().isEmpty()) {
                throw new InvalidRequestException("kitFile parts need the transferKit field that describes them");
            }
            return;
        }
        if (handover.files().isEmpty()) {
            if (input.missingReason() == null || input.missingReason().isBlank()) {
                throw new InvalidRequestException("transferKit without kitFile parts must say why in missingReason");
            }
            if (input.missingReason().length() > 2000) {
                throw new InvalidRequestException("transferKit.missingReason must be at most 2000 characters");
            }
            return;
        }
        requireCount("realInputs", input.realInputs());
        requireCount("generatedInputs", input.generatedInputs());
        requireShare("accuracyOnReal", input.accuracyOnReal());
        requireShare("accuracyOnGenerated", input.accuracyOnGenerated());
        validator.validate(handover.files(), PeftType.LORA, "LORA", baseModels.linearModuleShapes(baseModelId));
    }

    /**
     * Stores the kit of a version a job has just published. Idempotent: a retried completion finds the kit of its
     * version already stored. The discriminator's blobs are committed like version files, so a failure leaves
     * nothing reachable.
     */
    public void store(UUID versionId, Handover handover) {
        if (QuarkusTransaction.requiringNew().call(() -> kits.findByIdOptional(versionId).isPresent())) {
            return;
        }
        TransferKitInput input = handover.input();
        boolean discriminator = !handover.optedOut() && input != null && !handover.files().isEmpty();
        StagedUpload upload = staging.stage(discriminator ? handover.files() : Map.of());
        staging.commit(upload, () -> {
            if (kits.findByIdOptional(versionId).isPresent()) {
                return null;
            }
            TransferKit kit = new TransferKit();
            kit.versionId = versionId;
            kit.optedOut = handover.optedOut();
            kit.taskName = handover.optedOut() ? null : handover.taskName();
            if (discriminator) {
                kit.realInputs = input.realInputs();
                kit.generatedInputs = input.generatedInputs();
                kit.accuracyOnReal = input.accuracyOnReal();
                kit.accuracyOnGenerated = input.accuracyOnGenerated();
            } else if (input != null && !handover.optedOut()) {
                kit.missingReason = input.missingReason().strip();
            }
            kit.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            kits.persist(kit);
            for (StagedFile staged : upload.files().values()) {
                TransferKitFile file = new TransferKitFile();
                file.id = UUID.randomUUID();
                file.versionId = versionId;
                file.fileName = staged.name();
                file.objectKey = staged.blobKey();
                file.sizeBytes = staged.size();
                file.sha256 = staged.sha256();
                files.persist(file);
            }
            return null;
        });
    }

    @Transactional
    public TransferKitDto get(String ref) {
        return of(versions.locate(ref));
    }

    /** The kit of a version. Runs in the caller's transaction. */
    public TransferKitDto of(VersionRef version) {
        String adapterName = adapters.byId(version.adapterId()).name();
        String reference = adapterName + "@" + version.version();
        int seedCount = seeds.count(version.id());
        TransferKit kit = kits.findById(version.id());
        List<TransferKitFile> stored = kit == null ? List.of() : files.findByVersion(version.id());
        DiscriminatorDto discriminator = null;
        if (!stored.isEmpty()) {
            String base = "/api/v1/adapters/" + adapterName + "/versions/" + version.version()
                    + "/transfer-kit/files/";
            discriminator = new DiscriminatorDto(stored.stream()
                    .map(f -> new VersionFileDto(f.fileName, f.sizeBytes, f.sha256, base + f.fileName)).toList(),
                    kit.realInputs, kit.generatedInputs, kit.accuracyOnReal, kit.accuracyOnGenerated);
        }
        TransferKitStatus status = discriminator != null && seedCount > 0 ? TransferKitStatus.COMPLETE
                : seedCount > 0 ? TransferKitStatus.SEEDS_ONLY : TransferKitStatus.NONE;
        return new TransferKitDto(version.id(), reference, status, reason(kit, status, seedCount),
                kit != null && kit.optedOut, kit == null ? null : kit.taskName, seedCount, discriminator,
                kit == null ? null : kit.createdAt);
    }

    /** Where the discriminator's files are stored (none unless the kit has one). Runs in the caller's transaction. */
    public List<FileDownload> discriminatorFiles(UUID versionId) {
        return files.findByVersion(versionId).stream()
                .map(f -> new FileDownload(f.fileName, storage.bucket(), f.objectKey, f.sizeBytes, f.sha256)).toList();
    }

    /**
     * Gives a transferred version the seed examples and task name of its source, so it can be moved again; its
     * discriminator stays behind (it judges inputs on the source's base). Idempotent. Runs in the caller's
     * transaction.
     */
    public void carryOver(UUID sourceVersionId, UUID transferredVersionId) {
        if (kits.findByIdOptional(transferredVersionId).isPresent()) {
            return;
        }
        TransferKit source = kits.findById(sourceVersionId);
        List<SeedExampleDto> sourceSeeds = seeds.list(sourceVersionId.toString());
        if (!sourceSeeds.isEmpty()) {
            seeds.add(transferredVersionId.toString(), sourceSeeds.stream()
                    .map(s -> new SeedExampleInput(s.prompt(), s.completion())).toList());
        }
        TransferKit kit = new TransferKit();
        kit.versionId = transferredVersionId;
        kit.optedOut = source != null && source.optedOut;
        kit.taskName = source == null ? null : source.taskName;
        kit.missingReason = "a transferred version keeps its source's seed examples; the source's discriminator "
                + "judges inputs on the source's base model";
        kit.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        kits.persist(kit);
    }

    @Transactional
    public FileDownload file(String ref, String fileName) {
        VersionRef version = versions.locate(ref);
        TransferKitFile file = files.findFile(version.id(), fileName).orElseThrow(() -> new ResourceNotFoundException(
                "The transfer kit of " + ref + " has no file " + Messages.abbreviate(fileName)));
        return new FileDownload(file.fileName, storage.bucket(), file.objectKey, file.sizeBytes, file.sha256);
    }

    private static String reason(TransferKit kit, TransferKitStatus status, int seedCount) {
        if (status == TransferKitStatus.COMPLETE) {
            return null;
        }
        if (kit == null) {
            return seedCount > 0 ? "uploaded with seed examples but no discriminator"
                    : "uploaded directly: no seed examples and no discriminator";
        }
        if (kit.optedOut) {
            return "the training job opted out of the transfer kit";
        }
        if (seedCount == 0) {
            return "the training job kept no seed examples";
        }
        return kit.missingReason == null ? "the training job made no discriminator"
                : "no discriminator: " + kit.missingReason;
    }

    private static void requireCount(String field, Integer value) {
        if (value == null || value < 1) {
            throw new InvalidRequestException("transferKit." + field + " must be at least 1");
        }
    }

    private static void requireShare(String field, Double value) {
        if (value == null || !(value >= 0 && value <= 1)) {
            throw new InvalidRequestException("transferKit." + field + " must be between 0 and 1");
        }
    }
}
