package dev.adapterhub.engine.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adapterhub.engine.serve.AdmissionPolicy.Admission;
import dev.adapterhub.engine.serve.AdmissionPolicy.Fusion;
import dev.adapterhub.engine.serve.AdmissionPolicy.FusionAction;
import dev.adapterhub.engine.serve.AdmissionPolicy.Queued;
import dev.adapterhub.engine.serve.AdmissionPolicy.Use;
import dev.adapterhub.engine.serve.AdmissionPolicy.Weights;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scheduler's decisions over plain values: no model, no tensors. */
class AdmissionPolicyTest {

    private static final long MS = 1_000_000L;
    private static final Use BASE = Use.BASE;
    private static final Use LORA_A = Use.lora("a");
    private static final Use LORA_B = Use.lora("b");
    private static final Use SHIRA_S = Use.shira("s");
    private static final Use SHIRA_T = Use.shira("t");
    private static final Weights FUSED_S = new Weights(SchedulerPhase.SHIRA, "s");
    private static final Weights MERGED_A = new Weights(SchedulerPhase.LORA_MERGED, "a");

    private static final ServingSettings SETTINGS = ServingSettings.defaults().withMaxBatchRows(4)
            .withMaxPrefillRows(2).withPhaseQuantum(Duration.ofMillis(100)).withLoraFusion(LoraFusion.AUTO)
            .withFuseMinRequests(3);

    private final AdmissionPolicy policy = new AdmissionPolicy(SETTINGS);

    private static Queued queued(Use use, long submittedMillis) {
        return new Queued(use, submittedMillis * MS);
    }

    @Test
    void cancelledWinsOverTimeoutAndTheDeadlineItselfHasPassed() {
        assertEquals(ServeFinishReason.CANCELLED, AdmissionPolicy.expiry(true, 10, 20));
        assertEquals(ServeFinishReason.CANCELLED, AdmissionPolicy.expiry(true, 30, 20));
        assertEquals(ServeFinishReason.TIMEOUT, AdmissionPolicy.expiry(false, 20, 20));
        assertEquals(ServeFinishReason.TIMEOUT, AdmissionPolicy.expiry(false, 10, 20));
        assertNull(AdmissionPolicy.expiry(false, 21, 20));
        // System.nanoTime() may be negative or wrap: compare by difference
        assertNull(AdmissionPolicy.expiry(false, Long.MIN_VALUE + 5, Long.MAX_VALUE));
    }

    @Test
    void baseAndLoraRowsShareTheBaseWeightsAShiraOnlyItsOwnFusion() {
        assertTrue(AdmissionPolicy.eligible(BASE, Weights.MIXED));
        assertTrue(AdmissionPolicy.eligible(LORA_A, Weights.MIXED));
        assertFalse(AdmissionPolicy.eligible(SHIRA_S, Weights.MIXED));
        assertTrue(AdmissionPolicy.eligible(LORA_B, MERGED_A));
        assertTrue(AdmissionPolicy.eligible(BASE, MERGED_A));
        assertFalse(AdmissionPolicy.eligible(SHIRA_S, MERGED_A));
        assertTrue(AdmissionPolicy.eligible(SHIRA_S, FUSED_S));
        assertFalse(AdmissionPolicy.eligible(SHIRA_T, FUSED_S));
        assertFalse(AdmissionPolicy.eligible(BASE, FUSED_S));
        assertFalse(AdmissionPolicy.eligible(LORA_A, FUSED_S));
    }

    @Test
    void admitsEligibleRequestsInQueueOrderUpToThePrefillAndBatchRoom() {
        List<Queued> q = List.of(queued(LORA_A, 0), queued(SHIRA_S, 1), queued(BASE, 2), queued(LORA_B, 3));
        Admission a = policy.admit(q, Weights.MIXED, 0, 50 * MS);
        assertFalse(a.draining());
        assertEquals(-1, a.switchFor());
        assertEquals(List.of(0, 2), a.admitted()); // prefill room 2

        Admission full = policy.admit(q, Weights.MIXED, 3, 50 * MS);
        assertEquals(List.of(0), full.admitted()); // batch room 4 - 3
        assertEquals(Admission.NONE, policy.admit(q, Weights.MIXED, 4, 50 * MS));
        assertEquals(Admission.NONE, policy.admit(List.of(), Weights.MIXED, 0, 50 * MS));
    }

