package dev.adapterhub.registry.storage;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import jakarta.enterprise.context.ApplicationScoped;

/** Ready only when the bucket exists (it is created here when startup could not). */
@Readiness
@ApplicationScoped
public class ObjectStorageHealthCheck implements HealthCheck {

    private final ObjectStorage storage;

    public ObjectStorageHealthCheck(ObjectStorage storage) {
        this.storage = storage;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            storage.ensureBucket();
            return HealthCheckResponse.named("object-storage").up().withData("bucket", storage.bucket()).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("object-storage").down().withData("bucket", storage.bucket()).build();
        }
    }
}
