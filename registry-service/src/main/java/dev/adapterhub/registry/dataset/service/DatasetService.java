package dev.adapterhub.registry.dataset.service;

import dev.adapterhub.registry.common.Names;
import dev.adapterhub.registry.dataset.dto.DatasetDto;
import dev.adapterhub.registry.dataset.entity.DatasetHolder;
import dev.adapterhub.registry.dataset.entity.TrainingDataset;
import dev.adapterhub.registry.dataset.repository.TrainingDatasetRepository;
import dev.adapterhub.registry.error.ArtifactValidationException;
import dev.adapterhub.registry.error.ConflictException;
import dev.adapterhub.registry.error.ForbiddenException;
import dev.adapterhub.registry.error.InvalidRequestException;
import dev.adapterhub.registry.error.Messages;
import dev.adapterhub.registry.error.ResourceNotFoundException;
import dev.adapterhub.registry.security.Access;
import dev.adapterhub.registry.security.Role;
import dev.adapterhub.registry.security.Visibility;
import dev.adapterhub.registry.storage.ObjectStorage;
import dev.adapterhub.registry.storage.StagedFile;
import dev.adapterhub.registry.storage.StagedUpload;
import dev.adapterhub.registry.storage.StagingArea;
import dev.adapterhub.registry.team.service.TeamService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Training datasets: uploaded once, validated line by line, stored content-addressed. Uploading the same bytes
 * again returns the existing dataset, so a digest names exactly one dataset. Deleting one removes its bytes and
 * keeps its record (lineage names it); uploading the same bytes again stores them again under the same record.
 */
@ApplicationScoped
public class DatasetService {

    static final String STAGED_NAME = "dataset.jsonl";
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final int MAX_FILE_NAME = 255;

    private static final Logger LOG = Logger.getLogger(DatasetService.class);
    private static final int MAX_REASON = 2000;

    private final TrainingDatasetRepository repository;
    private final StagingArea staging;
    private final ObjectStorage storage;
    private final Instance<DatasetHold> holds;

    private final Access access;
    private final TeamService teams;

    public DatasetService(TrainingDatasetRepository repository, StagingArea staging, ObjectStorage storage,
                          @Any Instance<DatasetHold> holds, Access access, TeamService teams) {
        this.access = access;
        this.teams = teams;
        this.repository = repository;
        this.staging = staging;
        this.storage = storage;
        this.holds = holds;
    }

    /** The stored dataset and whether this call created it. */
    public record Upload(DatasetDto dataset, boolean created) {
    }

