package dev.adapterhub.transfer.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;
import java.util.Set;

/**
 * The part of a {@code dev.adapterhub.training.job.transfer-gated} CloudEvent the planner needs: a promotion.
 *
 * @param eventId the CloudEvent id, which keys an onward transfer
 */
record TransferGated(String eventId, String adapterName, int version) {

    static final String TYPE = "dev.adapterhub.training.job.transfer-gated";
    private static final Set<String> PROMOTIONS = Set.of("PROMOTED", "PROMOTED_BY_REVIEW");

    /** The promotion this event announces, or empty for any other event or decision. */
    static Optional<TransferGated> promotion(JsonNode event) {
        if (!TYPE.equals(event.path("type").asText())) {
            return Optional.empty();
        }
        JsonNode data = event.path("data");
        if (!PROMOTIONS.contains(data.path("decision").asText()) || !data.hasNonNull("adapterName")
                || !data.path("version").canConvertToInt() || event.path("id").asText(null) == null) {
            return Optional.empty();
        }
        return Optional.of(new TransferGated(event.path("id").asText(), data.path("adapterName").asText(),
                data.path("version").asInt()));
    }
}
