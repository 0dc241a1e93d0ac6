package dev.adapterhub.transfer.events;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the supersede consumer runs. */
@Readiness
@ApplicationScoped
public class ConsumerReadiness implements HealthCheck {

    private final SupersededConsumer consumer;

    public ConsumerReadiness(SupersededConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("superseded-consumer").status(consumer.isRunning()).build();
    }
}
