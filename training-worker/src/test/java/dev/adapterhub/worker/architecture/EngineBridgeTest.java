package dev.adapterhub.worker.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** The worker reaches the engine (and DJL) through one bridge package only. */
class EngineBridgeTest {

    static final String BRIDGE = "dev.adapterhub.worker.engine..";

    @Test
    void onlyTheBridgePackageUsesTheEngine() {
        JavaClasses worker = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.adapterhub.worker");
        ArchRule rule = noClasses().that().resideOutsideOfPackage(BRIDGE)
                .should().dependOnClassesThat().resideInAnyPackage("dev.adapterhub.engine..", "ai.djl..")
                .as("only the bridge package dev.adapterhub.worker.engine may use the engine (dev.adapterhub.engine..)"
                        + " or DJL (ai.djl..)")
                .because("the worker trains through one bridge, so the rest of it (dispatch, registry, storage)"
                        + " never depends on native code or the engine's types");
        rule.check(worker);
    }
}
