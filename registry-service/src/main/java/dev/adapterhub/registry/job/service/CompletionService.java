package dev.adapterhub.registry.job.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.registry.adapter.dto.CreateAdapterRequest;
import dev.adapterhub.registry.adapter.service.AdapterService;
import dev.adapterhub.registry.dataset.service.DatasetService;
import dev.adapterhub.registry.error.InvalidRequestException;
import dev.adapterhub.registry.job.dto.CompletionDto;
import dev.adapterhub.registry.job.dto.JobKind;
import dev.adapterhub.registry.job.entity.JobState;
import dev.adapterhub.registry.job.entity.TrainingJob;
import dev.adapterhub.registry.job.repository.TrainingJobRepository;
import dev.adapterhub.registry.transferkit.dto.TransferKitInput;
import dev.adapterhub.registry.transferkit.service.TransferKitService;
import dev.adapterhub.registry.version.dto.MetricInput;
import dev.adapterhub.registry.version.dto.SeedExampleInput;
import dev.adapterhub.registry.version.dto.VersionDto;
import dev.adapterhub.registry.version.service.MetricService;
import dev.adapterhub.registry.version.service.SeedExampleService;
import dev.adapterhub.registry.version.service.UploadLineage;
import dev.adapterhub.registry.version.service.VersionRef;
import dev.adapterhub.registry.version.service.VersionService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Publishes a job's adapter as exactly one version (ADR 0005, step 6). The job row stays locked from the lease
 * check to SUCCEEDED, so a cancel, the reaper or a second {@code complete} cannot interleave. The version row is
 * committed by {@link VersionService} in its own transaction (it stages blobs first); if the final transaction
 * then fails, the retry finds that version by its {@code trainingJobId} lineage and reuses it instead of
 * publishing a second one.
 */
@ApplicationScoped
public class CompletionService {

    /** Bound of the transaction that holds the job lock while the files are staged and validated. */
    static final int TIMEOUT_SECONDS = 600;

    private final TrainingJobRepository jobs;
    private final LeaseService leases;
    private final JobService jobService;
    private final JobEvents events;
    private final AdapterService adapters;
    private final VersionService versionService;
    private final MetricService metrics;
    private final SeedExampleService seeds;
    private final DatasetService datasets;
    private final TransferKitService kits;
    private final TransferGate gate;
    private final ObjectMapper objectMapper;

    public CompletionService(TrainingJobRepository jobs, LeaseService leases, JobService jobService, JobEvents events,
                             AdapterService adapters, VersionService versionService, MetricService metrics,
                             SeedExampleService seeds, DatasetService datasets, TransferKitService kits,
                             TransferGate gate, ObjectMapper objectMapper) {
        this.gate = gate;
        this.jobs = jobs;
        this.leases = leases;
        this.jobService = jobService;
        this.events = events;
        this.adapters = adapters;
        this.versionService = versionService;
        this.metrics = metrics;
        this.seeds = seeds;
        this.datasets = datasets;
        this.kits = kits;
        this.objectMapper = objectMapper;
    }

    /** What a worker hands in besides the adapter's files. */
    public record Handin(String leaseToken, String metricsJson, String seedsJson, Integer trainingExamples,
                         String transferKitJson, Map<String, Path> kitFiles, String transferMethod) {
    }

    /** How a TRANSFER job made its version (recorded in the version's lineage). */
    public static final List<String> TRANSFER_METHODS = List.of("COPY", "TRANS_LORA", "TRANS_LORA_UNFILTERED");

