package dev.adapterhub.registry.version.service;

import dev.adapterhub.registry.config.RegistryConfig;
import dev.adapterhub.registry.error.InvalidRequestException;
import dev.adapterhub.registry.version.dto.MetricDto;
import dev.adapterhub.registry.version.dto.MetricInput;
import dev.adapterhub.registry.version.entity.VersionMetric;
import dev.adapterhub.registry.version.repository.VersionMetricRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** Evaluation results attached to a version. */
@ApplicationScoped
public class MetricService {

    static final Pattern METRIC_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:-]{0,127}");
    static final Pattern SPLIT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final VersionResolver resolver;
    private final VersionMetricRepository metrics;
    private final RegistryConfig config;

    public MetricService(VersionResolver resolver, VersionMetricRepository metrics, RegistryConfig config) {
        this.resolver = resolver;
        this.metrics = metrics;
        this.config = config;
    }

    @Transactional
    public List<MetricDto> add(String ref, List<MetricInput> inputs) {
        if (inputs == null || inputs.isEmpty()) {
            throw new InvalidRequestException("send a non-empty JSON array of metrics");
        }
        if (inputs.size() > config.limits().maxMetricsPerRequest()) {
            throw new InvalidRequestException("at most " + config.limits().maxMetricsPerRequest()
                    + " metrics per request");
        }
        for (int i = 0; i < inputs.size(); i++) {
            check(i, inputs.get(i));
        }
        UUID versionId = resolver.resolve(ref).version().id;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (MetricInput input : inputs) {
            VersionMetric metric = new VersionMetric();
            metric.id = UUID.randomUUID();
            metric.versionId = versionId;
            metric.name = input.name();
            metric.value = input.value();
            metric.split = input.split();
            metric.step = input.step();
            metric.recordedAt = now;
            metrics.persist(metric);
        }
        return list(versionId);
    }

    @Transactional
    public List<MetricDto> list(String ref) {
        return list(resolver.resolve(ref).version().id);
    }

    private List<MetricDto> list(UUID versionId) {
        return metrics.findByVersion(versionId).stream()
                .map(m -> new MetricDto(m.id, m.name, m.value, m.split, m.step, m.recordedAt))
                .toList();
    }

    private static void check(int index, MetricInput input) {
        String where = "metrics[" + index + "]";
        if (input == null) {
            throw new InvalidRequestException(where + " must be an object");
        }
        if (input.name() == null || !METRIC_NAME.matcher(input.name()).matches()) {
            throw new InvalidRequestException(where + ".name must match " + METRIC_NAME.pattern());
        }
        if (input.value() == null || !Double.isFinite(input.value())) {
            throw new InvalidRequestException(where + ".value must be a finite number");
        }
        if (input.split() != null && !SPLIT.matcher(input.split()).matches()) {
            throw new InvalidRequestException(where + ".split must match " + SPLIT.pattern());
        }
        if (input.step() != null && input.step() < 0) {
            throw new InvalidRequestException(where + ".step must be >= 0");
        }
    }
}
