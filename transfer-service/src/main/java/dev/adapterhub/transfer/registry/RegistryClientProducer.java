package dev.adapterhub.transfer.registry;

import dev.adapterhub.registry.client.RegistryClient;
import dev.adapterhub.transfer.config.TransferConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The one registry client of the service. */
@ApplicationScoped
public class RegistryClientProducer {

    @Produces
    @ApplicationScoped
    RegistryClient registryClient(TransferConfig config) {
        return RegistryClient.builder().setUrl(config.registryUrl()).optTimeout(config.registryTimeout())
                .optApiKey(config.registryApiKey().orElse(null)).build();
    }
}
