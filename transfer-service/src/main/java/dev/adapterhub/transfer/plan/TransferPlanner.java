package dev.adapterhub.transfer.plan;

import dev.adapterhub.formats.digest.Sha256;
import dev.adapterhub.registry.client.RegistryClient;
import dev.adapterhub.registry.client.RegistryRejectedException;
import dev.adapterhub.registry.client.model.Adapter;
import dev.adapterhub.registry.client.model.AdapterVersion;
import dev.adapterhub.registry.client.model.BaseModel;
import dev.adapterhub.registry.client.model.Job;
import dev.adapterhub.registry.client.model.TransferOptions;
import dev.adapterhub.transfer.config.TransferConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns "move these adapters to that base" into TRANSFER jobs in the registry (ADR 11). One job per served version
 * (a version some alias points at) that sits on the source base, {@code production} first. Each job carries an
 * idempotency key derived from what asked for it, so a redelivered event or a repeated request plans nothing twice;
 * and a version with a transfer to the same base still running is not planned again, whoever asks.
 */
@ApplicationScoped
public class TransferPlanner {

    private static final Logger LOG = Logger.getLogger(TransferPlanner.class);
    private static final Set<String> LIVE = Set.of("QUEUED", "VALIDATING", "RUNNING");

    private final RegistryClient registry;
    private final TransferConfig config;

    public TransferPlanner(RegistryClient registry, TransferConfig config) {
        this.registry = registry;
        this.config = config;
    }

    /**
     * Plans the move of every served version on {@code sourceBaseId} to {@code targetBaseId}, as one supersede
     * event asks ({@code eventId} keys the jobs).
     */
    public List<PlanOutcome> planSupersede(String eventId, String sourceBaseId, String targetBaseId) {
        List<Adapter> adapters = registry.listAllAdapters(sourceBaseId);
        return plan(adapters, sourceBaseId, targetBaseId, TransferOptions.DEFAULTS, "superseded:" + eventId,
                "transfer-service");
    }

    /**
     * A transferred version was promoted ({@code job.transfer-gated}); if its base was superseded meanwhile, it
     * moves on to the successor, keyed by the event. Nothing to do otherwise.
     */
    public List<PlanOutcome> planOnward(String eventId, String adapterName, int version) {
        AdapterVersion promoted = registry.findVersion(adapterName, String.valueOf(version)).orElse(null);
        if (promoted == null || promoted.base() == null) {
            return List.of();
        }
        BaseModel base = registry.findBaseModel(promoted.base().id()).orElse(null);
        if (base == null || !"SUPERSEDED".equals(base.status()) || base.supersededById() == null) {
            return List.of();
        }
        Adapter adapter = registry.findAdapter(adapterName).orElse(null);
        if (adapter == null) {
            return List.of();
        }
        LOG.infof("%s@%d was promoted onto %s@%s, which is superseded: moving it on", adapterName, version,
                base.name(), base.revision());
        return plan(List.of(adapter), base.id(), base.supersededById(), TransferOptions.DEFAULTS,
                "promoted:" + eventId, "transfer-service");
    }

    /**
     * Plans the move of the given adapters' served versions that sit on their current base to {@code targetBase}
     * (id or reference). {@code requestKey} makes a repeat return the same jobs; null plans afresh each time.
     */
    public List<PlanOutcome> planOnDemand(List<Adapter> adapters, String targetBase, TransferOptions options,
                                          String requestKey, String actor) {
        BaseModel target = registry.findBaseModel(targetBase).orElseThrow(() ->
                new NotFoundException("Base model " + targetBase + " does not exist"));
        List<PlanOutcome> outcomes = new ArrayList<>();
        for (Adapter adapter : adapters) {
            outcomes.addAll(plan(List.of(adapter), adapter.baseModel().id(), target.id(), options,
                    requestKey == null ? null : "request:" + requestKey, actor));
        }
        return outcomes;
    }

