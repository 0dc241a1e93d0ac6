package dev.adapterhub.registry.job.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.Map;

/** One entry of a job's event log (like OpenAI's fine-tuning job events). */
@Schema(name = "TrainingJobEvent")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobEventDto(
        @Schema(description = "Increasing cursor; pass it as after= to read only newer events") long seq,
        Instant createdAt,
        @Schema(enumeration = {"INFO", "WARN", "ERROR"}) String level,
        @Schema(enumeration = {"MESSAGE", "METRICS"}) String kind,
        String message,
        @Schema(description = "Metric name to value (kind METRICS)") Map<String, Double> metrics) {
}