    /**
     * Stores a dataset for {@code team} (the caller's only team when null). The same bytes already stored add the
     * team as a holder; already held, nothing changes.
     */
    public Upload upload(Path file, String fileName, String teamName) {
        String team = access.defaultTeam(teamName);
        Names.require("team", team, Names.NAME);
        access.team(team, Role.WRITER, "upload datasets for it");
        QuarkusTransaction.requiringNew().run(() -> teams.requireExists(team));
        String actor = access.actor();
        if (file == null) {
            throw new InvalidRequestException("a file part named file is required");
        }
        JsonlDatasetInspector.Result inspected;
        try (InputStream in = Files.newInputStream(file)) {
            inspected = JsonlDatasetInspector.inspect(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the uploaded dataset", e);
        }
        if (!inspected.violations().isEmpty()) {
            throw new ArtifactValidationException("The dataset is not a prompt/completion JSONL file",
                    inspected.violations());
        }
        String digest = "sha256:" + inspected.sha256Hex();
        Optional<TrainingDataset> existing = QuarkusTransaction.requiringNew().call(() ->
                repository.findByDigest(digest));
        if (existing.isPresent() && existing.get().deletedAt == null) {
            UUID id = existing.get().id;
            return QuarkusTransaction.requiringNew().call(() -> {
                TrainingDataset held = repository.findById(id, LockModeType.PESSIMISTIC_WRITE);
                boolean added = addHolder(held, team, actor);
                return new Upload(toDto(held), added);
            });
        }
        StagedUpload upload = staging.stage(Map.of(STAGED_NAME, file));
        StagedFile staged = upload.file(STAGED_NAME).orElseThrow();
        if (!staged.sha256().equals(inspected.sha256Hex())) {
            staging.discard(upload);
            throw new IllegalStateException("The dataset changed while it was uploaded");
        }
        if (existing.isPresent()) {
            UUID id = existing.get().id;
            return staging.commit(upload, () -> {
                TrainingDataset restored = repository.findById(id, LockModeType.PESSIMISTIC_WRITE);
                restored.objectKey = staged.blobKey();
                restored.deletedAt = null;
                restored.deletedBy = null;
                restored.deletionReason = null;
                addHolder(restored, team, actor);
                return new Upload(toDto(restored), true);
            });
        }
        TrainingDataset dataset = new TrainingDataset();
        dataset.id = UUID.randomUUID();
        dataset.digest = digest;
        dataset.objectKey = staged.blobKey();
        dataset.sizeBytes = inspected.sizeBytes();
        dataset.exampleCount = inspected.exampleCount();
        dataset.fileName = fileName == null || fileName.length() > MAX_FILE_NAME ? null : fileName;
        dataset.createdBy = actor;
        dataset.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        addHolder(dataset, team, actor);
        return staging.commit(upload, () -> {
            repository.persist(dataset);
            return new Upload(toDto(dataset), true);
        });
    }

    /**
     * Deletes a dataset's bytes and keeps its record. Refused while a training job will still read it or an
     * adapter keeps it as its evaluation set. Deleting a deleted dataset again retries the removal of its bytes.
     */
    public DatasetDto delete(String ref, String reason) {
        if (reason != null && reason.length() > MAX_REASON) {
            throw new InvalidRequestException("reason must be at most " + MAX_REASON + " characters");
        }
        String actor = access.actor();
        UUID id = QuarkusTransaction.requiringNew().call(() -> {
            TrainingDataset dataset = requireVisible(ref);
            if (dataset.holders.stream().noneMatch(holder -> access.can(holder.team, Role.ADMIN))) {
                throw new ForbiddenException("Only an admin of a team that holds dataset " + dataset.digest
                        + " may delete it");
            }
            return dataset.id;
        });
        Deletion deletion = QuarkusTransaction.requiringNew().call(() -> {
            TrainingDataset dataset = repository.findById(id, LockModeType.PESSIMISTIC_WRITE);
            if (dataset.deletedAt == null) {
                for (DatasetHold hold : holds) {
                    hold.reason(dataset.id).ifPresent(why -> {
                        throw new ConflictException("Dataset " + dataset.digest + " cannot be deleted: " + why);
                    });
                }
                dataset.deletedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
                dataset.deletedBy = actor;
                dataset.deletionReason = reason == null || reason.isBlank() ? null : reason;
            }
            return new Deletion(toDto(dataset), dataset.objectKey);
        });
        // After the commit: the record says deleted first, so nothing starts reading bytes that are about to go.
        try {
            storage.remove(deletion.objectKey());
        } catch (RuntimeException e) {
            LOG.warnf("Dataset %s is deleted but its object %s could not be removed (delete it again to retry): %s",
                    deletion.dataset().digest(), deletion.objectKey(), e.getMessage());
            throw e;
        }
        return deletion.dataset();
    }

    private record Deletion(DatasetDto dataset, String objectKey) {
    }

    /**
     * Like {@link #require}, for a dataset {@code team} is about to train or evaluate on: 404 unless the team
     * holds it, a conflict when it was deleted.
     */
    public DatasetRef requireStoredFor(String ref, String team) {
        TrainingDataset entity = requireEntity(ref);
        if (!entity.heldBy(team)) {
            throw new ResourceNotFoundException("Dataset " + Messages.abbreviate(ref) + " does not exist for team "
                    + team + "; upload it to /api/v1/datasets for that team first");
        }
        DatasetRef dataset = DatasetRef.of(entity);
        if (dataset.deleted()) {
            throw new ConflictException("Dataset " + dataset.digest() + " was deleted; upload the same file again "
                    + "to use it");
        }
        return dataset;
    }

    /** A dataset the caller may see (one of its teams holds it); 404 otherwise. */
    @Transactional
    public DatasetDto get(String ref) {
        return toDto(requireVisible(ref));
    }

    /** The dataset with this id as clients see it, for a feature that already checked the caller. */
    @Transactional
    public DatasetDto describe(UUID id) {
        return toDto(repository.findById(id));
    }

    /** Resolves {@code sha256:<hex>} or a dataset id; 400 for anything else, 404 when unknown. */
    public DatasetRef require(String ref) {
        return DatasetRef.of(requireEntity(ref));
    }

    /** The dataset with this id, which must exist (callers hold a row referencing it). */
    public DatasetRef byId(UUID id) {
        return DatasetRef.of(repository.findById(id));
    }

    private TrainingDataset requireVisible(String ref) {
        TrainingDataset dataset = requireEntity(ref);
        if (dataset.holders.stream().noneMatch(holder -> access.canSee(holder.team, Visibility.PRIVATE))) {
            throw notFound(ref);
        }
        return dataset;
    }

    private static boolean addHolder(TrainingDataset dataset, String team, String actor) {
        if (dataset.heldBy(team)) {
            return false;
        }
        DatasetHolder holder = new DatasetHolder();
        holder.team = team;
        holder.addedBy = actor;
        holder.addedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        dataset.holders.add(holder);
        return true;
    }

    private static ResourceNotFoundException notFound(String ref) {
        return new ResourceNotFoundException(
                "Dataset " + Messages.abbreviate(ref) + " does not exist; upload it to /api/v1/datasets first");
    }

    private TrainingDataset requireEntity(String ref) {
        if (ref == null || ref.isBlank()) {
            throw new InvalidRequestException("a dataset reference (sha256:<hex> digest or id) is required");
        }
        Optional<TrainingDataset> found;
        if (DIGEST.matcher(ref).matches()) {
            found = repository.findByDigest(ref);
        } else {
            UUID id;
            try {
                id = UUID.fromString(ref);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("dataset must be a sha256:<64 hex> digest or a dataset id");
            }
            found = repository.findByIdOptional(id);
        }
        return found.orElseThrow(() -> notFound(ref));
    }

    private DatasetDto toDto(TrainingDataset d) {
        Set<String> visible = access.visibleTeams();
        List<String> teams = d.holders.stream().map(holder -> holder.team)
                .filter(team -> visible == null || visible.contains(team)).sorted().toList();
        return new DatasetDto(d.id, d.digest, d.sizeBytes, d.exampleCount, d.fileName, teams, d.createdBy,
                d.createdAt, d.deletedAt, d.deletedBy, d.deletionReason);
    }
}
