package dev.adapterhub.gateway;

import dev.adapterhub.gateway.support.Gateway;
import dev.adapterhub.gateway.support.World;
import dev.adapterhub.testsupport.RegistryStackTestResource;
import dev.adapterhub.testsupport.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every gateway endpoint called by every kind of caller (ADR 12): anonymous, an admin of another team, the owning
 * team's reader, writer and admin, a service account without the inference scope, and the platform admin. A refused
 * call leaves the adapter cache as it was (nothing is loaded for a caller who may not use the adapter).
 */
@QuarkusTest
@WithTestResource(value = RegistryStackTestResource.class, scope = TestResourceScope.GLOBAL)
class AccessMatrixIT {

    enum Caller { ANONYMOUS, OTHER_TEAM, READER, WRITER, ADMIN, SERVICE, PLATFORM_ADMIN }

    private static final Map<Caller, String> KEYS = new LinkedHashMap<>();

    @BeforeAll
    static void world() {
        World.get();
        KEYS.put(Caller.OTHER_TEAM, World.outsiderKey());
        KEYS.put(Caller.READER, World.teamKey("READER", "matrix-reader"));
        KEYS.put(Caller.WRITER, World.teamKey("WRITER", "matrix-writer"));
        KEYS.put(Caller.ADMIN, World.teamKey("ADMIN", "matrix-admin"));
        KEYS.put(Caller.SERVICE, TestKeys.WORKER);
        KEYS.put(Caller.PLATFORM_ADMIN, TestKeys.ADMIN);
    }

    private record Row(String method, String path, Function<RequestSpecification, RequestSpecification> body,
                       int... expected) {
    }

    @Test
    void everyEndpointAnswersEveryCallerAsTheRolesSay() {
        String adapter = World.SHIRA;
        Map<String, Object> completion = Map.of("model", adapter, "prompt", "hi", "max_tokens", 2);
        Map<String, Object> chat = Map.of("model", adapter, "max_tokens", 2,
                "messages", List.of(Map.of("role", "user", "content", "hi")));
        List<Row> rows = List.of(
                new Row("POST", "/v1/completions", json(completion), 401, 404, 200, 200, 200, 403, 200),
                new Row("POST", "/v1/chat/completions", json(chat), 401, 404, 200, 200, 200, 403, 200),
                new Row("POST", "/v1/completions", json(Map.of("model", World.BASE, "prompt", "hi", "max_tokens", 2)),
                        401, 200, 200, 200, 200, 403, 200),
                new Row("GET", "/v1/models", r -> r, 401, 200, 200, 200, 200, 403, 200),
                new Row("GET", "/v1/models/" + adapter, r -> r, 401, 404, 200, 200, 200, 403, 200),
                new Row("GET", "/admin/v1/cache", r -> r, 401, 403, 403, 403, 403, 403, 200),
                new Row("POST", "/admin/v1/adapters/" + World.LORA_B + "/preload", r -> r,
                        401, 403, 403, 403, 403, 403, 200));
        List<String> mismatches = new ArrayList<>();
        for (Row row : rows) {
            for (Caller caller : Caller.values()) {
                String before = cache();
                Response response = row.body().apply(as(caller)).request(row.method(), row.path());
                int expected = row.expected()[caller.ordinal()];
                if (response.statusCode() != expected) {
                    mismatches.add(row.method() + " " + row.path() + " as " + caller + ": " + response.statusCode()
                            + " (expected " + expected + ") " + response.asString());
                } else if (expected >= 400) {
                    assertTrue(response.asString().contains("\"error\""), "an OpenAI error body: " + response.asString());
                    assertEquals(before, cache(), row.method() + " " + row.path() + " as " + caller
                            + " was refused but changed the adapter cache");
                }
            }
        }
        if (!mismatches.isEmpty()) {
            fail(String.join("\n", mismatches));
        }
    }

    @Test
    void theModelListShowsOnlyWhatTheCallerMayUse() {
        List<String> outsider = given().auth().oauth2(KEYS.get(Caller.OTHER_TEAM)).get("/v1/models").then()
                .statusCode(200).extract().path("data.id");
        List<String> reader = given().auth().oauth2(KEYS.get(Caller.READER)).get("/v1/models").then()
                .statusCode(200).extract().path("data.id");
        assertTrue(reader.contains(World.SHIRA) && reader.contains(World.BASE), reader.toString());
        assertTrue(outsider.contains(World.BASE) && !outsider.contains(World.SHIRA), outsider.toString());
    }

    private static Function<RequestSpecification, RequestSpecification> json(Map<String, Object> body) {
        return r -> r.contentType(ContentType.JSON).body(body);
    }

    private static RequestSpecification as(Caller caller) {
        return caller == Caller.ANONYMOUS ? given().auth().none() : given().auth().oauth2(KEYS.get(caller));
    }

    /** The cache's entries (which adapters are loaded), without counters that change by themselves. */
    private static String cache() {
        return Gateway.admin().get("/admin/v1/cache").then().statusCode(200).extract().jsonPath()
                .getList("entries.key").toString();
    }
}
