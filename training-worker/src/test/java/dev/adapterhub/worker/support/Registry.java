package dev.adapterhub.worker.support;

import dev.adapterhub.testsupport.TestKeys;
import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The registry calls a worker test makes as a user would: register inputs, submit, watch, download. */
public final class Registry {

    private final String apiUrl;

    /** The team the worker tests train for. */
    public static final String TEAM = "nlp";

    public Registry(String apiUrl) {
        this.apiUrl = apiUrl;
    }

    private RequestSpecification api() {
        return given().baseUri(apiUrl).auth().oauth2(TestKeys.ADMIN);
    }

    /** Uploads every file of {@code dir} as a base model; returns {@code name@revision}. */
    public String registerBase(String name, String revision, Path dir) throws IOException {
        RequestSpecification request = api().multiPart("name", name).multiPart("revision", revision);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                request.multiPart("file", file.getFileName().toString(), Files.readAllBytes(file),
                        "application/octet-stream");
            }
        }
        request.when().post("/base-models").then().statusCode(201);
        return name + "@" + revision;
    }

    /** Creates {@code team} unless it exists. */
    public void ensureTeam(String team) {
        api().contentType("application/json").body(Map.of("name", team)).when().post("/teams")
                .then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(201),
                        org.hamcrest.Matchers.is(409)));
    }

    /** Uploads a JSONL dataset for the tests' team {@value #TEAM}; returns its digest. */
    public String uploadDataset(Path jsonl) throws IOException {
        ensureTeam(TEAM);
        return api().multiPart("file", jsonl.getFileName().toString(), Files.readAllBytes(jsonl), "application/jsonl")
                .multiPart("team", TEAM)
                .when().post("/datasets")
                .then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200),
                        org.hamcrest.Matchers.is(201)))
                .extract().path("digest");
    }

    /** Registers an uploaded dataset as the adapter's evaluation set. */
    public void setEvaluationSet(String adapter, String datasetDigest) {
        api().contentType("application/json").body(Map.of("dataset", datasetDigest))
                .when().put("/adapters/" + adapter + "/evaluation-set").then().statusCode(200);
    }

    /** Removes the adapter's evaluation set. */
    public void removeEvaluationSet(String adapter) {
        api().when().delete("/adapters/" + adapter + "/evaluation-set").then().statusCode(204);
    }

    /** Submits a job; returns its id. */
    public String submit(Map<String, Object> body) {
        return api().contentType("application/json").body(body)
                .when().post("/training-jobs")
                .then().log().ifValidationFails().statusCode(201)
                .extract().path("id");
    }

    public JsonPath job(String id) {
        return api().get("/training-jobs/" + id).then().statusCode(200).extract().jsonPath();
    }

    public JsonPath progress(String id) {
        return api().get("/training-jobs/" + id + "/progress").then().statusCode(200).extract().jsonPath();
    }

    /** The whole event log of a job, oldest first. */
    public List<Map<String, Object>> events(String id) {
        return api().queryParam("limit", 500).get("/training-jobs/" + id + "/events")
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    public JsonPath version(String adapter, String selector) {
        return api().get("/adapters/" + adapter + "/versions/" + selector).then().statusCode(200).extract().jsonPath();
    }

    public JsonPath versions(String adapter) {
        return api().get("/adapters/" + adapter + "/versions").then().statusCode(200).extract().jsonPath();
    }

    public JsonPath get(String path) {
        return api().get(path).then().statusCode(200).extract().jsonPath();
    }

    /** The bytes at a {@code downloadPath} the registry handed out ({@code /api/v1/...}). */
    public byte[] bytes(String downloadPath) {
        String path = downloadPath.startsWith("/api/v1") ? downloadPath.substring("/api/v1".length()) : downloadPath;
        return api().get(path).then().statusCode(200).extract().asByteArray();
    }

    /** Downloads the version's PEFT files into {@code dir}. */
    public Path download(String adapter, String selector, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String file : List.of("adapter_config.json", "adapter_model.safetensors")) {
            byte[] bytes = api().get("/adapters/" + adapter + "/versions/" + selector + "/files/" + file)
                    .then().statusCode(200).extract().asByteArray();
            Files.write(dir.resolve(file), bytes);
        }
        return dir;
    }
}
