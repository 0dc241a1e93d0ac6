package dev.adapterhub.registry;

import dev.adapterhub.formats.digest.Sha256;
import dev.adapterhub.registry.support.Api;
import dev.adapterhub.registry.support.Fixtures;
import dev.adapterhub.registry.support.Jobs;
import dev.adapterhub.registry.support.State;
import dev.adapterhub.testsupport.BackendsTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Transfer kits (issue 10): what a job hands in with its adapter, how it is checked, and what the API shows. */
@QuarkusTest
@WithTestResource(value = BackendsTestResource.class, scope = TestResourceScope.GLOBAL)
class TransferKitIT {

    private static final List<String> TABLES = List.of("adapter_version", "seed_example", "transfer_kit",
            "transfer_kit_file");
    private static final String SEEDS = "[{\"prompt\": \"ticket 1: printer jams\", \"completion\": \"summary 1\"}]";

    @Inject
    DataSource dataSource;

    @Test
    void aJobHandsInAKitThatIsCheckedFirstAndShownWithTheVersion() {
        String base = Api.registerTinyBase();
        String adapter = Api.unique("kit");
        Map<String, Object> body = Jobs.request(base, Jobs.freshDataset("kit-data"), "LORA", adapter);
        body.put("hyperparameters", Map.of("rank", 4, "steps", 6));
        body.put("transferKit", Map.of("taskName", "ticket summaries"));
        String id = Jobs.submit(body).then().statusCode(201)
                .body("transferKit.enabled", equalTo(true)).body("transferKit.taskName", equalTo("ticket summaries"))
                .extract().path("id");
        String token = Jobs.claim(id, 1).then().statusCode(200).body("job.transferKit.taskName",
                equalTo("ticket summaries")).extract().path("leaseToken");
        Map<String, byte[]> adapterFiles = Api.files(Fixtures.lora(4, 77));
        Map<String, byte[]> discriminator = Api.files(Fixtures.lora(2, 78));
        String kit = "{\"realInputs\": 20, \"generatedInputs\": 20, \"accuracyOnReal\": 0.9, "
                + "\"accuracyOnGenerated\": 0.8}";

        // Every bad kit is refused before anything is published.
        Map<String, Long> before = State.rows(dataSource, TABLES);
        Api.assertProblem(complete(id, token, adapterFiles, SEEDS, null, discriminator), 400);
        Api.assertProblem(complete(id, token, adapterFiles, SEEDS, kit.replace("0.9", "1.5"), discriminator), 400);
        Api.assertProblem(complete(id, token, adapterFiles, SEEDS, "{\"realInputs\": 20}", Map.of()), 400);
        Api.assertProblem(complete(id, token, adapterFiles, SEEDS, "[not an object", discriminator), 400);
        Map<String, byte[]> broken = new LinkedHashMap<>(discriminator);
        broken.put("adapter_model.safetensors", new byte[] {1, 2, 3});
        Api.assertProblem(complete(id, token, adapterFiles, SEEDS, kit, broken), 422);
        Map<String, byte[]> notLora = Api.files(Fixtures.shira(4, 79));
        Api.assertProblem(complete(id, token, adapterFiles, SEEDS, kit, notLora), 422);
        assertEquals(before, State.rows(dataSource, TABLES));
        given().get("/api/v1/training-jobs/" + id).then().body("state", equalTo("VALIDATING"))
                .body("resultVersionId", nullValue());

        Response done = complete(id, token, adapterFiles, SEEDS, kit, discriminator);
        done.then().statusCode(200).body("version.lineage.trainingExamples", equalTo(24));
        // A retried completion stores nothing twice.
        complete(id, token, adapterFiles, SEEDS, kit, discriminator).then().statusCode(200);
        assertEquals(before.get("transfer_kit") + 1, State.rows(dataSource, TABLES).get("transfer_kit"));
        assertEquals(before.get("transfer_kit_file") + 2, State.rows(dataSource, TABLES).get("transfer_kit_file"));

        String path = "/api/v1/adapters/" + adapter + "/versions/latest/transfer-kit";
        given().get(path).then().statusCode(200).body("status", equalTo("COMPLETE")).body("reason", nullValue())
                .body("version", equalTo(adapter + "@1")).body("taskName", equalTo("ticket summaries"))
                .body("seedExamples", equalTo(1)).body("optedOut", equalTo(false))
                .body("discriminator.realInputs", equalTo(20)).body("discriminator.accuracyOnReal", equalTo(0.9f))
                .body("discriminator.files", hasSize(2));
        String download = given().get(path).path("discriminator.files.find { it.name == 'adapter_model.safetensors' }"
                + ".downloadPath");
        byte[] bytes = given().get(download).then().statusCode(200).extract().asByteArray();
        assertArrayEquals(discriminator.get("adapter_model.safetensors"), bytes);
        given().get(path).then().body("discriminator.files.find { it.name == 'adapter_model.safetensors' }.sha256",
                equalTo(Sha256.hex(bytes)));
        Api.assertProblem(given().get(path + "/files/model.bin"), 404);
    }

