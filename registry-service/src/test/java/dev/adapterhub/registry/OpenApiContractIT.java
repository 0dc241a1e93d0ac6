package dev.adapterhub.registry;

import dev.adapterhub.testsupport.BackendsTestResource;
import dev.adapterhub.testsupport.OpenApiDocuments;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document committed in {@code schemas} is the registry's published contract: clients and other
 * modules' tests read it. The build writes the document only into {@code target/openapi}; this test fails when
 * the committed copy no longer says what the running registry serves.
 */
@QuarkusTest
@WithTestResource(value = BackendsTestResource.class, scope = TestResourceScope.GLOBAL)
class OpenApiContractIT {

    private static final String COMMITTED = "schemas/src/main/resources/openapi/registry-service.";
    private static final String GENERATED = "registry-service/target/openapi/registry-service.";

    @Test
    void committedJsonIsWhatTheRegistryServes() throws IOException {
        assertCommittedCopyIsServed("json");
    }

    @Test
    void committedYamlIsWhatTheRegistryServes() throws IOException {
        assertCommittedCopyIsServed("yaml");
    }

    private static void assertCommittedCopyIsServed(String format) throws IOException {
        String served = given().queryParam("format", format).get("/q/openapi")
                .then().statusCode(200).extract().asString();
        // Tests run in the module directory; the committed copy is in the sibling module.
        List<String> differences = OpenApiDocuments.differences(format, Path.of("..").resolve(COMMITTED + format),
                served);
        assertTrue(differences.isEmpty(), "committed " + COMMITTED + format + " differs from what the registry "
                + "serves; copy " + GENERATED + format + " (written by this test run) over it. Differences: "
                + differences);
    }
}
