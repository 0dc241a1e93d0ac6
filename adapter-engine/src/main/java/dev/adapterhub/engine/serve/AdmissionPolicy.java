package dev.adapterhub.engine.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The scheduler's decisions at a step boundary, as plain logic over plain values (no tensors): which queued or
 * running requests have expired, which queued requests the current weights can serve, when to drain and switch
 * the weights to a SHiRA (or back), which requests to admit, and when to merge or un-merge a LoRA. The
 * {@link Scheduler} applies the decisions; the policy is described in adapter-engine/DESIGN.md.
 */
final class AdmissionPolicy {

    /** What a request needs from the weights: the base model ({@code adapterKey} null), a LoRA or a SHiRA. */
    record Use(String adapterKey, boolean shira) {

        static final Use BASE = new Use(null, false);

        static Use lora(String key) {
            return new Use(Objects.requireNonNull(key), false);
        }

        static Use shira(String key) {
            return new Use(Objects.requireNonNull(key), true);
        }
    }

    /** A queued request as the policy sees it. */
    record Queued(Use use, long submittedNanos) {
    }

    /** What the base weights hold: the phase and the fused SHiRA / merged LoRA ({@code adapterKey} null in MIXED). */
    record Weights(SchedulerPhase phase, String adapterKey) {

        static final Weights MIXED = new Weights(SchedulerPhase.MIXED, null);
    }

    /**
     * An admission decision.
     *
     * @param draining  requests wait for another weight phase, so nothing is admitted until the running rows finish
     * @param switchFor index of the queued request to switch the weights for before admitting (restore the base,
     *                  then fuse its SHiRA if it has one); -1 = keep the weights as they are
     * @param admitted  indices into the queue snapshot, in queue order
     */
    record Admission(boolean draining, int switchFor, List<Integer> admitted) {

        static final Admission NONE = new Admission(false, -1, List.of());
        static final Admission DRAIN = new Admission(true, -1, List.of());
    }

    /** What to do with a merged LoRA. */
    enum FusionAction { KEEP, MERGE, RESTORE }

    /** A LoRA fusion decision; {@code adapterKey} names the LoRA to merge when the action is MERGE. */
    record Fusion(FusionAction action, String adapterKey) {

        static final Fusion KEEP = new Fusion(FusionAction.KEEP, null);
        static final Fusion RESTORE = new Fusion(FusionAction.RESTORE, null);

        static Fusion merge(String key) {
            return new Fusion(FusionAction.MERGE, key);
        }
    }

    private final ServingSettings settings;

    AdmissionPolicy(ServingSettings settings) {
        this.settings = settings;
    }

    /** Why a queued or running request ends now (CANCELLED before TIMEOUT), or null while it may go on. */
    static ServeFinishReason expiry(boolean cancelled, long deadlineNanos, long now) {
        if (cancelled) {
            return ServeFinishReason.CANCELLED;
        }
        return now - deadlineNanos >= 0 ? ServeFinishReason.TIMEOUT : null;
    }

    /**
     * Whether the weights can serve a request now: base and LoRA rows run on the plain (or LoRA-merged) base,
     * SHiRA rows only while that very SHiRA is fused.
     */
    static boolean eligible(Use use, Weights weights) {
        return switch (weights.phase()) {
            case MIXED, LORA_MERGED -> !use.shira();
            case SHIRA -> use.shira() && use.adapterKey().equals(weights.adapterKey());
        };
    }

    /**
     * Admission: eligible requests in queue order, as many as the prefill and batch limits allow. The oldest
     * ineligible request forces a switch when nothing queued is eligible, or when it has waited a phase quantum;
     * the switch waits until the running rows have finished (a drain), since their weights must not change.
     */
    Admission admit(List<Queued> queued, Weights weights, int runningRows, long now) {
        int oldestOther = -1;
        boolean anyEligible = false;
        for (int i = 0; i < queued.size(); i++) {
            if (eligible(queued.get(i).use(), weights)) {
                anyEligible = true;
            } else if (oldestOther < 0) {
                oldestOther = i;
            }
        }
        boolean drain = oldestOther >= 0 && (!anyEligible
                || now - queued.get(oldestOther).submittedNanos() >= settings.phaseQuantum().toNanos());
        int switchFor = -1;
        Weights serving = weights;
        if (drain) {
            if (runningRows > 0) {
                return Admission.DRAIN; // let the running phase finish, then switch
            }
            switchFor = oldestOther;
            Use next = queued.get(oldestOther).use();
            serving = next.shira() ? new Weights(SchedulerPhase.SHIRA, next.adapterKey()) : Weights.MIXED;
        }
        List<Integer> admitted = new ArrayList<>();
        int room = Math.min(settings.maxPrefillRows(), settings.maxBatchRows() - runningRows);
        for (int i = 0; i < queued.size() && admitted.size() < room; i++) {
            if (eligible(queued.get(i).use(), serving)) {
                admitted.add(i);
            }
        }
        return switchFor < 0 && admitted.isEmpty() ? Admission.NONE
                : new Admission(false, switchFor, List.copyOf(admitted));
    }

    /**
     * LoRA fusion ({@link LoraFusion#AUTO}) needs no drain: the merged and the unmerged forms compute the same
     * function, so running rows switch path at a step boundary. Merge when every running row and every queued
     * base/LoRA request uses one LoRA and there are at least {@code fuseMinRequests} of them; un-merge as soon as
     * a base/LoRA request for anything else waits.
     */
    Fusion fusion(Weights weights, List<Use> running, List<Use> queued) {
        if (weights.phase() == SchedulerPhase.LORA_MERGED) {
            for (Use u : queued) {
                if (!u.shira() && !Objects.equals(u.adapterKey(), weights.adapterKey())) {
                    return Fusion.RESTORE;
                }
            }
            return Fusion.KEEP;
        }
        if (settings.loraFusion() != LoraFusion.AUTO || weights.phase() != SchedulerPhase.MIXED) {
            return Fusion.KEEP;
        }
        List<Use> all = new ArrayList<>(running);
        for (Use u : queued) {
            if (!u.shira()) {
                all.add(u);
            }
        }
        String only = null;
        int count = 0;
        for (Use u : all) {
            if (u.adapterKey() == null || (only != null && !u.adapterKey().equals(only))) {
                return Fusion.KEEP;
            }
            only = u.adapterKey();
            count++;
        }
        return only != null && count >= settings.fuseMinRequests() ? Fusion.merge(only) : Fusion.KEEP;
    }
}
