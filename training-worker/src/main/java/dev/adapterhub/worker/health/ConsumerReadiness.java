package dev.adapterhub.worker.health;

import dev.adapterhub.worker.dispatch.DispatchConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the dispatch consumer runs; reports whether a job is training. */
@Readiness
@ApplicationScoped
public class ConsumerReadiness implements HealthCheck {

    private final DispatchConsumer consumer;

    public ConsumerReadiness(DispatchConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("dispatch-consumer")
                .status(consumer.isRunning())
                .withData("busy", consumer.isBusy())
                .build();
    }
}