    public CompletionDto complete(UUID id, Map<String, Path> files, Handin handin) {
        String leaseToken = handin.leaseToken();
        Integer trainingExamples = handin.trainingExamples();
        List<MetricInput> metricInputs = parse(handin.metricsJson(), "metrics", new TypeReference<>() {
        });
        List<SeedExampleInput> seedInputs = parse(handin.seedsJson(), "seedExamples", new TypeReference<>() {
        });
        TransferKitInput kitInput = parseObject(handin.transferKitJson(), "transferKit", TransferKitInput.class);
        // Idempotent by job id: a repeated complete of a SUCCEEDED job answers with its version.
        Optional<CompletionDto> done = QuarkusTransaction.requiringNew().call(() -> succeeded(id));
        if (done.isPresent()) {
            return done.get();
        }
        // The adapter must be committed before VersionService's own transaction can see it; the kit is checked
        // first so that a bad one changes nothing.
        TransferKitService.Handover handover = QuarkusTransaction.requiringNew().call(() -> {
            TrainingJob job = leases.requireLease(id, leaseToken);
            if (job.kind == JobKind.TRANSFER) {
                checkTransferHandin(handin, kitInput, seedInputs);
                ensureAdapter(job);
                return null;
            }
            if (handin.transferMethod() != null) {
                throw new InvalidRequestException("transferMethod is for TRANSFER jobs");
            }
            TransferKitService.Handover kit = new TransferKitService.Handover(!job.transferKitEnabled,
                    job.transferKitTaskName, kitInput, handin.kitFiles());
            kits.check(kit, job.baseModelId);
            if (!job.transferKitEnabled && !seedInputs.isEmpty()) {
                throw new InvalidRequestException("the job opted out of the transfer kit; send no seedExamples");
            }
            ensureAdapter(job);
            return kit;
        });
        return QuarkusTransaction.requiringNew().timeout(TIMEOUT_SECONDS).call(() -> {
            Optional<CompletionDto> raced = succeeded(id);
            if (raced.isPresent()) {
                return raced.get();
            }
            TrainingJob job = leases.requireLease(id, leaseToken);
            Optional<VersionRef> existing = versionService.publishedBy(job.id.toString());
            VersionDto version = existing.isPresent() ? versionService.get(existing.get().id().toString())
                    : versionService.upload(job.adapterName, files, lineage(job, handin), "training-job:" + job.id);
            String ref = version.id().toString();
            if (!metricInputs.isEmpty()) {
                metrics.add(ref, metricInputs);
            }
            if (job.kind == JobKind.TRANSFER) {
                kits.carryOver(job.sourceVersionId, version.id());
                if (job.transferGate == null) {
                    gate.decide(job, version, metricInputs);
                }
            } else {
                if (!seedInputs.isEmpty()) {
                    seeds.add(ref, seedInputs);
                }
                kits.store(version.id(), handover);
            }
            JobState previous = job.state;
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            job.state = JobState.SUCCEEDED;
            job.resultVersionId = version.id();
            job.failureReason = null;
            job.currentStep = job.totalSteps;
            job.etaSeconds = null;
            job.leaseOwner = null;
            job.leaseToken = null;
            job.leaseExpiresAt = null;
            job.updatedAt = now;
            job.finishedAt = now;
            events.stateChanged(job, previous, "Published " + job.adapterName + "@" + version.version(),
                    version.version());
            return new CompletionDto(jobService.toDto(job), version);
        });
    }

    private UploadLineage lineage(TrainingJob job, Handin handin) {
        if (job.kind == JobKind.TRANSFER) {
            // Published onto the job's (target) base, not the adapter's current one.
            return new UploadLineage(null, job.id.toString(), null, job.sourceVersionId.toString(),
                    handin.trainingExamples(), job.baseModelId, handin.transferMethod());
        }
        return UploadLineage.ofClient(null, job.id.toString(), datasets.byId(job.datasetId).digest(), null,
                handin.trainingExamples());
    }

    /** A transfer's version keeps its source's seeds and brings no discriminator; the method must be named. */
    private static void checkTransferHandin(Handin handin, TransferKitInput kitInput,
                                            List<SeedExampleInput> seedInputs) {
        if (kitInput != null || !handin.kitFiles().isEmpty() || !seedInputs.isEmpty()) {
            throw new InvalidRequestException("a TRANSFER job hands in no transferKit, kitFile or seedExamples "
                    + "(its version keeps the source's seed examples)");
        }
        if (handin.transferMethod() == null || !TRANSFER_METHODS.contains(handin.transferMethod())) {
            throw new InvalidRequestException("a TRANSFER job must name its transferMethod: one of "
                    + String.join(", ", TRANSFER_METHODS));
        }
    }

    private Optional<CompletionDto> succeeded(UUID id) {
        TrainingJob job = jobs.lock(id).orElseThrow(() -> JobService.notFound(id));
        if (job.state != JobState.SUCCEEDED || job.resultVersionId == null) {
            return Optional.empty();
        }
        return Optional.of(new CompletionDto(jobService.toDto(job),
                versionService.get(job.resultVersionId.toString())));
    }

    private void ensureAdapter(TrainingJob job) {
        if (adapters.find(job.adapterName).isEmpty()) {
            String description = job.kind == JobKind.TRANSFER ? "Transferred by job " + job.id
                    : "Trained by training job " + job.id;
            adapters.createForJob(new CreateAdapterRequest(job.adapterName, job.team, job.baseModelId.toString(),
                    job.method, description, List.of(), null, null), job.createdBy);
        }
    }

    private <T> T parseObject(String json, String field, Class<T> type) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return objectMapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(field + " must be a JSON object");
        }
    }

    private <T> List<T> parse(String json, String field, TypeReference<List<T>> type) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            List<T> parsed = objectMapper.readValue(json, type);
            return parsed == null ? List.of() : parsed;
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(field + " must be a JSON array");
        }
    }
}
