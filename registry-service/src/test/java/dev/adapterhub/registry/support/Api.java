package dev.adapterhub.registry.support;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Thin RestAssured helpers shared by the registry's tests. */
public final class Api {

    private Api() {
    }

    /** How the audit trail names the platform admin the tests call as (AuthenticateAsPlatformAdmin). */
    public static final String ADMIN = "service:platform-admin";

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The files of the tiny checkpoint, by HF file name. */
    public static Map<String, byte[]> tinyCheckpoint() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("config.json", Fixtures.configJson());
        files.put("model.safetensors", Fixtures.modelSafetensors());
        files.put("tokenizer.json", Fixtures.tokenizerJson());
        return files;
    }

    public static Response registerBase(String name, String revision, Map<String, byte[]> files) {
        RequestSpecification request = given().multiPart("name", name).multiPart("revision", revision);
        files.forEach((fileName, bytes) -> request.multiPart("file", fileName, bytes, "application/octet-stream"));
        return request.when().post("/api/v1/base-models");
    }

    /** Registers the tiny checkpoint under a fresh name; returns {@code name@revision}. */
    public static String registerTinyBase() {
        String name = unique("tiny");
        registerBase(name, "v1", tinyCheckpoint()).then().statusCode(201);
        return name + "@v1";
    }

    /** Creates {@code team} unless it exists (teams are the platform admin's to create). */
    public static void ensureTeam(String team) {
        int status = given().contentType(ContentType.JSON).body(Map.of("name", team)).post("/api/v1/teams")
                .statusCode();
        assertTrue(status == 201 || status == 409, "team " + team + " could be created: " + status);
    }

    public static Response createAdapter(String name, String team, String baseRef, String method, List<String> tags) {
        if (team != null && team.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            ensureTeam(team);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("team", team);
        body.put("baseModel", baseRef);
        body.put("method", method);
        body.put("taskDescription", "summarise support tickets");
        body.put("tags", tags);
        return given().contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/adapters");
    }

    public static String createAdapter(String baseRef, String method) {
        String name = unique("adapter");
        createAdapter(name, "team-a", baseRef, method, List.of("summarization")).then().statusCode(201);
        return name;
    }

    public static Response uploadVersion(String adapter, Map<String, byte[]> files, Map<String, String> fields) {
        RequestSpecification request = given();
        fields.forEach(request::multiPart);
        files.forEach((fileName, bytes) -> request.multiPart("file", fileName, bytes, "application/octet-stream"));
        return request.when().post("/api/v1/adapters/" + adapter + "/versions");
    }

    public static Map<String, byte[]> files(Fixtures.AdapterFiles adapter) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("adapter_config.json", adapter.config());
        files.put("adapter_model.safetensors", adapter.weights());
        return files;
    }

    public static Response uploadVersion(String adapter, Fixtures.AdapterFiles files) {
        return uploadVersion(adapter, files(files), Map.of());
    }

    /** Asserts an RFC 9457 problem response without implementation details; returns the response. */
    public static Response assertProblem(Response response, int status) {
        assertEquals(status, response.statusCode(), () -> "unexpected status, body: " + response.asString());
        String contentType = response.contentType();
        assertTrue(contentType != null && contentType.startsWith("application/problem+json"),
                () -> "content type was " + contentType + ", body: " + response.asString());
        assertEquals(status, response.jsonPath().getInt("status"));
        assertTrue(response.jsonPath().getString("type").startsWith("urn:adapterhub:problem:"));
        assertFalse(response.jsonPath().getString("title").isBlank());
        String body = response.asString();
        for (String leak : List.of("Exception", "\tat ", "java.", "dev.adapterhub.", "org.hibernate", "io.quarkus")) {
            assertFalse(body.contains(leak), () -> "problem body leaks '" + leak + "': " + body);
        }
        return response;
    }
}
