package dev.adapterhub.gateway.registry;

import dev.adapterhub.gateway.config.GatewayConfig;
import dev.adapterhub.registry.client.RegistryClient;
import dev.adapterhub.registry.client.RetryPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The gateway's one registry client (read-only: the gateway never changes the registry). */
@ApplicationScoped
public class RegistryClientProducer {

    @Produces
    @Singleton
    RegistryClient registryClient(GatewayConfig config) {
        return RegistryClient.builder()
                .setUrl(config.registryUrl())
                .optApiKey(config.registryApiKey().orElse(null))
                .optTimeout(config.registryTimeout())
                .optConnectTimeout(config.registryTimeout())
                .optRetry(RetryPolicy.defaults())
                .build();
    }
}
