package dev.adapterhub.registry.version.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/** A recorded evaluation result. */
@Schema(name = "Metric")
public record MetricDto(UUID id, String name, double value, String split, Long step, Instant recordedAt) {
}
