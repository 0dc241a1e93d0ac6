package dev.adapterhub.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adapterhub.registry.storage.ObjectStorage;
import dev.adapterhub.registry.support.Api;
import dev.adapterhub.registry.support.EventAssertions;
import dev.adapterhub.registry.support.Fixtures;
import dev.adapterhub.registry.support.State;
import dev.adapterhub.testsupport.BackendsTestResource;
import dev.adapterhub.testsupport.KafkaTopicProbe;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Aliases: moves, compare-and-set, audit history, resolution everywhere, and their events. */
@QuarkusTest
@WithTestResource(value = BackendsTestResource.class, scope = TestResourceScope.GLOBAL)
class AliasIT {

    @Inject
    DataSource dataSource;

    @Inject
    ObjectStorage storage;

    @Test
    void movesAreAuditedResolvedAndEmitOneEventEach() {
        String adapter = Api.createAdapter(Api.registerTinyBase(), "LORA");
        String v1Digest = Api.uploadVersion(adapter, Fixtures.lora(4, 21)).jsonPath().getString("digest");
        Response v2 = Api.uploadVersion(adapter, Fixtures.lora(4, 22));
        String adapterId = v2.jsonPath().getString("adapterId");

        try (KafkaTopicProbe probe = EventAssertions.mark(dataSource)) {
            move(adapter, "production", Map.of("version", "1"), "carol").then().statusCode(201)
                    .body("alias", equalTo("production")).body("version", equalTo(1))
                    .body("digest", equalTo(v1Digest)).body("updatedBy", equalTo(Api.ADMIN + " for carol"));
            JsonNode data = EventAssertions.assertExactlyOne(probe, dataSource,
                    "dev.adapterhub.registry.alias.moved", adapterId);
            assertEquals(1, data.get("version").asInt());
            assertFalse(data.has("previousVersion"));
            assertEquals(Api.ADMIN + " for carol", data.get("movedBy").asText());
        }
        try (KafkaTopicProbe probe = EventAssertions.mark(dataSource)) {
            // the body's actor wins over the header
            move(adapter, "production", Map.of("version", 2, "expectedVersion", 1, "actor", "dave"), null)
                    .then().statusCode(200).body("version", equalTo(2)).body("updatedBy", equalTo(Api.ADMIN + " for dave"));
            JsonNode data = EventAssertions.assertExactlyOne(probe, dataSource,
                    "dev.adapterhub.registry.alias.moved", adapterId);
            assertEquals(2, data.get("version").asInt());
            assertEquals(1, data.get("previousVersion").asInt());
        }
        try (KafkaTopicProbe probe = EventAssertions.mark(dataSource)) {
            // moving to where it already points changes nothing and emits nothing
            move(adapter, "production", Map.of("version", "2"), null).then().statusCode(200);
            EventAssertions.assertNone(probe, dataSource, adapterId);
        }
        // promotion by alias name, default actor
        move(adapter, "staging", Map.of("version", "production"), null).then().statusCode(201)
                .body("version", equalTo(2)).body("updatedBy", equalTo(Api.ADMIN));

        // compare-and-set mismatches are 409 and change nothing
        State before = State.take(dataSource, storage);
        Api.assertProblem(move(adapter, "production", Map.of("version", "1", "expectedVersion", 1), "x"), 409);
        Api.assertProblem(move(adapter, "canary", Map.of("version", "1", "expectedVersion", 2), "x"), 409);
        Api.assertProblem(move(adapter, "staging", Map.of("version", "1", "expectedVersion", 0), "x"), 409);
        Api.assertProblem(move(adapter, "production", Map.of("version", "7"), "x"), 404);
        Api.assertProblem(move(adapter, "Production!", Map.of("version", "1"), "x"), 400);
        Api.assertProblem(move(adapter, "latest", Map.of("version", "1"), "x"), 400);
        Api.assertProblem(move(adapter, "production", Map.of(), "x"), 400);
        assertEquals(before, State.take(dataSource, storage));
        move(adapter, "canary", Map.of("version", "1", "expectedVersion", 0), "x").then().statusCode(201);

        given().get("/api/v1/adapters/" + adapter + "/aliases/production/history").then().statusCode(200)
                .body("", hasSize(2))
                .body("[0].fromVersion", equalTo(1)).body("[0].toVersion", equalTo(2))
                .body("[0].movedBy", equalTo(Api.ADMIN + " for dave"))
                .body("[1].fromVersion", nullValue()).body("[1].toVersion", equalTo(1))
                .body("[1].movedBy", equalTo(Api.ADMIN + " for carol"));
        given().get("/api/v1/adapters/" + adapter + "/alias-history").then().body("", hasSize(4));
        given().get("/api/v1/adapters/" + adapter + "/aliases").then().statusCode(200)
                .body("alias", equalTo(List.of("canary", "production", "staging")));
        given().get("/api/v1/adapters/" + adapter + "/aliases/staging").then().body("version", equalTo(2));
        Api.assertProblem(given().get("/api/v1/adapters/" + adapter + "/aliases/nope"), 404);

        // the one resolver behind every endpoint
        given().get("/api/v1/resolve/" + adapter + "@production").then().statusCode(200)
                .body("version", equalTo(2)).body("aliases", equalTo(List.of("production", "staging")));
        given().get("/api/v1/resolve/" + adapter + "@1").then().body("digest", equalTo(v1Digest));
        given().get("/api/v1/resolve/" + adapter).then().body("version", equalTo(2));
        given().get("/api/v1/resolve/" + adapter + "@latest").then().body("version", equalTo(2));
        String v1Id = given().get("/api/v1/resolve/" + adapter + "@canary").then().body("version", equalTo(1))
                .extract().jsonPath().getString("id");
        given().get("/api/v1/resolve/" + v1Id).then().body("version", equalTo(1));
        given().get("/api/v1/adapters/" + adapter + "/versions/production").then().body("version", equalTo(2));
        given().get("/api/v1/adapters/" + adapter + "/versions/canary/files/adapter_config.json").then()
                .statusCode(200);
        given().get("/api/v1/adapters/" + adapter).then().body("aliases.production", equalTo(2))
                .body("aliases.canary", equalTo(1));
        Api.assertProblem(given().get("/api/v1/resolve/" + adapter + "@nope"), 404);
        Api.assertProblem(given().get("/api/v1/resolve/" + adapter + "@99"), 404);
        Api.assertProblem(given().get("/api/v1/resolve/" + Api.unique("none") + "@1"), 404);
        Api.assertProblem(given().get("/api/v1/resolve/00000000-0000-0000-0000-000000000000"), 404);
    }

