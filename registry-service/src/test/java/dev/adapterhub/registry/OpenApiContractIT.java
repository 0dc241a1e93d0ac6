package dev.adapterhub.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.adapterhub.testsupport.BackendsTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

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
    private static final int MAX_REPORTED = 10;

    @Test
    void committedJsonIsWhatTheRegistryServes() throws IOException {
        assertCommittedCopyIsServed("json", new ObjectMapper());
    }

    @Test
    void committedYamlIsWhatTheRegistryServes() throws IOException {
        assertCommittedCopyIsServed("yaml", new ObjectMapper(new YAMLFactory()));
    }

    private static void assertCommittedCopyIsServed(String format, ObjectMapper mapper) throws IOException {
        String served = given().queryParam("format", format).get("/q/openapi")
                .then().statusCode(200).extract().asString();
        // Tests run in the module directory; the committed copy is in the sibling module.
        JsonNode committed = mapper.readTree(Path.of("..").resolve(COMMITTED + format).toFile());
        List<String> differences = new ArrayList<>();
        collectDifferences("", withoutVolatileParts(committed), withoutVolatileParts(mapper.readTree(served)),
                differences);
        assertTrue(differences.isEmpty(), "committed " + COMMITTED + format + " differs from what the registry "
                + "serves; copy " + GENERATED + format + " (written by this test run) over it. Differences: "
                + differences);
    }

    /** Server URLs are generated from the host and port the document was produced on; nothing else is ignored. */
    private static JsonNode withoutVolatileParts(JsonNode document) {
        ObjectNode copy = document.deepCopy();
        copy.remove("servers");
        return copy;
    }

    /** Object members are compared by name (their order carries no meaning), arrays element by element. */
    private static void collectDifferences(String path, JsonNode committed, JsonNode served, List<String> out) {
        if (out.size() >= MAX_REPORTED) {
            return;
        }
        if (committed.isObject() && served.isObject()) {
            Set<String> names = new TreeSet<>();
            committed.fieldNames().forEachRemaining(names::add);
            served.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String child = path + "/" + name.replace("~", "~0").replace("/", "~1");
                if (!committed.has(name)) {
                    out.add(child + " is served but not committed");
                } else if (!served.has(name)) {
                    out.add(child + " is committed but not served");
                } else {
                    collectDifferences(child, committed.get(name), served.get(name), out);
                }
            }
        } else if (committed.isArray() && served.isArray() && committed.size() == served.size()) {
            for (int i = 0; i < committed.size(); i++) {
                collectDifferences(path + "/" + i, committed.get(i), served.get(i), out);
            }
        } else if (!committed.equals(served)) {
            out.add(path + ": committed " + shorten(committed) + ", served " + shorten(served));
        }
    }

    private static String shorten(JsonNode node) {
        String text = node.toString();
        return text.length() <= 200 ? text : text.substring(0, 197) + "...";
    }
}
