package dev.adapterhub.registry.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import jakarta.persistence.Entity;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of the registry (issue 9), checked on the compiled main classes. Plain JUnit on purpose: no
 * application start, so a broken boundary fails in seconds.
 *
 * <p>Features are packages by feature with layers inside (dto, entity, repository, resource, service). Features
 * sit on each other in this order, each calling only the services below it: team, basemodel and dataset, adapter,
 * version, alias, evaluationset, transferkit, job, webhook. Where a lower feature needs an answer only a higher one has (an adapter's aliases, the
 * version an alias points at), it declares a small interface in its service package and the higher feature
 * implements it.
 */
class RegistryArchitectureTest {

    private static final String ROOT = "dev.adapterhub.registry";
    private static final List<String> FEATURES = List.of("adapter", "alias", "basemodel", "dataset", "evaluationset", "job",
            "team", "transferkit", "version", "webhook");
    private static final List<String> INFRASTRUCTURE =
            List.of("common", "config", "error", "events", "security", "storage", "validation");

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void everyTopLevelPackageIsAFeatureOrInfrastructure() {
        Set<String> found = new TreeSet<>();
        for (JavaClass type : CLASSES) {
            String rest = type.getPackageName().substring(ROOT.length());
            if (rest.startsWith(".")) {
                found.add(rest.substring(1).split("\\.")[0]);
            }
        }
        Set<String> known = new TreeSet<>(FEATURES);
        known.addAll(INFRASTRUCTURE);
        assertEquals(known, found, "a new top-level package under " + ROOT + " must be added to FEATURES or "
                + "INFRASTRUCTURE of this test, so the package rules cover it");
    }

    @Test
    void featuresNeverUseOtherFeaturesRepositoriesOrEntities() {
        List<ArchRule> rules = new ArrayList<>();
        for (String feature : FEATURES) {
            String[] forbidden = FEATURES.stream()
                    .filter(other -> !other.equals(feature))
                    .flatMap(other -> Stream.of(ROOT + "." + other + ".repository..", ROOT + "." + other + ".entity.."))
                    .toArray(String[]::new);
            rules.add(noClasses().that().resideInAPackage(ROOT + "." + feature + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                    .as("feature '" + feature + "' never uses another feature's repository or entity classes"));
        }
        CompositeArchRule.of(rules)
                .as("a feature never uses another feature's repository or entity classes")
                .because("features call each other's services; data crosses a feature boundary as records and "
                        + "DTOs the owning feature's service returns, never as entities")
                .check(CLASSES);
    }

    @Test
    void topLevelPackagesAreFreeOfCycles() {
        slices().matching(ROOT + ".(*)..").namingSlices("$1")
                .should().beFreeOfCycles()
                .as("the registry's top-level packages (features and infrastructure) are free of cycles")
                .because("a cycle means neither package can change or be understood without the other; break it "
                        + "by moving the shared type down or by an interface in the lower package")
                .check(CLASSES);
    }

    @Test
    void infrastructureNeverDependsOnFeatures() {
        noClasses().that().resideInAnyPackage(packages(INFRASTRUCTURE))
                .should().dependOnClassesThat().resideInAnyPackage(packages(FEATURES))
                .as("infrastructure packages (" + String.join(", ", INFRASTRUCTURE) + ") never depend on "
                        + "feature packages")
                .because("every feature builds on them; a type both need belongs in the infrastructure package")
                .check(CLASSES);
    }

    @Test
    void resourcesNeverUseRepositories() {
        noClasses().that().resideInAPackage(ROOT + "..resource..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + "..repository..")
                .as("REST resources never use repositories")
                .because("resources call their feature's service, which owns transactions and rules")
                .check(CLASSES);
    }

    @Test
    void entitiesNeverReachTheWire() {
        noClasses().that().resideInAnyPackage(ROOT + "..resource..", ROOT + "..dto..")
                .should().dependOnClassesThat().areAnnotatedWith(Entity.class)
                .as("resources and DTOs never use JPA entities")
                .because("entities are never on the wire: the API is the DTOs, so the tables can change without "
                        + "changing the contract")
                .check(CLASSES);
    }

    private static String[] packages(List<String> names) {
        return names.stream().map(name -> ROOT + "." + name + "..").toArray(String[]::new);
    }
}
