package dev.adapterhub.registry;

import dev.adapterhub.registry.storage.ObjectStorage;
import dev.adapterhub.registry.support.Api;
import dev.adapterhub.registry.support.State;
import dev.adapterhub.testsupport.BackendsTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Adapter creation rules; every rejected request leaves no row and no event. */
@QuarkusTest
@WithTestResource(value = BackendsTestResource.class, scope = TestResourceScope.GLOBAL)
class AdapterIT {

    @Inject
    DataSource dataSource;

    @Inject
    ObjectStorage storage;

    @Test
    void invalidAdaptersAreRejected() {
        String base = Api.registerTinyBase();
        String taken = Api.createAdapter(base, "LORA");
        State before = State.take(dataSource, storage);

        Api.assertProblem(Api.createAdapter(taken, "team-a", base, "LORA", List.of()), 409);
        Api.assertProblem(Api.createAdapter(Api.unique("a"), "team-a", Api.unique("nobase"), "LORA", List.of()), 404);
        Api.assertProblem(Api.createAdapter(Api.unique("a"), "team-a", base + "-x", "LORA", List.of()), 404);
        Api.assertProblem(Api.createAdapter("has@at", "team-a", base, "LORA", List.of()), 400);
        Api.assertProblem(Api.createAdapter(Api.unique("a"), "", base, "LORA", List.of()), 400);
        Api.assertProblem(Api.createAdapter(Api.unique("a"), "team-a", base, "LORA", List.of("Bad Tag")), 400);
        Api.assertProblem(Api.createAdapter(Api.unique("a"), "team-a", "", "LORA", List.of()), 400);
        Api.assertProblem(given().contentType(ContentType.JSON)
                .body(Map.of("name", Api.unique("a"), "team", "t", "baseModel", base)).post("/api/v1/adapters"), 400);
        Api.assertProblem(Api.createAdapter(Api.unique("a"), "team-a", base, "DORA", List.of()), 400)
                .then().body("detail", containsString("method"));
        Api.assertProblem(given().contentType(ContentType.JSON).body("{\"name\": \"x\", ")
                .post("/api/v1/adapters"), 400);
        Api.assertProblem(given().contentType(ContentType.JSON).body("").post("/api/v1/adapters"), 400);
        Api.assertProblem(given().contentType(ContentType.JSON).body("[1,2]").post("/api/v1/adapters"), 400);
        assertEquals(before, State.take(dataSource, storage));
    }

    @Test
    void getReturnsTheAdapterWithoutVersions() {
        String base = Api.registerTinyBase();
        String name = Api.unique("adapter");
        given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "team", "ml-platform", "baseModel", base, "method", "SHIRA"))
                .post("/api/v1/adapters").then().statusCode(201)
                .header("Location", containsString("/api/v1/adapters/" + name));
        given().get("/api/v1/adapters/" + name).then().statusCode(200)
                .body("method", equalTo("SHIRA")).body("peftType", equalTo("SHIRA"))
                .body("latestVersion", nullValue()).body("createdBy", equalTo(Api.ADMIN))
                .body("tags", equalTo(List.of())).body("aliases", equalTo(Map.of()));
        Api.assertProblem(given().get("/api/v1/adapters/" + Api.unique("none")), 404);
        Api.assertProblem(given().get("/api/v1/adapters/" + name + "/versions/1"), 404);
        Api.assertProblem(given().get("/api/v1/adapters/" + name + "/versions/latest"), 404);
    }
}
