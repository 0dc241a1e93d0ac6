package dev.adapterhub.registry;

import dev.adapterhub.registry.storage.ObjectStorage;
import dev.adapterhub.registry.support.Api;
import dev.adapterhub.registry.support.Fixtures;
import dev.adapterhub.registry.support.Jobs;
import dev.adapterhub.testsupport.BackendsTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Registered evaluation sets and dataset deletion (issue 10): a team keeps an adapter's evaluation set while its
 * training data goes, and transfers are gated on the kept set.
 */
@QuarkusTest
@WithTestResource(value = BackendsTestResource.class, scope = TestResourceScope.GLOBAL)
class EvaluationSetIT {

    @Inject
    ObjectStorage storage;

    @Test
    void anEvaluationSetIsKeptWhileTheTrainingDataGoesAndTransfersAreScoredOnIt() {
        String base = Api.registerTinyBase();
        byte[] trainingBytes = examples(Api.unique("train"));
        String trainingData = Jobs.uploadDataset(trainingBytes).then().statusCode(201).extract().path("digest");
        String evalSet = Jobs.freshDataset("eval");
        String adapter = trained(base, trainingData);

        // Register, read back; bad requests change nothing.
        Api.assertProblem(given().get(url(adapter)), 404).then().body("detail", containsString("no evaluation set"));
        Api.assertProblem(put(adapter, Map.of()), 400);
        Api.assertProblem(put(adapter, Map.of("dataset", "sha256:" + "1".repeat(64))), 404);
        Api.assertProblem(put("no-such-adapter", Map.of("dataset", evalSet)), 404);
        put(adapter, Map.of("dataset", evalSet, "actor", "erin")).then().statusCode(200)
                .body("adapterName", equalTo(adapter)).body("dataset.digest", equalTo(evalSet))
                .body("dataset.exampleCount", equalTo(30)).body("setBy", equalTo(Api.ADMIN + " for erin"));
        given().get(url(adapter)).then().statusCode(200).body("dataset.digest", equalTo(evalSet));

        // The training data can go (its job has ended); lineage still names it. The evaluation set cannot.
        String trainingKey = blobKey(trainingData);
        assertTrue(storage.exists(trainingKey));
        given().delete("/api/v1/datasets/" + trainingData + "?reason=retention policy")
                .then().statusCode(200).body("deletedAt", notNullValue()).body("deletedBy", equalTo(Api.ADMIN))
                .body("deletionReason", equalTo("retention policy"));
        assertFalse(storage.exists(trainingKey), "the bytes are gone");
        given().get("/api/v1/datasets/" + trainingData).then().statusCode(200).body("deletedAt", notNullValue())
                .body("exampleCount", equalTo(30));
        given().get("/api/v1/adapters/" + adapter + "/versions/1/lineage").then()
                .body("datasetDigest", equalTo(trainingData));
        given().delete("/api/v1/datasets/" + trainingData).then().statusCode(200);
        Api.assertProblem(Jobs.submit(Jobs.request(base, trainingData, "LORA", Api.unique("again"))), 409).then()
                .body("detail", containsString("was deleted"));
        Api.assertProblem(given().delete("/api/v1/datasets/" + evalSet), 409).then()
                .body("detail", containsString("evaluation set of " + adapter));
        assertTrue(storage.exists(blobKey(evalSet)));
        given().get("/api/v1/datasets/" + evalSet).then().body("deletedAt", nullValue());

        // A transfer planned now is scored on the evaluation set: the plan and the claim carry it.
        Map<String, Object> transfer = new LinkedHashMap<>();
        transfer.put("kind", "TRANSFER");
        transfer.put("baseModel", Api.registerTinyBase());
        transfer.put("transfer", Map.of("sourceVersion", adapter + "@1"));
        String job = Jobs.submit(transfer).then().statusCode(201).body("transfer.evaluationSet", equalTo(evalSet))
                .extract().path("id");
        Jobs.claim(job, 1).then().statusCode(200)
                .body("transfer.evaluationSetFile.fileName", equalTo("evaluation-set.jsonl"))
                .body("transfer.evaluationSetFile.sha256", equalTo(evalSet.substring("sha256:".length())));

        // Removed from the adapter, it can be deleted; uploaded again, it is stored again under the same record.
        given().delete(url(adapter)).then().statusCode(204);
        Api.assertProblem(given().get(url(adapter)), 404);
        Api.assertProblem(given().delete(url(adapter)), 404);
        given().delete("/api/v1/datasets/" + evalSet).then().statusCode(200);
        Api.assertProblem(put(adapter, Map.of("dataset", evalSet)), 409);
        String id = given().get("/api/v1/datasets/" + trainingData).path("id");
        Jobs.uploadDataset(trainingBytes).then().statusCode(201).body("id", equalTo(id))
                .body("deletedAt", nullValue());
        assertTrue(storage.exists(trainingKey));
    }

    @Test
    void aDatasetThatAQueuedJobWillReadIsNotDeleted() {
        String dataset = Jobs.freshDataset("queued");
        String job = Jobs.submit(Jobs.request(Api.registerTinyBase(), dataset, "LORA", Api.unique("waiting")))
                .then().statusCode(201).extract().path("id");
        Api.assertProblem(given().delete("/api/v1/datasets/" + dataset), 409).then()
                .body("detail", containsString("1 training job(s)"));
        given().get("/api/v1/datasets/" + dataset).then().body("deletedAt", nullValue());
        Jobs.post(job, "cancel", Map.of("reason", "not needed")).then().statusCode(200);
        given().delete("/api/v1/datasets/" + dataset).then().statusCode(200);
        Api.assertProblem(given().delete("/api/v1/datasets/sha256:" + "2".repeat(64)), 404);
    }

    /** An adapter whose version 1 a job trained on {@code dataset}. */
    private static String trained(String base, String dataset) {
        String adapter = Api.unique("kept");
        String id = Jobs.submit(Jobs.request(base, dataset, "LORA", adapter)).then().statusCode(201)
                .extract().path("id");
        String token = Jobs.claim(id, 1).then().statusCode(200).extract().path("leaseToken");
        RequestSpecification request = given().multiPart("leaseToken", token).multiPart("trainingExamples", "30")
                .multiPart("seedExamples", "[{\"prompt\": \"ticket 1: printer jams\", \"completion\": \"summary 1\"}]");
        Api.files(Fixtures.lora(4, 95)).forEach((name, bytes) -> request.multiPart("file", name, bytes,
                "application/octet-stream"));
        request.when().post("/api/v1/training-jobs/" + id + "/complete").then().statusCode(200);
        return adapter;
    }

    private static io.restassured.response.Response put(String adapter, Map<String, Object> body) {
        return given().contentType("application/json").body(body).put(url(adapter));
    }

    private static String url(String adapter) {
        return "/api/v1/adapters/" + adapter + "/evaluation-set";
    }

    private static String blobKey(String digest) {
        return ObjectStorage.blobKey(digest.substring("sha256:".length()));
    }

    private static byte[] examples(String marker) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            lines.append("{\"prompt\": \"").append(marker).append(" ticket ").append(i)
                    .append("\", \"completion\": \"summary ").append(i).append("\"}\n");
        }
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }
}
