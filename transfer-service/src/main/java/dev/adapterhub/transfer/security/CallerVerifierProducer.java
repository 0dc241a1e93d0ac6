package dev.adapterhub.transfer.security;

import dev.adapterhub.registry.client.CallerVerifier;
import dev.adapterhub.registry.client.RegistryClient;
import dev.adapterhub.transfer.config.TransferConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

@ApplicationScoped
public class CallerVerifierProducer {

    @Produces
    @ApplicationScoped
    CallerVerifier callerVerifier(RegistryClient registry, TransferConfig config) {
        return new CallerVerifier(registry, config.callerCacheTtl());
    }
}