    @Test
    void aJobThatOptsOutKeepsNothingAndAVersionWithoutAKitSaysWhy() {
        String base = Api.registerTinyBase();
        String dataset = Jobs.freshDataset("kit-data");
        Map<String, Object> invalid = Jobs.request(base, dataset, "LORA", Api.unique("kit"));
        invalid.put("transferKit", Map.of("taskName", "two\nlines"));
        Api.assertProblem(Jobs.submit(invalid), 400).then().body("detail", containsString("taskName"));
        invalid.put("transferKit", Map.of("enabled", false, "taskName", "unused"));
        Api.assertProblem(Jobs.submit(invalid), 400);

        String adapter = Api.unique("kit");
        Map<String, Object> body = Jobs.request(base, dataset, "LORA", adapter);
        body.put("hyperparameters", Map.of("rank", 4, "steps", 6));
        body.put("transferKit", Map.of("enabled", false));
        String id = Jobs.submit(body).then().statusCode(201).body("transferKit.enabled", equalTo(false))
                .extract().path("id");
        String token = Jobs.claim(id, 1).then().statusCode(200).extract().path("leaseToken");
        Map<String, byte[]> files = Api.files(Fixtures.lora(4, 80));
        Api.assertProblem(complete(id, token, files, SEEDS, null, Map.of()), 400).then()
                .body("detail", containsString("opted out"));
        complete(id, token, files, "[]", null, Map.of()).then().statusCode(200);
        given().get("/api/v1/adapters/" + adapter + "/versions/1/transfer-kit").then().statusCode(200)
                .body("status", equalTo("NONE")).body("optedOut", equalTo(true)).body("seedExamples", equalTo(0))
                .body("reason", containsString("opted out"));

        // A worker that could make no discriminator says why; the seeds alone still allow a transfer.
        String partial = Api.unique("kit");
        Map<String, Object> second = Jobs.request(base, dataset, "LORA", partial);
        second.put("hyperparameters", Map.of("rank", 4, "steps", 6));
        String secondId = Jobs.submit(second).then().statusCode(201).body("transferKit.taskName", equalTo(partial))
                .extract().path("id");
        String secondToken = Jobs.claim(secondId, 1).then().statusCode(200).extract().path("leaseToken");
        complete(secondId, secondToken, Api.files(Fixtures.lora(4, 81)), SEEDS,
                "{\"missingReason\": \"the base model finished 1 usable input\"}", Map.of()).then().statusCode(200);
        given().get("/api/v1/adapters/" + partial + "/versions/1/transfer-kit").then()
                .body("status", equalTo("SEEDS_ONLY")).body("taskName", equalTo(partial))
                .body("reason", containsString("finished 1 usable input")).body("discriminator", nullValue());

        // Uploaded directly: no kit row at all.
        String uploaded = Api.createAdapter(base, "LORA");
        Api.assertProblem(Api.uploadVersion(uploaded, Api.files(Fixtures.lora(4, 82)),
                Map.of("trainingExamples", "0")), 400);
        Api.assertProblem(Api.uploadVersion(uploaded, Api.files(Fixtures.lora(4, 82)),
                Map.of("trainingExamples", "many")), 400);
        Api.uploadVersion(uploaded, Api.files(Fixtures.lora(4, 82)), Map.of("trainingExamples", "800"))
                .then().statusCode(201).body("lineage.trainingExamples", equalTo(800));
        given().get("/api/v1/adapters/" + uploaded + "/versions/1/transfer-kit").then().statusCode(200)
                .body("status", equalTo("NONE")).body("reason", containsString("uploaded directly"))
                .body("createdAt", nullValue());
        Api.assertProblem(given().get("/api/v1/adapters/" + uploaded + "/versions/9/transfer-kit"), 404);
    }

    private static Response complete(String id, String token, Map<String, byte[]> files, String seeds, String kit,
                                     Map<String, byte[]> kitFiles) {
        RequestSpecification request = given().multiPart("leaseToken", token).multiPart("seedExamples", seeds)
                .multiPart("trainingExamples", "24");
        if (kit != null) {
            request.multiPart("transferKit", kit);
        }
        files.forEach((name, bytes) -> request.multiPart("file", name, bytes, "application/octet-stream"));
        kitFiles.forEach((name, bytes) -> request.multiPart("kitFile", name, bytes, "application/octet-stream"));
        return request.when().post("/api/v1/training-jobs/" + id + "/complete");
    }


}
