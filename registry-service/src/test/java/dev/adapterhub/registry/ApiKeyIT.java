package dev.adapterhub.registry;

import dev.adapterhub.registry.storage.ObjectStorage;
import dev.adapterhub.registry.support.Api;
import dev.adapterhub.testsupport.BackendsTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** API keys: shown once, stored hashed, scoped, expiring, revocable; and what an unauthenticated call gets. */
@QuarkusTest
@WithTestResource(value = BackendsTestResource.class, scope = TestResourceScope.GLOBAL)
class ApiKeyIT {

    @Inject
    DataSource dataSource;
    @Inject
    ObjectStorage storage;

    @Test
    void aKeyIsShownOnceStoredHashedAndStopsWorkingWhenRevoked() throws Exception {
        String team = Api.unique("keys");
        Api.ensureTeam(team);
        var created = given().contentType(ContentType.JSON)
                .body(Map.of("name", "ci", "role", "WRITER", "scopes", List.of("read")))
                .post("/api/v1/teams/" + team + "/api-keys").then().statusCode(201)
                .body("apiKey.scopes", equalTo(List.of("read"))).body("apiKey.lastUsedAt", nullValue())
                .extract().jsonPath();
        String key = created.getString("key");
        String id = created.getString("apiKey.id");
        assertEquals("ahk_" + id, key.substring(0, 16));

        // only the SHA-256 of the key is stored, nowhere the key itself
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select * from api_key where id = ?")) {
            s.setString(1, id);
            try (ResultSet row = s.executeQuery()) {
                row.next();
                assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(key.getBytes(StandardCharsets.UTF_8))), row.getString("secret_sha256"));
                for (int column = 1; column <= row.getMetaData().getColumnCount(); column++) {
                    assertFalse(String.valueOf(row.getObject(column)).contains(key.substring(17)),
                            "column " + row.getMetaData().getColumnName(column) + " holds no part of the secret");
                }
            }
        }
        given().get("/api/v1/teams/" + team + "/api-keys").then().statusCode(200)
                .body("[0].id", equalTo(id)).body("[0]", not(org.hamcrest.Matchers.hasKey("key")));

        // a writer's key narrowed to read: it reads, it does not write
        given().auth().oauth2(key).get("/api/v1/whoami").then().statusCode(200)
                .body("name", equalTo("key:" + team + "/ci")).body("kind", equalTo("API_KEY"))
                .body("teams." + team, equalTo("WRITER")).body("scopes", equalTo(List.of("read")));
        given().auth().oauth2(key).get("/api/v1/adapters").then().statusCode(200);
        given().auth().oauth2(key).contentType(ContentType.JSON)
                .body(Map.of("name", Api.unique("a"), "team", team, "baseModel", "x", "method", "LORA"))
                .post("/api/v1/adapters").then().statusCode(403).body("detail", containsString("writer"));
        given().get("/api/v1/teams/" + team + "/api-keys").then().body("[0].lastUsedAt", notNullValue());

        given().delete("/api/v1/teams/" + team + "/api-keys/" + id).then().statusCode(200)
                .body("revokedAt", notNullValue()).body("revokedBy", equalTo(Api.ADMIN));
        given().auth().oauth2(key).get("/api/v1/whoami").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", containsString("Bearer"));
        // a key of the right shape but a wrong secret is no better
        given().auth().oauth2(key.substring(0, 17) + "x".repeat(43)).get("/api/v1/whoami").then().statusCode(401);
    }

    @Test
    void expiredKeysScopesBeyondTheRoleAndDuplicateNamesAreRefused() throws Exception {
        String team = Api.unique("keys");
        Api.ensureTeam(team);
        String key = given().contentType(ContentType.JSON).body(Map.of("name", "short", "role", "READER",
                        "expiresAt", Instant.now().plus(1, ChronoUnit.HOURS).toString()))
                .post("/api/v1/teams/" + team + "/api-keys").then().statusCode(201).extract().path("key");
        given().auth().oauth2(key).get("/api/v1/whoami").then().statusCode(200);
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("update api_key set expires_at = now() - interval '1 second' "
                     + "where team = ?")) {
            s.setString(1, team);
            s.executeUpdate();
        }
        given().auth().oauth2(key).get("/api/v1/whoami").then().statusCode(401);

        Api.assertProblem(given().contentType(ContentType.JSON).body(Map.of("name", "k", "role", "READER",
                "scopes", List.of("write"))).post("/api/v1/teams/" + team + "/api-keys"), 400);
        Api.assertProblem(given().contentType(ContentType.JSON).body(Map.of("name", "k", "role", "ADMIN",
                "scopes", List.of("jobs:execute"))).post("/api/v1/teams/" + team + "/api-keys"), 400);
        Api.assertProblem(given().contentType(ContentType.JSON).body(Map.of("name", "short", "role", "READER"))
                .post("/api/v1/teams/" + team + "/api-keys"), 409);
        Api.assertProblem(given().contentType(ContentType.JSON).body(Map.of("name", "k", "role", "READER",
                "adapters", List.of("bad name"))).post("/api/v1/teams/" + team + "/api-keys"), 400);
        String limited = given().contentType(ContentType.JSON).body(Map.of("name", "only", "role", "READER",
                        "adapters", List.of("support-*", "billing")))
                .post("/api/v1/teams/" + team + "/api-keys").then().statusCode(201)
                .body("apiKey.adapters", equalTo(List.of("support-*", "billing"))).extract().path("key");
        given().auth().oauth2(limited).get("/api/v1/whoami").then().statusCode(200)
                .body("adapters", equalTo(List.of("support-*", "billing")));
        Api.assertProblem(given().contentType(ContentType.JSON).body(Map.of("name", "k", "role", "READER",
                "expiresAt", "2020-01-01T00:00:00Z")).post("/api/v1/teams/" + team + "/api-keys"), 400);
    }

    @Test
    void callsWithoutAValidCredentialAreRefusedWith401() {
        given().auth().none().get("/api/v1/adapters").then().statusCode(401)
                .contentType("application/problem+json").body("type", equalTo("urn:adapterhub:problem:unauthenticated"))
                .header("WWW-Authenticate", containsString("Bearer"));
        given().auth().none().header("Authorization", "Basic YWxpY2U6cGFzcw==").get("/api/v1/adapters")
                .then().statusCode(401).body("detail", containsString("Bearer"));
        given().auth().oauth2("ahk_nosuchkey000_" + "z".repeat(43)).get("/api/v1/adapters").then().statusCode(401);
        // a JWT is refused while no issuer is configured (the test profile sets none)
        given().auth().oauth2("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln").get("/api/v1/adapters")
                .then().statusCode(401);
        // health, metrics and the API description stay open for probes and tooling
        given().auth().none().get("/q/health/ready").then().statusCode(200);
        given().auth().none().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void registrationByReferenceIsLimitedToPermittedPrefixes() {
        for (String prefix : List.of("blobs/sha256/", "staging/", "", "other/place/")) {
            Api.assertProblem(given().contentType(ContentType.JSON).body(Map.of("name", Api.unique("ref"),
                    "revision", "r1", "sourceUri", "s3://" + storage.bucket() + "/" + prefix))
                    .post("/api/v1/base-models"), 403);
        }
        Api.assertProblem(given().contentType(ContentType.JSON).body(Map.of("name", Api.unique("ref"),
                "revision", "r1", "sourceUri", "s3://another-bucket/external/x/")).post("/api/v1/base-models"), 403)
                .then().body("detail", containsString("registration prefix"));
    }

    @Test
    void onlyServiceAccountsNameWhoTheyActFor() {
        String team = Api.unique("actor");
        Api.ensureTeam(team);
        String writer = given().contentType(ContentType.JSON).body(Map.of("name", "w", "role", "WRITER"))
                .post("/api/v1/teams/" + team + "/api-keys").then().statusCode(201).extract().path("key");
        String base = Api.registerTinyBase();
        String adapter = Api.unique("a");
        given().auth().oauth2(writer).contentType(ContentType.JSON).body(Map.of("name", adapter, "baseModel", base,
                "method", "LORA")).post("/api/v1/adapters").then().statusCode(201)
                .body("team", equalTo(team)).body("createdBy", equalTo("key:" + team + "/w"))
                .body("visibility", equalTo("PRIVATE")).body("protectedAliases", hasItem("production"));
        Api.uploadVersion(adapter, dev.adapterhub.registry.support.Fixtures.lora(4, 3)).then().statusCode(201);
        Api.assertProblem(given().auth().oauth2(writer).contentType(ContentType.JSON)
                .body(Map.of("version", "1", "actor", "someone-else"))
                .put("/api/v1/adapters/" + adapter + "/aliases/staging"), 400);
        given().auth().oauth2(writer).contentType(ContentType.JSON).body(Map.of("version", "1"))
                .put("/api/v1/adapters/" + adapter + "/aliases/staging").then().statusCode(201)
                .body("updatedBy", equalTo("key:" + team + "/w"));
    }
}