    @Test
    void anIneligibleRequestWaitsOneQuantumWhileOthersAreServed() {
        List<Queued> q = List.of(queued(SHIRA_S, 0), queued(LORA_A, 10));
        assertEquals(List.of(1), policy.admit(q, Weights.MIXED, 1, 99 * MS).admitted());
        // after a quantum the phase drains: nothing more is admitted while rows run
        Admission drain = policy.admit(q, Weights.MIXED, 1, 100 * MS);
        assertTrue(drain.draining());
        assertEquals(-1, drain.switchFor());
        assertTrue(drain.admitted().isEmpty());
        // once drained, switch for the oldest waiting request and admit what the new weights serve
        Admission switched = policy.admit(q, Weights.MIXED, 0, 100 * MS);
        assertEquals(0, switched.switchFor());
        assertEquals(List.of(0), switched.admitted());
    }

    @Test
    void withNothingEligibleTheSwitchHappensAtOnceWhenNoRowRuns() {
        List<Queued> q = List.of(queued(SHIRA_T, 5), queued(BASE, 6), queued(SHIRA_T, 7));
        Admission a = policy.admit(q, FUSED_S, 0, 6 * MS);
        assertEquals(0, a.switchFor());
        assertEquals(List.of(0, 2), a.admitted());
        assertTrue(policy.admit(q, FUSED_S, 2, 6 * MS).draining());

        // back from a SHiRA to the base for base/LoRA requests
        Admission back = policy.admit(List.of(queued(BASE, 0), queued(LORA_A, 1)), FUSED_S, 0, 1 * MS);
        assertEquals(0, back.switchFor());
        assertEquals(List.of(0, 1), back.admitted());
    }

    @Test
    void aLoraIsMergedWhenEveryRunningAndQueuedBaseOrLoraRequestUsesIt() {
        assertEquals(Fusion.merge("a"), policy.fusion(Weights.MIXED, List.of(LORA_A, LORA_A), List.of(LORA_A)));
        // SHiRA requests in the queue do not count either way
        assertEquals(Fusion.merge("a"),
                policy.fusion(Weights.MIXED, List.of(LORA_A), List.of(SHIRA_S, LORA_A, LORA_A)));
        assertEquals(Fusion.KEEP, policy.fusion(Weights.MIXED, List.of(LORA_A, LORA_A), List.of()));
        assertEquals(Fusion.KEEP, policy.fusion(Weights.MIXED, List.of(LORA_A, LORA_A), List.of(LORA_B)));
        assertEquals(Fusion.KEEP, policy.fusion(Weights.MIXED, List.of(LORA_A, LORA_A), List.of(BASE)));
        assertEquals(Fusion.KEEP, policy.fusion(Weights.MIXED, List.of(), List.of()));
        assertEquals(Fusion.KEEP, policy.fusion(FUSED_S, List.of(LORA_A, LORA_A), List.of(LORA_A)));

        AdmissionPolicy off = new AdmissionPolicy(SETTINGS.withLoraFusion(LoraFusion.OFF));
        assertEquals(Fusion.KEEP, off.fusion(Weights.MIXED, List.of(LORA_A, LORA_A), List.of(LORA_A)));
    }

    @Test
    void aMergedLoraIsRestoredAsSoonAsAnotherBaseOrLoraRequestWaits() {
        assertEquals(Fusion.KEEP, policy.fusion(MERGED_A, List.of(LORA_A), List.of(LORA_A, SHIRA_S)));
        assertEquals(Fusion.RESTORE, policy.fusion(MERGED_A, List.of(LORA_A), List.of(LORA_A, LORA_B)));
        assertEquals(Fusion.RESTORE, policy.fusion(MERGED_A, List.of(LORA_A), List.of(BASE)));
        assertEquals(FusionAction.RESTORE, policy.fusion(MERGED_A, List.of(), List.of(BASE)).action());
    }
}
