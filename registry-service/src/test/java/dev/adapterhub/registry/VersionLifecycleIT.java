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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lineage, metrics, seed examples, presigned URLs and deprecation of versions. */
@QuarkusTest
@WithTestResource(value = BackendsTestResource.class, scope = TestResourceScope.GLOBAL)
class VersionLifecycleIT {

    @Inject
    DataSource dataSource;

    @Inject
    ObjectStorage storage;

    @Test
    void lineageIsRecordedAndPublished() {
        String base = Api.registerTinyBase();
        String source = Api.createAdapter(Api.registerTinyBase(), "LORA");
        String sourceVersionId = Api.uploadVersion(source, Fixtures.lora(4, 40)).jsonPath().getString("id");
        String adapter = Api.createAdapter(base, "LORA_GA");
        Api.uploadVersion(adapter, Fixtures.lora(4, 41)).then().statusCode(201);
        String job = UUID.randomUUID().toString();
        String dataset = "sha256:" + "ab".repeat(32);

        try (KafkaTopicProbe probe = EventAssertions.mark(dataSource)) {
            Response v2 = Api.uploadVersion(adapter, Api.files(Fixtures.lora(4, 42)), Map.of(
                    "parentVersion", "1", "trainingJobId", job, "datasetDigest", dataset,
                    "transferredFromVersion", source + "@1"));
            v2.then().statusCode(201)
                    .body("version", equalTo(2))
                    .body("lineage.baseModel.name", equalTo(base.substring(0, base.indexOf('@'))))
                    .body("lineage.baseModel.revision", equalTo("v1"))
                    .body("lineage.trainingJobId", equalTo(job))
                    .body("lineage.datasetDigest", equalTo(dataset))
                    .body("lineage.parentVersion.version", equalTo(1))
                    .body("lineage.transferredFrom.id", equalTo(sourceVersionId))
                    .body("lineage.transferredFrom.adapterName", equalTo(source));
            JsonNode data = EventAssertions.assertExactlyOne(probe, dataSource,
                    "dev.adapterhub.registry.adapter-version.published", v2.jsonPath().getString("adapterId"));
            assertEquals(1, data.get("parentVersion").asInt());
            assertEquals(job, data.get("trainingJobId").asText());
            assertEquals(sourceVersionId, data.get("transferredFromVersionId").asText());
            assertEquals("LORA_GA", data.get("method").asText());
        }
        given().get("/api/v1/adapters/" + adapter + "/versions/2/lineage").then().statusCode(200)
                .body("parentVersion.version", equalTo(1)).body("trainingJobId", equalTo(job));
        given().get("/api/v1/adapters/" + adapter + "/versions/1/lineage").then().statusCode(200)
                .body("parentVersion", nullValue()).body("transferredFrom", nullValue());
        // a parent must belong to the same adapter
        Api.assertProblem(Api.uploadVersion(adapter, Api.files(Fixtures.lora(4, 43)),
                Map.of("parentVersion", source + "@1")), 400);
    }

    @Test
    void metricsAreAppendedAndListed() {
        String adapter = Api.createAdapter(Api.registerTinyBase(), "LORA");
        Api.uploadVersion(adapter, Fixtures.lora(4, 50)).then().statusCode(201);
        String path = "/api/v1/adapters/" + adapter + "/versions/1/metrics";
        given().contentType(ContentType.JSON).body(List.of(
                        Map.of("name", "eval_loss", "value", 1.25, "split", "validation", "step", 100),
                        Map.of("name", "eval_loss", "value", 0.75, "split", "validation", "step", 200),
                        Map.of("name", "accuracy", "value", 0.9)))
                .post(path).then().statusCode(200).body("", hasSize(3));
        given().get(path).then().statusCode(200)
                .body("name", equalTo(List.of("accuracy", "eval_loss", "eval_loss")))
                .body("[2].value", equalTo(0.75f)).body("[2].step", equalTo(200));

        State before = State.take(dataSource, storage);
        Api.assertProblem(given().contentType(ContentType.JSON).body(List.of(Map.of("name", "x"))).post(path), 400);
        Api.assertProblem(given().contentType(ContentType.JSON)
                .body(List.of(Map.of("name", "ok", "value", 1), Map.of("name", "bad name!", "value", 1))).post(path), 400);
        Api.assertProblem(given().contentType(ContentType.JSON).body(List.of()).post(path), 400);
        Api.assertProblem(given().contentType(ContentType.JSON).body("[{\"name\":\"x\",\"value\":\"high\"}]")
                .post(path), 400);
        Api.assertProblem(given().contentType(ContentType.JSON).body(List.of(Map.of("name", "x", "value", 1)))
                .post("/api/v1/adapters/" + adapter + "/versions/9/metrics"), 404);
        assertEquals(before, State.take(dataSource, storage));
    }