    @Test
    void concurrentCompareAndSetHasExactlyOneWinner() throws Exception {
        String adapter = Api.createAdapter(Api.registerTinyBase(), "LORA");
        Api.uploadVersion(adapter, Fixtures.lora(4, 31)).then().statusCode(201);
        Api.uploadVersion(adapter, Fixtures.lora(4, 32)).then().statusCode(201);
        move(adapter, "production", Map.of("version", "1"), "ops").then().statusCode(201);

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> moves = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                moves.add(() -> move(adapter, "production", Map.of("version", "2", "expectedVersion", 1), "ops")
                        .statusCode());
            }
            Map<Integer, Integer> statuses = new HashMap<>();
            for (Future<Integer> result : pool.invokeAll(moves)) {
                statuses.merge(result.get(), 1, Integer::sum);
            }
            assertEquals(Map.of(200, 1, 409, 3), statuses);
        } finally {
            pool.shutdownNow();
        }
        given().get("/api/v1/adapters/" + adapter + "/aliases/production/history").then().body("", hasSize(2));
    }

    private static Response move(String adapter, String alias, Map<String, Object> body, String actor) {
        Map<String, Object> withActor = new java.util.LinkedHashMap<>(body);
        if (actor != null) {
            withActor.put("actor", actor);
        }
        return given().contentType(ContentType.JSON).body(withActor).put("/api/v1/adapters/" + adapter + "/aliases/" + alias);
    }
}