    private List<PlanOutcome> plan(List<Adapter> adapters, String sourceBaseId, String targetBaseId,
                                   TransferOptions options, String keyPrefix, String actor) {
        List<Candidate> candidates = new ArrayList<>();
        for (Adapter adapter : adapters) {
            candidates.addAll(servedVersionsOn(adapter, sourceBaseId));
        }
        candidates.sort(Comparator.comparingInt(Candidate::priority).thenComparing(Candidate::adapter)
                .thenComparingInt(Candidate::version));
        List<PlanOutcome> outcomes = new ArrayList<>();
        for (Candidate candidate : candidates) {
            Optional<Job> live = liveTransferOf(candidate, targetBaseId);
            if (live.isPresent()) {
                // Another event or request is already moving this version there: one such transfer at a time.
                outcomes.add(new PlanOutcome(candidate.reference(), live.get(), null));
                LOG.infof("transfer %s of %s is still %s; nothing new planned", live.get().id(),
                        candidate.reference(), live.get().state());
                continue;
            }
            String key = keyPrefix == null ? null : key(keyPrefix, candidate.reference(), targetBaseId);
            try {
                Job job = registry.submitTransfer(candidate.reference(), targetBaseId, options, key, actor);
                outcomes.add(new PlanOutcome(candidate.reference(), job, null));
                LOG.infof("planned transfer %s of %s (aliases %s) to base %s", job.id(), candidate.reference(),
                        candidate.aliases(), targetBaseId);
            } catch (RegistryRejectedException e) {
                // The registry says why (no kit and other shapes, a retired target, ...): reported, not retried.
                outcomes.add(new PlanOutcome(candidate.reference(), null, e.getMessage()));
                LOG.warnf("transfer of %s to base %s refused: %s", candidate.reference(), targetBaseId,
                        e.getMessage());
            }
        }
        return outcomes;
    }

    /** A transfer of this version to this base that has not ended yet. */
    private Optional<Job> liveTransferOf(Candidate candidate, String targetBaseId) {
        List<Job> transfers = registry.listTrainingJobs("TRANSFER", null, candidate.adapter(), 0, 100).items();
        return transfers.stream()
                .filter(j -> LIVE.contains(j.state()))
                .filter(j -> j.transfer() != null && j.transfer().sourceVersion().version() == candidate.version())
                .filter(j -> targetBaseId.equals(j.baseModel().id()))
                .findFirst();
    }

    /** The adapter's versions that some alias serves and that sit on {@code baseId}, with their aliases. */
    private List<Candidate> servedVersionsOn(Adapter adapter, String baseId) {
        Map<Integer, List<String>> aliasesByVersion = new TreeMap<>();
        if (adapter.aliases() != null) {
            adapter.aliases().forEach((alias, version) ->
                    aliasesByVersion.computeIfAbsent(version, v -> new ArrayList<>()).add(alias));
        }
        List<Candidate> candidates = new ArrayList<>();
        for (Map.Entry<Integer, List<String>> entry : aliasesByVersion.entrySet()) {
            AdapterVersion version = registry.findVersion(adapter.name(), String.valueOf(entry.getKey()))
                    .orElse(null);
            if (version == null || version.base() == null || !baseId.equals(version.base().id())) {
                continue;
            }
            List<String> aliases = entry.getValue().stream().sorted().toList();
            candidates.add(new Candidate(adapter.name(), entry.getKey(), aliases, priority(aliases)));
        }
        return candidates;
    }

    private int priority(List<String> aliases) {
        List<String> order = config.priorityAliases();
        return aliases.stream().mapToInt(order::indexOf).filter(i -> i >= 0).min().orElse(order.size());
    }

    /** Short and deterministic: the registry's idempotency keys are at most 128 characters. */
    static String key(String prefix, String reference, String targetBaseId) {
        String material = prefix + "|" + reference + "|" + targetBaseId;
        return "transfer:" + Sha256.hex(material.getBytes(StandardCharsets.UTF_8)).substring(0, 48);
    }
}