    @Test
    void seedExamplesAreBoundedInCountAndSize() {
        String adapter = Api.createAdapter(Api.registerTinyBase(), "LORA");
        Api.uploadVersion(adapter, Fixtures.lora(4, 60)).then().statusCode(201);
        String path = "/api/v1/adapters/" + adapter + "/versions/latest/seed-examples";
        List<Map<String, String>> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(Map.of("prompt", "Q" + i, "completion", "A" + i));
        }
        given().contentType(ContentType.JSON).body(five).post(path).then().statusCode(200).body("", hasSize(5));
        given().contentType(ContentType.JSON).body(five).post(path).then().statusCode(200).body("", hasSize(10));
        given().get(path).then().body("[7].prompt", equalTo("Q2")).body("[7].position", equalTo(7));

        State before = State.take(dataSource, storage);
        Api.assertProblem(given().contentType(ContentType.JSON).body(List.of(Map.of("prompt", "p", "completion", "c")))
                .post(path), 409);
        String other = Api.createAdapter(Api.registerTinyBase(), "LORA");
        Api.uploadVersion(other, Fixtures.lora(4, 61)).then().statusCode(201);
        String otherPath = "/api/v1/adapters/" + other + "/versions/1/seed-examples";
        State afterSetup = State.take(dataSource, storage);
        Api.assertProblem(given().contentType(ContentType.JSON)
                .body(List.of(Map.of("prompt", "x".repeat(8193), "completion", "c"))).post(otherPath), 400);
        Api.assertProblem(given().contentType(ContentType.JSON)
                .body(List.of(Map.of("prompt", " ", "completion", "c"))).post(otherPath), 400);
        List<Map<String, String>> eleven = new ArrayList<>(five);
        eleven.addAll(five);
        eleven.add(Map.of("prompt", "p", "completion", "c"));
        Api.assertProblem(given().contentType(ContentType.JSON).body(eleven).post(otherPath), 409);
        assertEquals(afterSetup, State.take(dataSource, storage));
        assertEquals(before.rows().get("seed_example"), afterSetup.rows().get("seed_example"));
    }

    @Test
    void presignedUrlDownloadsTheFile() throws Exception {
        String adapter = Api.createAdapter(Api.registerTinyBase(), "LORA");
        Fixtures.AdapterFiles files = Fixtures.lora(4, 70);
        Api.uploadVersion(adapter, files).then().statusCode(201);
        Response url = given().get("/api/v1/adapters/" + adapter
                + "/versions/1/files/adapter_model.safetensors/presigned-url");
        url.then().statusCode(200).body("fileName", equalTo("adapter_model.safetensors"))
                .body("sha256", equalTo(CoreFlowIT.sha256(files.weights())));
        HttpResponse<byte[]> direct = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url.jsonPath().getString("url"))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, direct.statusCode());
        assertArrayEquals(files.weights(), direct.body());
        Api.assertProblem(given().get("/api/v1/adapters/" + adapter + "/versions/1/files/adapter_model.bin"), 404);
        Api.assertProblem(given().get("/api/v1/adapters/" + adapter
                + "/versions/1/files/adapter_model.bin/presigned-url"), 404);
    }

    @Test
    void deprecationEmitsOneEventAndBlocksAliases() {
        String adapter = Api.createAdapter(Api.registerTinyBase(), "LORA");
        String adapterId = Api.uploadVersion(adapter, Fixtures.lora(4, 80)).jsonPath().getString("adapterId");
        Api.uploadVersion(adapter, Fixtures.lora(4, 81)).then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("version", "1"))
                .put("/api/v1/adapters/" + adapter + "/aliases/production").then().statusCode(201);

        State before = State.take(dataSource, storage);
        Api.assertProblem(given().contentType(ContentType.JSON).body(Map.of("reason", "bad"))
                .post("/api/v1/adapters/" + adapter + "/versions/production/deprecate"), 409);
        assertEquals(before, State.take(dataSource, storage));

        try (KafkaTopicProbe probe = EventAssertions.mark(dataSource)) {
            given().contentType(ContentType.JSON).body(Map.of("reason", "regressed on eval"))
                    .post("/api/v1/adapters/" + adapter + "/versions/2/deprecate").then().statusCode(200)
                    .body("status", equalTo("DEPRECATED")).body("deprecationReason", equalTo("regressed on eval"));
            JsonNode data = EventAssertions.assertExactlyOne(probe, dataSource,
                    "dev.adapterhub.registry.adapter-version.deprecated", adapterId);
            assertEquals(2, data.get("version").asInt());
            assertEquals("regressed on eval", data.get("reason").asText());
        }
        Api.assertProblem(given().contentType(ContentType.JSON).body(Map.of())
                .post("/api/v1/adapters/" + adapter + "/versions/2/deprecate"), 409);
        Api.assertProblem(given().contentType(ContentType.JSON).body(Map.of("version", "2"))
                .put("/api/v1/adapters/" + adapter + "/aliases/production"), 409);
        // latest skips deprecated versions; the deprecated one stays downloadable
        given().get("/api/v1/resolve/" + adapter + "@latest").then().body("version", equalTo(1));
        given().get("/api/v1/adapters/" + adapter + "/versions/2/files/adapter_config.json").then().statusCode(200);
        Response list = given().get("/api/v1/adapters/" + adapter + "/versions?size=1");
        list.then().body("total", equalTo(2)).body("items", hasSize(1)).body("items[0].status", equalTo("DEPRECATED"));
        assertTrue(list.jsonPath().getString("items[0].deprecatedAt") != null);
    }
}
