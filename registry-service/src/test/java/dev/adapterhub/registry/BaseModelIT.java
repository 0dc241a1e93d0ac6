package dev.adapterhub.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adapterhub.formats.hf.LlamaConfig;
import dev.adapterhub.formats.safetensors.Tensor;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Base model registration (uploaded and referenced), validation, listing, supersede and retire. */
@QuarkusTest
@WithTestResource(value = BackendsTestResource.class, scope = TestResourceScope.GLOBAL)
class BaseModelIT {

    @Inject
    DataSource dataSource;

    @Inject
    ObjectStorage storage;

    static Stream<Arguments> badCheckpoints() {
        Map<String, byte[]> good = Api.tinyCheckpoint();
        LlamaConfig wider = LlamaConfig.of(16, 48, 2, 4, 2, 64);
        Map<String, byte[]> sharded = new LinkedHashMap<>(without(good, "model.safetensors"));
        sharded.put("model.safetensors.index.json", ("{\"metadata\":{},\"weight_map\":{\"lm_head.weight\":"
                + "\"model-00002-of-00002.safetensors\"}}").getBytes(StandardCharsets.UTF_8));
        return Stream.of(
                Arguments.of("config.json missing", without(good, "config.json"), "config.json is missing"),
                Arguments.of("tokenizer.json missing", without(good, "tokenizer.json"), "tokenizer.json is missing"),
                Arguments.of("weights missing", without(good, "model.safetensors"), "model.safetensors"),
                Arguments.of("pickle weights", with(without(good, "model.safetensors"), "pytorch_model.bin",
                        new byte[] {(byte) 0x80, 2}), "pickle"),
                Arguments.of("unexpected file", with(good, "run.sh", "echo".getBytes()), "unexpected file"),
                Arguments.of("unsupported architecture", with(good, "config.json",
                        new String(Fixtures.configJson()).replace("\"llama\"", "\"gpt2\"").getBytes()), "gpt2"),
                Arguments.of("config not JSON", with(good, "config.json", "{".getBytes()), "config.json"),
                Arguments.of("tokenizer not JSON", with(good, "tokenizer.json", "[1,2".getBytes()), "tokenizer.json"),
                Arguments.of("weights not safetensors", with(good, "model.safetensors", "garbage!".getBytes()),
                        "header"),
                Arguments.of("weights do not match config.json", with(good, "model.safetensors",
                        Fixtures.safetensors(Fixtures.checkpointTensors(wider, 2))), "mlp.gate_proj"),
                Arguments.of("index names a missing shard", sharded, "missing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCheckpoints")
    void badCheckpointIsRejectedAndLeavesNothing(String description, Map<String, byte[]> files, String expected) {
        State before = State.take(dataSource, storage);
        Response response = Api.assertProblem(Api.registerBase(Api.unique("bad"), "v1", files), 422);
        assertTrue(response.asString().contains(expected), () -> description + ": " + response.asString());
        assertEquals(before, State.take(dataSource, storage), description + ": state changed");
    }

    @Test
    void requestErrorsAreProblems() {
        String base = Api.registerTinyBase();
        String name = base.substring(0, base.indexOf('@'));
        State before = State.take(dataSource, storage);
        Api.assertProblem(Api.registerBase(name, "v1", Api.tinyCheckpoint()), 409);
        Api.assertProblem(Api.registerBase("bad/name", "v1", Api.tinyCheckpoint()), 400);
        Api.assertProblem(Api.registerBase(Api.unique("ok"), "", Api.tinyCheckpoint()), 400);
        Api.assertProblem(Api.registerBase(Api.unique("ok"), "v1", Map.of()), 400);
        assertEquals(before, State.take(dataSource, storage));
        Api.assertProblem(given().get("/api/v1/base-models/" + Api.unique("missing")), 404);
        Api.assertProblem(given().get("/api/v1/base-models/" + name + "@v9"), 404);
        Api.assertProblem(given().get("/api/v1/base-models/" + base + "/files/pytorch_model.bin"), 404);
        Api.assertProblem(given().get("/api/v1/base-models?status=GONE"), 400);
        Api.assertProblem(given().get("/api/v1/base-models?size=0"), 400);
    }

    @Test
    void shardedCheckpointIsAccepted() {
        Map<String, Tensor> all = Fixtures.checkpointTensors(Fixtures.TINY, 3);
        Map<String, Tensor> first = new LinkedHashMap<>();
        Map<String, Tensor> second = new LinkedHashMap<>();
        StringBuilder weightMap = new StringBuilder();
        all.forEach((name, tensor) -> {
            boolean inFirst = name.contains("layers.0") || name.contains("embed");
            (inFirst ? first : second).put(name, tensor);
            weightMap.append(weightMap.isEmpty() ? "" : ",").append('"').append(name).append("\":\"")
                    .append(inFirst ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors")
                    .append('"');
        });
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("config.json", Fixtures.configJson());
        files.put("tokenizer.json", Fixtures.tokenizerJson());
        files.put("model.safetensors.index.json",
                ("{\"metadata\":{},\"weight_map\":{" + weightMap + "}}").getBytes(StandardCharsets.UTF_8));
        files.put("model-00001-of-00002.safetensors", Fixtures.safetensors(first));
        files.put("model-00002-of-00002.safetensors", Fixtures.safetensors(second));
        files.put("generation_config.json", "{}".getBytes(StandardCharsets.UTF_8));
        Api.registerBase(Api.unique("sharded"), "main", files).then().statusCode(201)
                .body("files", hasSize(6))
                .body("shapesSource", equalTo("CHECKPOINT"))
                .body("linearModuleCount", equalTo(14));
    }

    @Test
    void referencedCheckpointIsReadInPlace() throws Exception {
        String prefix = "external/" + Api.unique("ckpt") + "/";
        put(prefix + "config.json", Fixtures.configJson());
        put(prefix + "tokenizer.json", Fixtures.tokenizerJson());
        String name = Api.unique("referenced");
        State before = State.take(dataSource, storage);
        Response created = given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "revision", "r1", "sourceUri", "s3://" + storage.bucket() + "/" + prefix))
                .post("/api/v1/base-models");
        created.then().statusCode(201)
                .body("storageMode", equalTo("REFERENCED"))
                .body("shapesSource", equalTo("CONFIG"))
                .body("linearModuleCount", equalTo(14))
                .body("files", hasSize(2));
        assertEquals(before.blobs(), State.take(dataSource, storage).blobs(), "nothing is copied");
        byte[] config = given().get("/api/v1/base-models/" + name + "/files/config.json")
                .then().statusCode(200).extract().asByteArray();
        assertArrayEquals(Fixtures.configJson(), config);

        // with weights next to it, the shapes come from the safetensors headers
        String withWeights = "external/" + Api.unique("ckpt") + "/";
        put(withWeights + "config.json", Fixtures.configJson());
        put(withWeights + "tokenizer.json", Fixtures.tokenizerJson());
        put(withWeights + "model.safetensors", Fixtures.modelSafetensors());
        given().contentType(ContentType.JSON)
                .body(Map.of("name", Api.unique("referenced"), "revision", "r1",
                        "sourceUri", "s3://" + storage.bucket() + "/" + withWeights))
                .post("/api/v1/base-models").then().statusCode(201).body("shapesSource", equalTo("CHECKPOINT"));

        Api.assertProblem(given().contentType(ContentType.JSON)
                .body(Map.of("name", Api.unique("referenced"), "revision", "r1",
                        "sourceUri", "s3://" + storage.bucket() + "/external/nothing-here/"))
                .post("/api/v1/base-models"), 422);
        Api.assertProblem(given().contentType(ContentType.JSON)
                .body(Map.of("name", Api.unique("referenced"), "revision", "r1", "sourceUri", "http://x/y"))
                .post("/api/v1/base-models"), 400);
    }

    @Test
    void listFiltersAndPages() {
        String base = Api.registerTinyBase();
        String name = base.substring(0, base.indexOf('@'));
        Api.registerBase(name, "v2", Api.tinyCheckpoint()).then().statusCode(201);
        given().get("/api/v1/base-models?name=" + name).then().statusCode(200)
                .body("total", equalTo(2))
                .body("items.revision", equalTo(List.of("v1", "v2")));
        given().get("/api/v1/base-models?name=" + name + "&size=1&page=1").then().statusCode(200)
                .body("total", equalTo(2)).body("items", hasSize(1)).body("items[0].revision", equalTo("v2"));
        given().get("/api/v1/base-models?status=ACTIVE").then().statusCode(200)
                .body("total", greaterThanOrEqualTo(2));
        // bare name resolves to the newest active revision
        given().get("/api/v1/base-models/" + name).then().body("revision", equalTo("v2"));
    }

    @Test
    void supersedeAndRetireEmitOneEventEach() {
        String oldRef = Api.registerTinyBase();
        String newRef = Api.registerTinyBase();
        String oldId = given().get("/api/v1/base-models/" + oldRef).jsonPath().getString("id");
        String newId = given().get("/api/v1/base-models/" + newRef).jsonPath().getString("id");
        String adapter = Api.createAdapter(oldRef, "LORA");

        try (KafkaTopicProbe probe = EventAssertions.mark(dataSource)) {
            given().contentType(ContentType.JSON).body(Map.of("supersededBy", newRef))
                    .post("/api/v1/base-models/" + oldRef + "/supersede").then().statusCode(200)
                    .body("status", equalTo("SUPERSEDED")).body("supersededById", equalTo(newId));
            JsonNode data = EventAssertions.assertExactlyOne(probe, dataSource,
                    "dev.adapterhub.registry.base-model.superseded", oldId);
            assertEquals(newId, data.get("supersededById").asText());
            assertEquals(newRef.substring(newRef.indexOf('@') + 1), data.get("supersededByRevision").asText());
        }
        // a superseded base no longer answers to its bare name, but still by name@revision
        Api.assertProblem(given().get("/api/v1/base-models/" + oldRef.substring(0, oldRef.indexOf('@'))), 404);
        Api.assertProblem(given().contentType(ContentType.JSON).body(Map.of("supersededBy", newRef))
                .post("/api/v1/base-models/" + oldRef + "/supersede"), 409);
        Api.assertProblem(given().contentType(ContentType.JSON).body(Map.of("supersededBy", newRef))
                .post("/api/v1/base-models/" + newRef + "/supersede"), 400);
        Api.assertProblem(given().contentType(ContentType.JSON).body(Map.of())
                .post("/api/v1/base-models/" + newRef + "/supersede"), 400);

        try (KafkaTopicProbe probe = EventAssertions.mark(dataSource)) {
            given().post("/api/v1/base-models/" + oldRef + "/retire").then().statusCode(200)
                    .body("status", equalTo("RETIRED"));
            EventAssertions.assertExactlyOne(probe, dataSource, "dev.adapterhub.registry.base-model.retired", oldId);
        }
        Api.assertProblem(given().post("/api/v1/base-models/" + oldRef + "/retire"), 409);
        // a retired base accepts no new adapters and no new versions
        Api.assertProblem(Api.createAdapter(Api.unique("late"), "team-a", oldRef, "LORA", List.of()), 409);
        State before = State.take(dataSource, storage);
        Api.assertProblem(Api.uploadVersion(adapter, Fixtures.lora(4, 1)), 409);
        assertEquals(before, State.take(dataSource, storage));
        given().get("/api/v1/base-models?status=RETIRED").then().body("items.id", hasItem(oldId));
        given().get("/api/v1/base-models?status=ACTIVE").then().body("items.id", not(hasItem(oldId)));
    }

    private void put(String key, byte[] bytes) throws Exception {
        Path file = Files.createTempFile("fixture", ".bin");
        try {
            Files.write(file, bytes);
            storage.putFile(key, file, "application/octet-stream");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static Map<String, byte[]> without(Map<String, byte[]> files, String name) {
        Map<String, byte[]> copy = new LinkedHashMap<>(files);
        copy.remove(name);
        return copy;
    }

    private static Map<String, byte[]> with(Map<String, byte[]> files, String name, byte[] bytes) {
        Map<String, byte[]> copy = new LinkedHashMap<>(files);
        copy.put(name, bytes);
        return copy;
    }
}
