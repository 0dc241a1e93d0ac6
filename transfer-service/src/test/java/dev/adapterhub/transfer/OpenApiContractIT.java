package dev.adapterhub.transfer;

import dev.adapterhub.testsupport.OpenApiDocuments;
import dev.adapterhub.testsupport.RegistryStackTestResource;
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
 * The transfer service's OpenAPI document committed in {@code schemas} is its published contract; this test fails
 * when the committed copy no longer says what the running service serves.
 */
@QuarkusTest
@WithTestResource(value = RegistryStackTestResource.class, scope = TestResourceScope.GLOBAL)
class OpenApiContractIT {

    private static final String COMMITTED = "schemas/src/main/resources/openapi/transfer-service.";
    private static final String GENERATED = "transfer-service/target/openapi/transfer-service.";

    @Test
    void committedJsonIsWhatTheServiceServes() throws IOException {
        assertCommittedCopyIsServed("json");
    }

    @Test
    void committedYamlIsWhatTheServiceServes() throws IOException {
        assertCommittedCopyIsServed("yaml");
    }

    private static void assertCommittedCopyIsServed(String format) throws IOException {
        String served = given().queryParam("format", format).get("/q/openapi").then().statusCode(200).extract()
                .asString();
        List<String> differences = OpenApiDocuments.differences(format, Path.of("..").resolve(COMMITTED + format),
                served);
        assertTrue(differences.isEmpty(), "committed " + COMMITTED + format + " differs from what the service "
                + "serves; copy " + GENERATED + format + " (written by this test run) over it. Differences: "
                + differences);
    }
}
