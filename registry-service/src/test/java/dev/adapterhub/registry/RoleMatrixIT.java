package dev.adapterhub.registry;

import dev.adapterhub.registry.storage.ObjectStorage;
import dev.adapterhub.registry.support.Api;
import dev.adapterhub.registry.support.Fixtures;
import dev.adapterhub.registry.support.Jobs;
import dev.adapterhub.registry.support.PersistedState;
import dev.adapterhub.testsupport.BackendsTestResource;
import dev.adapterhub.testsupport.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The contract of ADR 12: every registry endpoint called by every kind of caller (anonymous, an admin of another
 * team, the owning team's reader, writer and admin, the worker's and the gateway's service accounts) answers the
 * expected status, and a refused call changes nothing: no row (by content, not only by count), no blob, no event.
 */
@QuarkusTest
@WithTestResource(value = BackendsTestResource.class, scope = TestResourceScope.GLOBAL)
class RoleMatrixIT {

    /** The callers, in the order of every row's expected statuses. */
    enum Caller { ANONYMOUS, OTHER_TEAM, READER, WRITER, ADMIN, WORKER, GATEWAY }

    @Inject
    DataSource dataSource;
    @Inject
    ObjectStorage storage;

    private final Map<Caller, String> keys = new LinkedHashMap<>();
    private String team;
    private String base;
    private String adapter;
    private String dataset;
    private String job;

    @BeforeEach
    void world() {
        team = Api.unique("rm-team");
        String other = Api.unique("rm-other");
        for (String name : List.of(team, other)) {
            given().contentType(ContentType.JSON).body(Map.of("name", name)).post("/api/v1/teams")
                    .then().statusCode(201);
        }
        keys.put(Caller.OTHER_TEAM, key(other, "ADMIN"));
        keys.put(Caller.READER, key(team, "READER"));
        keys.put(Caller.WRITER, key(team, "WRITER"));
        keys.put(Caller.ADMIN, key(team, "ADMIN"));
        keys.put(Caller.WORKER, TestKeys.WORKER);
        keys.put(Caller.GATEWAY, TestKeys.GATEWAY);

        base = Api.registerTinyBase();
        adapter = Api.unique("rm-adapter");
        Api.createAdapter(adapter, team, base, "LORA", List.of()).then().statusCode(201);
        Api.uploadVersion(adapter, Fixtures.lora(4, 1)).then().statusCode(201);
        for (String alias : List.of("staging", "production")) {
            given().contentType(ContentType.JSON).body(Map.of("version", "1"))
                    .put("/api/v1/adapters/" + adapter + "/aliases/" + alias).then().statusCode(201);
        }
        dataset = given().multiPart("file", "d.jsonl", Jobs.jsonl(30), "application/jsonl").multiPart("team", team)
                .post("/api/v1/datasets").then().statusCode(201).extract().path("digest");
        given().contentType(ContentType.JSON).body(Map.of("dataset", dataset))
                .put("/api/v1/adapters/" + adapter + "/evaluation-set").then().statusCode(200);
        job = submitJob();
    }

    @Test
    void everyEndpointAnswersEveryCallerAsTheRolesSay() {
        String a = "/api/v1/adapters/" + adapter;
        String v = a + "/versions/1";
        String j = "/api/v1/training-jobs/" + job;
        String t = "/api/v1/teams/" + team;
        List<Row> rows = new ArrayList<>();
        int[] read = {401, 404, 200, 200, 200, 200, 200};
        int[] anyone = {401, 200, 200, 200, 200, 200, 200};
        int[] platformAdmin = {401, 403, 403, 403, 403, 403, 403};
        int[] write = {401, 404, 403, 200, 200, 403, 403};
        int[] manage = {401, 404, 403, 403, 200, 403, 403};

        rows.add(get("/api/v1/whoami", anyone));
        rows.add(json("POST", "/api/v1/teams", () -> Map.of("name", Api.unique("t")), platformAdmin));
        rows.add(get("/api/v1/teams", anyone));
        rows.add(get(t, read));
        rows.add(json("POST", t + "/api-keys", () -> Map.of("name", Api.unique("k"), "role", "READER"),
                new int[]{401, 404, 403, 403, 201, 403, 403}));
        rows.add(get(t + "/api-keys", manage));
        rows.add(call("DELETE", t + "/api-keys/nosuchkey000", r -> r, new int[]{401, 404, 403, 403, 404, 403, 403}));

        rows.add(call("POST", "/api/v1/base-models", r -> withCheckpoint(r, Api.unique("b")), platformAdmin));
        rows.add(get("/api/v1/base-models", anyone));
        rows.add(get("/api/v1/base-models/" + base, anyone));
        rows.add(get("/api/v1/base-models/" + base + "/linear-modules", anyone));
        rows.add(get("/api/v1/base-models/" + base + "/files/config.json", anyone));
        rows.add(json("POST", "/api/v1/base-models/" + base + "/supersede", () -> Map.of("supersededBy", base),
                platformAdmin));
        rows.add(call("POST", "/api/v1/base-models/" + base + "/retire", r -> r, platformAdmin));

        rows.add(json("POST", "/api/v1/adapters", () -> Map.of("name", Api.unique("n"), "team", team,
                "baseModel", base, "method", "LORA"), new int[]{401, 403, 403, 201, 201, 403, 403}));
        rows.add(get("/api/v1/adapters", anyone));
        rows.add(get(a, read));
        rows.add(json("PATCH", a, () -> Map.of("taskDescription", "changed"), write));
        rows.add(json("PATCH", a, () -> Map.of("visibility", "PRIVATE"), manage));
        rows.add(call("POST", a + "/versions", r -> withAdapterFiles(r), new int[]{401, 404, 403, 201, 201, 403, 403}));
        for (String path : List.of(a + "/versions", v, v + "/files/adapter_config.json",
                v + "/files/adapter_config.json/presigned-url", v + "/lineage", v + "/metrics", v + "/seed-examples",
                v + "/transfer-kit", "/api/v1/resolve/" + adapter + "@1", a + "/aliases", a + "/aliases/staging",
                a + "/aliases/production/history", a + "/alias-history", a + "/evaluation-set")) {
            rows.add(get(path, read));
        }
        rows.add(json("POST", v + "/metrics", () -> List.of(Map.of("name", "rm_score", "value", 0.5)), write));
        rows.add(json("POST", v + "/seed-examples", () -> List.of(Map.of("prompt", "p", "completion", "c")), write));
        // authorized admins reach the rule that an aliased version cannot be deprecated
        rows.add(json("POST", v + "/deprecate", () -> Map.of("reason", "r"),
                new int[]{401, 404, 403, 403, 409, 403, 403}));
        rows.add(json("PUT", a + "/aliases/staging", () -> Map.of("version", "1"), write));
        rows.add(json("PUT", a + "/aliases/production", () -> Map.of("version", "1"), manage));
        rows.add(json("PUT", a + "/evaluation-set", () -> Map.of("dataset", dataset), write));
        rows.add(new Row("DELETE", () -> a + "/evaluation-set", r -> r, new int[]{401, 404, 403, 204, 204, 403, 403},
                this::restoreEvaluationSet));

        rows.add(call("POST", "/api/v1/datasets", r -> r.multiPart("file", "d.jsonl",
                Jobs.jsonl(31 + rows.size()), "application/jsonl").multiPart("team", team),
                new int[]{401, 403, 403, 201, 200, 403, 403}));
        rows.add(get("/api/v1/datasets/" + dataset, read));
        // the evaluation set holds the dataset: an authorized admin reaches that rule
        rows.add(call("DELETE", "/api/v1/datasets/" + dataset, r -> r, new int[]{401, 404, 403, 403, 409, 403, 403}));

        rows.add(json("POST", "/api/v1/training-jobs", this::trainingRequest,
                new int[]{401, 404, 403, 201, 201, 403, 403}));
        rows.add(get("/api/v1/training-jobs", anyone));
        rows.add(get(j, read));
        rows.add(get(j + "/events", read));
        rows.add(get(j + "/progress", read));
        rows.add(new Row("POST", () -> "/api/v1/training-jobs/" + submitJob() + "/cancel",
                r -> r.contentType(ContentType.JSON).body(Map.of("reason", "r")), write, () -> { }));
        // a training job awaits no review: authorized admins reach that rule
        for (String action : List.of("promote", "reject")) {
            rows.add(json("POST", j + "/" + action, () -> Map.of("note", "n"),
                    new int[]{401, 404, 403, 403, 409, 403, 403}));
        }
        // workers only; the worker reaches the lease rules (wrong attempt, a lease it does not hold)
        int[] workerOnly = {401, 403, 403, 403, 403, 409, 403};
        rows.add(json("POST", j + "/claim", () -> Map.of("workerId", "w", "attempt", 99), workerOnly));
        rows.add(json("POST", j + "/heartbeat", () -> Map.of("leaseToken", UUID.randomUUID().toString(),
                "step", 1), workerOnly));
        rows.add(json("POST", j + "/fail", () -> Map.of("leaseToken", UUID.randomUUID().toString(),
                "reason", "x", "retryable", false), workerOnly));
        rows.add(call("POST", j + "/complete", r -> withAdapterFiles(r).multiPart("leaseToken",
                UUID.randomUUID().toString()), workerOnly));

        List<String> mismatches = new ArrayList<>();
        for (Row row : rows) {
            for (Caller caller : Caller.values()) {
                row.before().run();
                String path = row.path().get();
                PersistedState before = PersistedState.take(dataSource, storage, team);
                Response response = row.body().apply(as(caller)).request(row.method(), path);
                int expected = row.expected()[caller.ordinal()];
                if (response.statusCode() != expected) {
                    mismatches.add(row.method() + " " + path + " as " + caller + ": " + response.statusCode()
                            + " (expected " + expected + ") " + response.asString());
                    continue;
                }
                if (expected >= 400) {
                    assertTrue(response.contentType().startsWith("application/problem+json"),
                            row.method() + " " + path + " as " + caller + " answers problem+json");
                    PersistedState after = PersistedState.take(dataSource, storage, team);
                    if (!before.equals(after)) {
                        mismatches.add(row.method() + " " + path + " as " + caller + " was refused with " + expected
                                + " but changed " + before.differences(after));
                    }
                }
            }
        }
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " of " + rows.size() * Caller.values().length + " calls differ:\n"
                    + String.join("\n", mismatches));
        }
    }

    @Test
    void listsShowOnlyWhatTheCallerMaySee() {
        String other = keys.get(Caller.OTHER_TEAM);
        List<String> seen = given().auth().oauth2(other).get("/api/v1/adapters?size=100&team=" + team)
                .then().statusCode(200).extract().path("items.name");
        assertEquals(List.of(), seen, "another team's private adapter is not listed");
        assertEquals(0, (int) given().auth().oauth2(other).get("/api/v1/training-jobs?adapter=" + adapter)
                .then().statusCode(200).extract().path("total"));
        given().auth().oauth2(keys.get(Caller.ADMIN)).contentType(ContentType.JSON)
                .body(Map.of("visibility", "INTERNAL")).patch("/api/v1/adapters/" + adapter).then().statusCode(200);
        seen = given().auth().oauth2(other).get("/api/v1/adapters?size=100&team=" + team)
                .then().statusCode(200).extract().path("items.name");
        assertEquals(List.of(adapter), seen, "an INTERNAL adapter is listed for everyone");
        given().auth().oauth2(other).get("/api/v1/adapters/" + adapter).then().statusCode(200);
        // visible is not changeable
        given().auth().oauth2(other).contentType(ContentType.JSON).body(Map.of("version", "1"))
                .put("/api/v1/adapters/" + adapter + "/aliases/staging").then().statusCode(403);
    }

    @Test
    void refusedMovesOfAProtectedAliasAreAudited() {
        given().auth().oauth2(keys.get(Caller.WRITER)).contentType(ContentType.JSON).body(Map.of("version", "1"))
                .put("/api/v1/adapters/" + adapter + "/aliases/production").then().statusCode(403)
                .contentType("application/problem+json");
        List<Map<String, Object>> history = given().get("/api/v1/adapters/" + adapter + "/aliases/production/history")
                .then().statusCode(200).extract().path("");
        Map<String, Object> newest = history.get(0);
        assertEquals("REFUSED", newest.get("outcome"));
        assertEquals("key:" + team + "/writer", newest.get("movedBy"));
        assertTrue(String.valueOf(newest.get("detail")).contains("protected alias production"),
                String.valueOf(newest.get("detail")));
        assertEquals("MOVED", history.get(1).get("outcome"));
        given().get("/api/v1/adapters/" + adapter + "/aliases/production").then().body("version", org.hamcrest.Matchers.equalTo(1));
    }

    private record Row(String method, Supplier<String> path, Function<RequestSpecification, RequestSpecification> body,
                       int[] expected, Runnable before) {
    }

    private static Row get(String path, int[] expected) {
        return call("GET", path, r -> r, expected);
    }

    private static Row json(String method, String path, Supplier<Object> body, int[] expected) {
        return call(method, path, r -> r.contentType(ContentType.JSON).body(body.get()), expected);
    }

    private static Row call(String method, String path, Function<RequestSpecification, RequestSpecification> body,
                            int[] expected) {
        return new Row(method, () -> path, body, expected, () -> { });
    }

    private RequestSpecification as(Caller caller) {
        return caller == Caller.ANONYMOUS ? given().auth().none() : given().auth().oauth2(keys.get(caller));
    }

    private static String key(String team, String role) {
        return given().contentType(ContentType.JSON).body(Map.of("name", role.toLowerCase(), "role", role))
                .post("/api/v1/teams/" + team + "/api-keys").then().statusCode(201).extract().path("key");
    }

    private String submitJob() {
        return given().contentType(ContentType.JSON).body(trainingRequest()).post("/api/v1/training-jobs")
                .then().statusCode(201).extract().path("id");
    }

    private Map<String, Object> trainingRequest() {
        Map<String, Object> body = Jobs.request(base, dataset, "LORA", adapter);
        body.put("team", team);
        return body;
    }

    private void restoreEvaluationSet() {
        given().contentType(ContentType.JSON).body(Map.of("dataset", dataset))
                .put("/api/v1/adapters/" + adapter + "/evaluation-set").then().statusCode(200);
    }

    private static RequestSpecification withCheckpoint(RequestSpecification request, String name) {
        request.multiPart("name", name).multiPart("revision", "v1");
        Api.tinyCheckpoint().forEach((file, bytes) -> request.multiPart("file", file, bytes,
                "application/octet-stream"));
        return request;
    }

    private static RequestSpecification withAdapterFiles(RequestSpecification request) {
        Api.files(Fixtures.lora(4, 2)).forEach((file, bytes) -> request.multiPart("file", file, bytes,
                "application/octet-stream"));
        return request;
    }
}
