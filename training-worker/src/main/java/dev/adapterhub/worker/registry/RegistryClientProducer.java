package dev.adapterhub.worker.registry;

import dev.adapterhub.registry.client.RegistryClient;
import dev.adapterhub.registry.client.RetryPolicy;
import dev.adapterhub.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;

/** The worker's one registry client (the lease protocol of ADR 0005), configured from {@link WorkerConfig}. */
@ApplicationScoped
public class RegistryClientProducer {

    /**
     * Tries of a call the client repeats, waiting from a quarter of {@code retry-backoff} up to all of it. Of the
     * worker's calls only {@code complete} is repeated (it is idempotent by job id); a claim the registry did not
     * answer is retried through its dispatch record, a heartbeat by the lease timer's next one.
     */
    static final int ATTEMPTS = 5;

    @Produces
    @Singleton
    RegistryClient registryClient(WorkerConfig config) {
        return RegistryClient.builder()
                .setUrl(config.registryUrl())
                .optApiKey(config.registryApiKey().orElse(null))
                .optTimeout(config.registryTimeout())
                .optConnectTimeout(Duration.ofSeconds(10))
                .optRetry(new RetryPolicy(ATTEMPTS, config.retryBackoff().dividedBy(4), config.retryBackoff()))
                .build();
    }
}
