package dev.adapterhub.registry.job.service;

import dev.adapterhub.registry.adapter.dto.AdapterMethod;
import dev.adapterhub.registry.adapter.service.AdapterRef;
import dev.adapterhub.registry.adapter.service.AdapterService;
import dev.adapterhub.registry.basemodel.service.BaseModelRef;
import dev.adapterhub.registry.basemodel.service.BaseModelService;
import dev.adapterhub.registry.common.Names;
import dev.adapterhub.registry.dataset.service.DatasetRef;
import dev.adapterhub.registry.error.ConflictException;
import dev.adapterhub.registry.error.InvalidRequestException;
import dev.adapterhub.registry.error.Messages;
import dev.adapterhub.registry.error.ResourceNotFoundException;
import dev.adapterhub.registry.evaluationset.service.EvaluationSetService;
import dev.adapterhub.registry.job.config.JobsConfig;
import dev.adapterhub.registry.job.dto.Hyperparameters;
import dev.adapterhub.registry.job.dto.SubmitJobRequest;
import dev.adapterhub.registry.job.dto.TransferJobDto;
import dev.adapterhub.registry.job.dto.TransferJobRequest;
import dev.adapterhub.registry.job.entity.TrainingJob;
import dev.adapterhub.registry.job.repository.TrainingJobRepository;
import dev.adapterhub.registry.security.Access;
import dev.adapterhub.registry.security.Role;
import dev.adapterhub.registry.security.Scope;
import dev.adapterhub.registry.transferkit.dto.TransferKitDto;
import dev.adapterhub.registry.transferkit.dto.TransferKitStatus;
import dev.adapterhub.registry.transferkit.service.TransferKitService;
import dev.adapterhub.registry.version.dto.VersionRefDto;
import dev.adapterhub.registry.version.service.VersionRef;
import dev.adapterhub.registry.version.service.VersionService;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Resolves a TRANSFER request (issue 10) into what its job row keeps: the source version, the target base, the
 * synthetic-set size, which rungs apply, and the hyperparameters (the source job's unless the request sets them).
 * Runs in the submitting transaction.
 */
@ApplicationScoped
public class TransferJobPlanner {

    /** The resolved request. */
    public record Plan(AdapterRef adapter, Destination destination, BaseModelRef target, VersionRef source,
                       TransferJobDto settings, Hyperparameters hyperparameters) {
    }

    /** The adapter a transfer publishes into, its method and team. */
    public record Destination(String name, AdapterMethod method, String team) {
    }

    private final VersionService versions;
    private final AdapterService adapters;
    private final BaseModelService baseModels;
    private final TransferKitService kits;
    private final EvaluationSetService evaluationSets;
    private final TrainingJobRepository jobs;
    private final JobsConfig config;
    private final Access access;

    public TransferJobPlanner(VersionService versions, AdapterService adapters, BaseModelService baseModels,
                              TransferKitService kits, EvaluationSetService evaluationSets,
                              TrainingJobRepository jobs, JobsConfig config, Access access) {
        this.access = access;
        this.versions = versions;
        this.adapters = adapters;
        this.baseModels = baseModels;
        this.kits = kits;
        this.evaluationSets = evaluationSets;
        this.jobs = jobs;
        this.config = config;
    }

    /**
     * @param storedHyperparameters reads a job row's resolved hyperparameters (the source job's are inherited)
     */
    /**
     * The transfer service plans for every team; a person must be a writer of the source's team, and only its
     * admins may loosen the gate of a transfer that would move a protected alias.
     */
    private void authorize(AdapterRef adapter, TransferJobRequest transfer) {
        if (access.hasService(Scope.TRANSFERS)) {
            return;
        }
        try {
            adapters.authorize(adapter, Role.WRITER, "transfer its versions");
        } catch (ResourceNotFoundException hidden) {
            throw new ResourceNotFoundException("Version " + Messages.abbreviate(transfer.sourceVersion())
                    + " does not exist");
        }
        boolean movesProtected = transfer.promoteAliases() == null
                ? !adapter.protectedAliases().isEmpty()
                : transfer.promoteAliases().stream().anyMatch(adapter::isProtected);
        if (movesProtected && transfer.gateMargin() != null) {
            adapters.authorize(adapter, Role.ADMIN, "set the gate margin of a transfer that moves a protected alias");
        }
    }

    public Plan plan(SubmitJobRequest request, Function<TrainingJob, Hyperparameters> storedHyperparameters) {
        TransferJobRequest transfer = request.transfer();
        if (transfer == null || transfer.sourceVersion() == null || transfer.sourceVersion().isBlank()) {
            throw new InvalidRequestException("a TRANSFER needs transfer.sourceVersion (name@version, name@alias or "
                    + "a version id)");
        }
        if (request.dataset() != null) {
            throw new InvalidRequestException("a TRANSFER reads no dataset (the original data may be gone); "
                    + "remove dataset");
        }
        if (request.transferKit() != null) {
            throw new InvalidRequestException("a TRANSFER carries its source's seed examples over; remove "
                    + "transferKit");
        }
        if (transfer.goal() != null && (transfer.goal() < 1 || transfer.goal() > config.maxTransferGoal())) {
            throw new InvalidRequestException("transfer.goal must be between 1 and " + config.maxTransferGoal());
        }
        VersionRef source = versions.locate(transfer.sourceVersion().strip());
        AdapterRef adapter = adapters.byId(source.adapterId());
        authorize(adapter, transfer);
        Destination destination = destination(request, adapter);
        if (request.baseModel() == null || request.baseModel().isBlank()) {
            throw new InvalidRequestException("baseModel (the base to transfer to) is required");
        }
        BaseModelRef target = baseModels.resolve(request.baseModel());
        if (target.retired()) {
            throw new ConflictException("Base model " + target.reference() + " is retired");
        }
        BaseModelRef sourceBase = baseModels.byId(source.baseModelId());
        if (target.id().equals(sourceBase.id())) {
            throw new ConflictException(adapter.name() + "@" + source.version() + " is already on "
                    + target.reference());
        }
        boolean sameShapes = baseModels.linearModuleShapes(target.id())
                .equals(baseModels.linearModuleShapes(sourceBase.id()));
        TransferKitDto kit = kits.of(source);
        boolean sameMethod = destination.method() == adapter.method();
        if (!sameMethod && Boolean.TRUE.equals(transfer.copyFirst())) {
            throw new InvalidRequestException("the copy rung publishes the source adapter as it is, which is "
                    + adapter.method() + ", not " + destination.method() + "; leave transfer.copyFirst out");
        }
        boolean copyFirst = sameMethod && (transfer.copyFirst() == null || transfer.copyFirst());
        if (kit.status() == TransferKitStatus.NONE && !(sameShapes && copyFirst)) {
            throw new ConflictException(adapter.name() + "@" + source.version() + " has no transfer kit ("
                    + kit.reason() + "), and only the copy rung can move a version without one"
                    + (sameShapes ? "; set transfer.copyFirst" : ", which needs the same shapes as "
                    + sourceBase.reference()));
        }
        int goal = transfer.goal() != null ? transfer.goal()
                : source.trainingExamples() != null ? source.trainingExamples() : config.transferGoal();
        Hyperparameters hyperparameters = request.hyperparameters() != null ? request.hyperparameters()
                : inherited(source, storedHyperparameters).map(h -> sameMethod ? h : methodNeutral(h)).orElse(null);
        if (transfer.gateMargin() != null && !(transfer.gateMargin() >= 0 && transfer.gateMargin() <= 1)) {
            throw new InvalidRequestException("transfer.gateMargin must be between 0 and 1");
        }
        // Aliases belong to an adapter: the source's move with it only when the result lands in the same adapter.
        List<String> promote = transfer.promoteAliases() != null ? transfer.promoteAliases()
                : destination.name().equals(adapter.name()) ? versions.get(source.id().toString()).aliases()
                : List.of();
        for (String alias : promote) {
            Names.require("transfer.promoteAliases[]", alias, Names.ALIAS);
        }
        TransferJobDto settings = new TransferJobDto(new VersionRefDto(source.id(), adapter.name(), source.version(),
                source.digest()), sourceBase.reference(), goal, copyFirst, sameShapes, kit.status().name(),
                kit.taskName(), List.copyOf(promote),
                transfer.gateMargin() != null ? transfer.gateMargin() : config.transferGateMargin(),
                evaluationSets.of(adapter.id()).filter(set -> !set.deleted()).map(DatasetRef::digest).orElse(null));
        return new Plan(adapter, destination, target, source, settings, hyperparameters);
    }

    /**
     * Where the result lands: the source's adapter by default. Another method (LoRA to SHiRA, LoRA to LoRA-GA's
     * initialisation) needs another adapter, since an adapter has one method: {@code adapterName} names it, an
     * existing one of that method or a new one (created on the target base, in the source's team, when the
     * version is published).
     */
    private Destination destination(SubmitJobRequest request, AdapterRef source) {
        String name = request.adapterName() == null ? source.name() : request.adapterName();
        AdapterMethod method = request.method() == null ? source.method() : request.method();
        if (name.equals(source.name())) {
            if (method != source.method()) {
                throw new InvalidRequestException("adapter " + source.name() + " uses " + source.method()
                        + "; to transfer into " + method + ", name another adapter in adapterName");
            }
            return new Destination(name, method, adapters.get(name).team());
        }
        Names.require("adapterName", name, Names.NAME);
        Optional<AdapterRef> existing = adapters.find(name);
        if (existing.isPresent() && existing.get().method() != method) {
            throw new ConflictException("Adapter " + name + " uses method " + existing.get().method() + ", not "
                    + method);
        }
        String team = existing.isPresent() ? adapters.get(name).team()
                : request.team() != null ? request.team() : adapters.get(source.name()).team();
        return new Destination(name, method, team);
    }

    /** The source job's settings that mean the same for another method; the method's own ones take defaults. */
    private static Hyperparameters methodNeutral(Hyperparameters h) {
        return new Hyperparameters(h.rank(), null, null, h.targetModules(), null, h.steps(), null, h.batchSize(),
                h.gradientAccumulation(), h.warmupSteps(), h.evalFraction(), h.evalEvery(), h.checkpointEvery(),
                h.maxSequenceLength(), h.baseDtype(), null, null, h.seed());
    }

    /** The source's own job's hyperparameters (its steps: the synthetic set has the source's size by default). */
    private Optional<Hyperparameters> inherited(VersionRef source, Function<TrainingJob, Hyperparameters> read) {
        if (source.trainingJobId() == null) {
            return Optional.empty();
        }
        Optional<TrainingJob> job = jobs.findByIdOptional(UUID.fromString(source.trainingJobId()));
        return job.map(read).map(TransferJobPlanner::withoutEpochs);
    }

    private static Hyperparameters withoutEpochs(Hyperparameters h) {
        return new Hyperparameters(h.rank(), h.alpha(), h.rsLora(), h.targetModules(), h.learningRate(), h.steps(),
                null, h.batchSize(), h.gradientAccumulation(), h.warmupSteps(), h.evalFraction(), h.evalEvery(),
                h.checkpointEvery(), h.maxSequenceLength(), h.baseDtype(), h.loraGaGradientBatches(), h.shiraMaskType(),
                h.seed());
    }
}
