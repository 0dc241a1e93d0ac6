package dev.adapterhub.gateway;

import dev.adapterhub.gateway.cache.AdapterIncompatibleException;
import dev.adapterhub.gateway.error.ApiError;
import dev.adapterhub.gateway.resolve.ModelResolver;
import dev.adapterhub.gateway.resolve.ServedModel;
import dev.adapterhub.gateway.serving.AdapterManager;
import dev.adapterhub.gateway.serving.BaseModelEngines;
import dev.adapterhub.gateway.serving.ErrorMapping;
import dev.adapterhub.gateway.support.World;
import dev.adapterhub.registry.client.RegistryClient;
import dev.adapterhub.registry.client.model.AdapterVersion;
import dev.adapterhub.registry.client.model.BaseModelRef;
import dev.adapterhub.testsupport.RegistryStackTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compatibility check runs before an adapter is ever used. The registry only accepts adapters that fit their
 * base, so the mismatches are made here: real files of an adapter for another (narrower) base model, once with
 * their true lineage and once with a lineage forged to claim the served base model.
 */
@QuarkusTest
@WithTestResource(value = RegistryStackTestResource.class, scope = TestResourceScope.GLOBAL)
class CompatibilityIT {

    @Inject
    ModelResolver resolver;
    @Inject
    RegistryClient registry;
    @Inject
    BaseModelEngines engines;
    @Inject
    AdapterManager adapters;

    @Test
    void anAdapterThatDoesNotFitIsAnErrorAndIsNeverLoaded() {
        World.get();
        ServedModel base = resolver.resolve(World.BASE);
        AdapterVersion foreign = registry.resolve(World.FOREIGN + "@1").orElseThrow();
        AdapterVersion forged = new AdapterVersion(foreign.id(), foreign.adapterId(), foreign.adapterName(),
                foreign.version(), foreign.digest(), foreign.status(), foreign.method(), foreign.peftType(),
                foreign.rank(), foreign.files(), new AdapterVersion.Lineage(new BaseModelRef(base.base().id(),
                base.base().name(), base.base().revision()), null, null, null, null, null, null), foreign.aliases(),
                foreign.createdBy(), foreign.createdAt());
        BaseModelEngines.Loaded loaded = engines.acquire(base.base());
        try {
            ServedModel wrongLineage = new ServedModel(base.base(), foreign, World.TEAM, false);
            AdapterIncompatibleException e = assertThrows(AdapterIncompatibleException.class,
                    () -> adapters.acquire(wrongLineage, loaded));
            assertTrue(e.getMessage().contains(World.OTHER_BASE), e.getMessage());

            ServedModel wrongShapes = new ServedModel(base.base(), forged, World.TEAM, false);
            e = assertThrows(AdapterIncompatibleException.class, () -> adapters.acquire(wrongShapes, loaded));
            assertTrue(e.getMessage().contains("does not fit base model " + base.base().ref()), e.getMessage());
            assertFalse(adapters.cache().contains(wrongShapes.cacheKey()));
            assertEquals(ApiError.ADAPTER_INCOMPATIBLE, ErrorMapping.map(e).error());
            assertEquals(422, ErrorMapping.map(e).error().status());
        } finally {
            engines.release(loaded);
        }
    }
}
