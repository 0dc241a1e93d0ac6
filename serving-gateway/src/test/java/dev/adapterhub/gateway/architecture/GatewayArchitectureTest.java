package dev.adapterhub.gateway.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.adapterhub.gateway.inference.ServingEngineBackend;
import org.junit.jupiter.api.Test;

/**
 * The gateway reaches adapter-engine (and DJL under it) through one bridge package, {@code gateway.inference}; HTTP,
 * registry, cache, metrics and serving code stay engine-free, so the engine can change behind one small surface.
 */
class GatewayArchitectureTest {

    private static final String BRIDGE = "dev.adapterhub.gateway.inference..";

    private static final JavaClasses GATEWAY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.adapterhub.gateway");

    @Test
    void onlyTheInferencePackageUsesTheEngineOrDjl() {
        noClasses().that().resideOutsideOfPackage(BRIDGE)
                .should().dependOnClassesThat().resideInAnyPackage("dev.adapterhub.engine..", "ai.djl..")
                .because("the gateway's only bridge to adapter-engine and DJL is dev.adapterhub.gateway.inference "
                        + "(ServingEngineBackend, EngineErrors); put new engine use there, behind ModelEngine")
                .check(GATEWAY);
    }

    @Test
    void theRuleSeesTheBridgesOwnEngineUse() {
        // guards the rule above against passing vacuously (nothing imported, or the engine invisible)
        assertTrue(GATEWAY.get(ServingEngineBackend.class).getDirectDependenciesFromSelf().stream()
                .anyMatch(d -> d.getTargetClass().getPackageName().startsWith("dev.adapterhub.engine.")));
    }
}
