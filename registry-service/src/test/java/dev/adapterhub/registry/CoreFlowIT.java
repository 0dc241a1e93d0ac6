package dev.adapterhub.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adapterhub.formats.digest.VersionDigest;
import dev.adapterhub.registry.storage.ObjectStorage;
import dev.adapterhub.registry.support.Api;
import dev.adapterhub.registry.support.EventAssertions;
import dev.adapterhub.registry.support.Fixtures;
import dev.adapterhub.testsupport.BackendsTestResource;
import dev.adapterhub.testsupport.KafkaTopicProbe;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The core path: register a base, create an adapter, upload and download a version, and the events of each. */
@QuarkusTest
@WithTestResource(value = BackendsTestResource.class, scope = TestResourceScope.GLOBAL)
class CoreFlowIT {

    @Inject
    DataSource dataSource;

    @Inject
    ObjectStorage storage;

    @Test
    void registerBaseModelStoresShapesFromTheCheckpointAndEmitsOneEvent() throws Exception {
        String name = Api.unique("tiny");
        try (KafkaTopicProbe probe = EventAssertions.mark(dataSource)) {
            Response created = Api.registerBase(name, "v1", Api.tinyCheckpoint());
            created.then().statusCode(201)
                    .body("name", equalTo(name))
                    .body("revision", equalTo("v1"))
                    .body("architecture", equalTo("llama"))
                    .body("hiddenSize", equalTo(16))
                    .body("numLayers", equalTo(2))
                    .body("numKeyValueHeads", equalTo(2))
                    .body("status", equalTo("ACTIVE"))
                    .body("storageMode", equalTo("UPLOADED"))
                    .body("shapesSource", equalTo("CHECKPOINT"))
                    .body("linearModuleCount", equalTo(14))
                    .body("files", hasSize(3));
            String id = created.jsonPath().getString("id");

            JsonNode data = EventAssertions.assertExactlyOne(probe, dataSource,
                    "dev.adapterhub.registry.base-model.registered", id);
            assertEquals(name, data.get("name").asText());
            assertEquals(16, data.get("hiddenSize").asInt());
            assertEquals(2, data.get("numLayers").asInt());

            // by id, by name (latest active) and by name@revision
            given().get("/api/v1/base-models/" + id).then().statusCode(200).body("name", equalTo(name));
            given().get("/api/v1/base-models/" + name).then().statusCode(200).body("id", equalTo(id));
            given().get("/api/v1/base-models/" + name + "@v1").then().statusCode(200).body("id", equalTo(id));

            given().get("/api/v1/base-models/" + name + "/linear-modules").then().statusCode(200)
                    .body("", hasSize(14))
                    .body("find { it.module == 'model.layers.1.self_attn.k_proj' }.outFeatures", equalTo(8))
                    .body("find { it.module == 'model.layers.1.mlp.down_proj' }.inFeatures", equalTo(32));

            byte[] downloaded = given().get("/api/v1/base-models/" + name + "@v1/files/model.safetensors")
                    .then().statusCode(200).extract().asByteArray();
            assertArrayEquals(Fixtures.modelSafetensors(), downloaded);
        }
    }

    @Test
    void uploadValidatesStoresAndServesAVersion() throws Exception {
        String base = Api.registerTinyBase();
        String adapter = Api.createAdapter(base, "LORA");
        Fixtures.AdapterFiles files = Fixtures.lora(4, 7);

        try (KafkaTopicProbe probe = EventAssertions.mark(dataSource)) {
            Response uploaded = Api.uploadVersion(adapter, files);
            uploaded.then().statusCode(201)
                    .body("version", equalTo(1))
                    .body("status", equalTo("ACTIVE"))
                    .body("peftType", equalTo("LORA"))
                    .body("rank", equalTo(4))
                    .body("createdBy", equalTo(Api.ADMIN))
                    .body("files", hasSize(2));
            String digest = uploaded.jsonPath().getString("digest");
            String configSha = sha256(files.config());
            String weightsSha = sha256(files.weights());
            assertEquals(VersionDigest.of(Map.of("adapter_config.json", configSha,
                    "adapter_model.safetensors", weightsSha)), digest);
            // The documented definition: sha256sum output of the files in name order, hashed again.
            String manifest = configSha + "  adapter_config.json\n" + weightsSha + "  adapter_model.safetensors\n";
            assertEquals("sha256:" + sha256(manifest.getBytes()), digest);
            assertTrue(storage.exists(ObjectStorage.blobKey(weightsSha)));

            String adapterId = uploaded.jsonPath().getString("adapterId");
            JsonNode data = EventAssertions.assertExactlyOne(probe, dataSource,
                    "dev.adapterhub.registry.adapter-version.published", adapterId);
            assertEquals(1, data.get("version").asInt());
            assertEquals(digest, data.get("digest").asText());
            assertEquals("LORA", data.get("peftType").asText());
        }

        byte[] weights = given().get("/api/v1/adapters/" + adapter + "/versions/1/files/adapter_model.safetensors")
                .then().statusCode(200)
                .header("ETag", "\"sha256:" + sha256(files.weights()) + "\"")
                .extract().asByteArray();
        assertArrayEquals(files.weights(), weights);
        byte[] config = given().get("/api/v1/adapters/" + adapter + "/versions/latest/files/adapter_config.json")
                .then().statusCode(200).extract().asByteArray();
        assertArrayEquals(files.config(), config);

        // a second upload is version 2; the unchanged config blob is stored once
        Fixtures.AdapterFiles second = Fixtures.lora(4, 8);
        Api.uploadVersion(adapter, second).then().statusCode(201).body("version", equalTo(2));
        given().get("/api/v1/adapters/" + adapter + "/versions").then().statusCode(200)
                .body("total", equalTo(2)).body("items.version", equalTo(List.of(2, 1)));
        given().get("/api/v1/adapters/" + adapter).then().statusCode(200).body("latestVersion", equalTo(2));
    }

    @Test
    void shiraAdapterIsAcceptedForTheShiraMethod() throws Exception {
        String base = Api.registerTinyBase();
        String adapter = Api.createAdapter(base, "SHIRA");
        Api.uploadVersion(adapter, Fixtures.shira(1, 3)).then().statusCode(201)
                .body("peftType", equalTo("SHIRA"))
                .body("method", equalTo("SHIRA"))
                .body("rank", equalTo(1));
    }

    @Test
    void createAdapterEmitsOneEvent() {
        String base = Api.registerTinyBase();
        String name = Api.unique("adapter");
        try (KafkaTopicProbe probe = EventAssertions.mark(dataSource)) {
            Response created = Api.createAdapter(name, "team-x", base, "LORA_GA", List.of("b-tag", "a-tag"));
            created.then().statusCode(201)
                    .body("name", equalTo(name))
                    .body("team", equalTo("team-x"))
                    .body("method", equalTo("LORA_GA"))
                    .body("peftType", equalTo("LORA"))
                    .body("tags", equalTo(List.of("a-tag", "b-tag")))
                    .body("createdBy", equalTo(Api.ADMIN));
            JsonNode data = EventAssertions.assertExactlyOne(probe, dataSource,
                    "dev.adapterhub.registry.adapter.created", created.jsonPath().getString("id"));
            assertEquals("LORA_GA", data.get("method").asText());
            assertEquals(2, data.get("tags").size());
        }
        given().get("/api/v1/adapters/" + name).then().statusCode(200).body("baseModel.revision", equalTo("v1"));
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
