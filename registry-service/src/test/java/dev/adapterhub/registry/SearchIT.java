package dev.adapterhub.registry;

import dev.adapterhub.registry.support.Api;
import dev.adapterhub.registry.support.Fixtures;
import dev.adapterhub.testsupport.BackendsTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** Search by base model, method, team, tag and alias, with stable paging. */
@QuarkusTest
@WithTestResource(value = BackendsTestResource.class, scope = TestResourceScope.GLOBAL)
class SearchIT {

    @Test
    void filtersCombineAndPagesAreStable() {
        String base = Api.registerTinyBase();
        String baseName = base.substring(0, base.indexOf('@'));
        Api.registerBase(baseName, "v2", Api.tinyCheckpoint()).then().statusCode(201);
        String team = Api.unique("team");
        String tag = Api.unique("tag");
        Api.createAdapter("c-" + team, team, base, "LORA", List.of(tag, "shared")).then().statusCode(201);
        Api.createAdapter("a-" + team, team, base, "SHIRA", List.of(tag)).then().statusCode(201);
        Api.createAdapter("b-" + team, team, baseName + "@v2", "LORA", List.of("other")).then().statusCode(201);
        Api.uploadVersion("c-" + team, Fixtures.lora(4, 90)).then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("version", "1"))
                .put("/api/v1/adapters/c-" + team + "/aliases/production").then().statusCode(201);

        given().get("/api/v1/adapters?team=" + team).then().statusCode(200)
                .body("total", equalTo(3))
                .body("items.name", equalTo(List.of("a-" + team, "b-" + team, "c-" + team)));
        given().get("/api/v1/adapters?team=" + team + "&size=2&page=1").then()
                .body("total", equalTo(3)).body("page", equalTo(1)).body("size", equalTo(2))
                .body("items.name", equalTo(List.of("c-" + team)));
        given().get("/api/v1/adapters?team=" + team + "&method=lora").then()
                .body("items.name", equalTo(List.of("b-" + team, "c-" + team)));
        given().get("/api/v1/adapters?tag=" + tag).then()
                .body("items.name", equalTo(List.of("a-" + team, "c-" + team)));
        given().get("/api/v1/adapters?team=" + team + "&tag=" + tag + "&method=SHIRA").then()
                .body("items.name", equalTo(List.of("a-" + team)));
        given().get("/api/v1/adapters?baseModel=" + baseName).then().body("total", equalTo(3));
        given().get("/api/v1/adapters?baseModel=" + base).then()
                .body("items.name", equalTo(List.of("a-" + team, "c-" + team)));
        given().get("/api/v1/adapters?baseModel=" + baseName + "@v2").then()
                .body("items.name", equalTo(List.of("b-" + team)));
        given().get("/api/v1/adapters?team=" + team + "&alias=production").then()
                .body("items.name", equalTo(List.of("c-" + team)))
                .body("items[0].aliases.production", equalTo(1));
        given().get("/api/v1/adapters?baseModel=" + Api.unique("nobase")).then()
                .body("total", equalTo(0)).body("items", hasSize(0));
        Api.assertProblem(given().get("/api/v1/adapters?method=DORA"), 400);
        Api.assertProblem(given().get("/api/v1/adapters?page=-1"), 400);
        Api.assertProblem(given().get("/api/v1/adapters?size=1000"), 400);
        Api.assertProblem(given().get("/api/v1/adapters?baseModel=" + baseName + "@v9"), 404);
    }
}
