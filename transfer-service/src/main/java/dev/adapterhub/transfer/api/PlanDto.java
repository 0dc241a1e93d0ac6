package dev.adapterhub.transfer.api;

import dev.adapterhub.transfer.plan.PlanOutcome;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** What a plan request produced: a transfer per served version, or why the registry refused it. */
@Schema(name = "TransferPlan")
public record PlanDto(List<TransferDto> planned, List<Refusal> refused) {

    /** A version that cannot be moved, and the registry's reason. */
    @Schema(name = "RefusedTransfer")
    public record Refusal(String sourceVersion, String reason) {
    }

    public static PlanDto of(List<PlanOutcome> outcomes) {
        return new PlanDto(outcomes.stream().filter(o -> o.transfer() != null).map(o -> TransferDto.of(o.transfer())).toList(),
                outcomes.stream().filter(o -> o.transfer() == null)
                        .map(o -> new Refusal(o.sourceVersion(), o.refused())).toList());
    }
}
