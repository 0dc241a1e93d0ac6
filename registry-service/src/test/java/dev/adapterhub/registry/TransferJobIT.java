package dev.adapterhub.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adapterhub.formats.hf.LlamaConfig;
import dev.adapterhub.registry.support.Api;
import dev.adapterhub.registry.support.Fixtures;
import dev.adapterhub.registry.support.Jobs;
import dev.adapterhub.testsupport.BackendsTestResource;
import dev.adapterhub.testsupport.KafkaTopicProbe;
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
import static org.junit.jupiter.api.Assertions.assertEquals;

/** TRANSFER jobs (issue 10): planned from a version and its kit, claimed with the source's files, published onto
 * the target base with lineage. */
@QuarkusTest
@WithTestResource(value = BackendsTestResource.class, scope = TestResourceScope.GLOBAL)
class TransferJobIT {

    @Inject
    DataSource dataSource;

    @Test
    void aTransferJobMovesAVersionToAnotherBaseWithLineage() {
        String sourceBase = Api.registerTinyBase();
        String targetBase = Api.registerTinyBase();
        String adapter = trainedWithKit(sourceBase);

        KafkaTopicProbe dispatch = Jobs.mark(dataSource, Jobs.DISPATCH_TOPIC);
        Map<String, Object> body = transfer(targetBase, adapter + "@1");
        String id = Jobs.submit(body).then().statusCode(201).body("kind", equalTo("TRANSFER"))
                .body("adapterName", equalTo(adapter)).body("dataset", nullValue())
                .body("baseModel.name", equalTo(targetBase.split("@")[0]))
                .body("transfer.sourceVersion.version", equalTo(1)).body("transfer.goal", equalTo(24))
                .body("transfer.sameShapes", equalTo(true)).body("transfer.kitStatus", equalTo("COMPLETE"))
                .body("transfer.taskName", equalTo("ticket summaries")).body("transfer.copyFirst", equalTo(true))
                .body("hyperparameters.rank", equalTo(4)).body("totalSteps", equalTo(6))
                .extract().path("id");
        JsonNode dispatched = Jobs.assertEvents(dispatch, dataSource, "dev.adapterhub.training.job.dispatched", id, 1)
                .get(0);
        assertEquals("TRANSFER", dispatched.get("kind").asText());
        assertEquals(false, dispatched.has("datasetDigest"));

        Response claim = Jobs.claim(id, 1);
        claim.then().statusCode(200).body("datasetFile", nullValue()).body("baseModelFiles", hasSize(3))
                .body("transfer.sourceBaseModelFiles", hasSize(3)).body("transfer.sourceAdapterFiles", hasSize(2))
                .body("transfer.discriminatorFiles", hasSize(2))
                .body("transfer.seedExamples[0].completion", equalTo("summary 1"));
        String token = claim.path("leaseToken");
        Map<String, byte[]> files = Api.files(Fixtures.lora(4, 90));
        Api.assertProblem(complete(id, token, files, null, "[{\"prompt\": \"p\", \"completion\": \"c\"}]"), 400);
        Api.assertProblem(complete(id, token, files, null, null), 400).then()
                .body("detail", containsString("transferMethod"));
        Api.assertProblem(complete(id, token, files, "DISTILLED", null), 400);

        String metrics = "[{\"name\": \"eval_exact_match\", \"value\": 0.9, \"split\": \"synthetic-holdout\"}]";
        RequestSpecification done = given().multiPart("leaseToken", token).multiPart("transferMethod", "TRANS_LORA")
                .multiPart("trainingExamples", "24").multiPart("metrics", metrics);
        files.forEach((name, bytes) -> done.multiPart("file", name, bytes, "application/octet-stream"));
        done.when().post("/api/v1/training-jobs/" + id + "/complete").then().statusCode(200)
                .body("job.state", equalTo("SUCCEEDED")).body("version.version", equalTo(2))
                .body("version.lineage.baseModel.name", equalTo(targetBase.split("@")[0]))
                .body("version.lineage.transferredFrom.version", equalTo(1))
                .body("version.lineage.transferMethod", equalTo("TRANS_LORA"))
                .body("version.lineage.trainingExamples", equalTo(24))
                .body("version.lineage.datasetDigest", nullValue())
                .body("job.gate.decision", equalTo("NEEDS_REVIEW"))
                .body("job.gate.reason", containsString("reported no"));
        given().get("/api/v1/adapters/" + adapter + "/versions/2/transfer-kit").then()
                .body("status", equalTo("SEEDS_ONLY")).body("seedExamples", equalTo(1))
                .body("taskName", equalTo("ticket summaries")).body("reason", containsString("source's base"));
        given().queryParam("kind", "TRANSFER").queryParam("adapter", adapter).get("/api/v1/training-jobs").then()
                .body("total", equalTo(1)).body("items[0].id", equalTo(id));
        given().queryParam("kind", "TRAINING").queryParam("adapter", adapter).get("/api/v1/training-jobs").then()
                .body("total", equalTo(1));
        Api.assertProblem(given().queryParam("kind", "COPY").get("/api/v1/training-jobs"), 400);
        // The source stays where it was, unchanged.
        given().get("/api/v1/adapters/" + adapter + "/versions/1").then()
                .body("lineage.baseModel.name", equalTo(sourceBase.split("@")[0]));
    }

    @Test
    void theGatePromotesOnlyAVersionThatHoldsUpAndLeavesTheRestToAReviewer() {
        String adapter = trainedWithKit(Api.registerTinyBase());
        KafkaTopicProbe events = Jobs.mark(dataSource, Jobs.EVENTS_TOPIC);

        // Passes: at least the source, above the target base. production moves, audited, and the adapter's base too.
        String[] passing = claimedTransfer(adapter);
        completeTransfer(passing, 0.8, 0.1, 0.8).then().statusCode(200).body("version.version", equalTo(2))
                .body("job.gate.decision", equalTo("PROMOTED")).body("job.gate.aliases", equalTo(List.of("production")))
                .body("job.gate.evaluationSet", equalTo("eval"));
        given().get("/api/v1/adapters/" + adapter + "/aliases/production").then().body("version", equalTo(2))
                .body("updatedBy", equalTo("transfer-gate:" + passing[0]));
        String target = given().get("/api/v1/training-jobs/" + passing[0]).path("baseModel.id");
        given().get("/api/v1/adapters/" + adapter).then().body("baseModel.id", equalTo(target));
        JsonNode promoted = Jobs.assertEvents(events, dataSource, "dev.adapterhub.training.job.transfer-gated",
                passing[0], 1).get(0);
        assertEquals("PROMOTED", promoted.get("decision").asText());
        assertEquals(0.8, promoted.get("transferredExactMatch").asDouble());
        assertEquals("TRANS_LORA", promoted.get("transferMethod").asText());
        Api.assertProblem(given().contentType("application/json").post("/api/v1/training-jobs/" + passing[0] + "/promote"), 409);

        // Below the source: NEEDS_REVIEW, production stays; a reviewer rejects it.
        given().contentType("application/json").body(Map.of("version", "1"))
                .put("/api/v1/adapters/" + adapter + "/aliases/production").then().statusCode(200);
        String[] weak = claimedTransfer(adapter);
        completeTransfer(weak, 0.8, 0.1, 0.7).then().statusCode(200)
                .body("job.gate.decision", equalTo("NEEDS_REVIEW"))
                .body("job.gate.reason", containsString("below the source's 0.800"));
        given().get("/api/v1/adapters/" + adapter + "/aliases/production").then().body("version", equalTo(1));
        given().contentType("application/json").body(Map.of("note", "too weak", "actor", "carol"))
                .post("/api/v1/training-jobs/" + weak[0] + "/reject").then().statusCode(200)
                .body("gate.decision", equalTo("REJECTED")).body("gate.decidedBy", equalTo(Api.ADMIN + " for carol"))
                .body("gate.reason", equalTo("too weak"));
        given().get("/api/v1/adapters/" + adapter + "/aliases/production").then().body("version", equalTo(1));
        Api.assertProblem(given().contentType("application/json").post("/api/v1/training-jobs/" + weak[0] + "/promote"), 409);

        // Not above the target base alone: NEEDS_REVIEW; a reviewer promotes it anyway.
        String[] flat = claimedTransfer(adapter);
        int flatVersion = completeTransfer(flat, 0.5, 0.6, 0.6).then().statusCode(200)
                .body("job.gate.decision", equalTo("NEEDS_REVIEW"))
                .body("job.gate.reason", containsString("not above the target base"))
                .extract().path("version.version");
        given().contentType("application/json").body(Map.of("actor", "dave"))
                .post("/api/v1/training-jobs/" + flat[0] + "/promote").then().statusCode(200)
                .body("gate.decision", equalTo("PROMOTED_BY_REVIEW"));
        given().get("/api/v1/adapters/" + adapter + "/aliases/production").then().body("version", equalTo(flatVersion))
                .body("updatedBy", equalTo(Api.ADMIN + " for dave"));

        // Passing scores, but production moved after the transfer was planned: a person decides.
        given().contentType("application/json").body(Map.of("version", "1"))
                .put("/api/v1/adapters/" + adapter + "/aliases/production").then().statusCode(200);
        String[] raced = claimedTransfer(adapter);
        given().contentType("application/json").body(Map.of("version", "2"))
                .put("/api/v1/adapters/" + adapter + "/aliases/production").then().statusCode(200);
        completeTransfer(raced, 0.8, 0.1, 0.9).then().statusCode(200)
                .body("job.gate.decision", equalTo("NEEDS_REVIEW"))
                .body("job.gate.reason", containsString("alias production moved to version 2"));
        given().get("/api/v1/adapters/" + adapter + "/aliases/production").then().body("version", equalTo(2));

        // Passing scores, but the source was deprecated meanwhile (its owners are retiring it): a person decides.
        given().contentType("application/json").body(Map.of("version", "2"))
                .put("/api/v1/adapters/" + adapter + "/aliases/production").then().statusCode(200);
        String[] orphaned = claimedTransfer(adapter, List.of());
        given().contentType("application/json").body(Map.of("reason", "leaks PII"))
                .post("/api/v1/adapters/" + adapter + "/versions/1/deprecate").then().statusCode(200);
        completeTransfer(orphaned, 0.8, 0.1, 0.9).then().statusCode(200)
                .body("job.gate.decision", equalTo("NEEDS_REVIEW"))
                .body("job.gate.reason", equalTo("the source version 1 was deprecated (leaks PII)"));
        given().get("/api/v1/adapters/" + adapter + "/aliases/production").then().body("version", equalTo(2));
        // Training jobs are not reviewed.
        String training = Jobs.submit(Jobs.request(Api.registerTinyBase(), Jobs.freshDataset("transfer-data"), "LORA",
                Api.unique("plain"))).then().statusCode(201).extract().path("id");
        Api.assertProblem(given().contentType("application/json").post("/api/v1/training-jobs/" + training + "/reject"), 409);
    }

    @Test
    void aTargetRetiredMidTransferGetsNoVersionAndTheJobFailsWithTheReason() {
        String adapter = trainedWithKit(Api.registerTinyBase());
        String target = Api.registerTinyBase();
        String id = Jobs.submit(transfer(target, adapter + "@1")).then().statusCode(201).extract().path("id");
        String token = Jobs.claim(id, 1).then().statusCode(200).extract().path("leaseToken");
        given().post("/api/v1/base-models/" + target + "/retire").then().statusCode(200);

        // The worker's hand-in is refused (nothing published); the worker then reports a final failure.
        Api.assertProblem(complete(id, token, Api.files(Fixtures.lora(4, 93)), "TRANS_LORA", null), 409).then()
                .body("detail", containsString("retired"));
        given().get("/api/v1/adapters/" + adapter + "/versions").then().body("total", equalTo(1));
        Jobs.post(id, "fail", Map.of("leaseToken", token, "reason", "Base model " + target + " is retired",
                "retryable", false)).then().statusCode(204);
        given().get("/api/v1/training-jobs/" + id).then().body("state", equalTo("FAILED"))
                .body("failureReason", containsString("retired"));
        // And no new transfer to it is accepted.
        Api.assertProblem(Jobs.submit(transfer(target, adapter + "@1")), 409);

        // Retired while the job still waits: the claim ends it at once instead of after the work.
        String later = Api.registerTinyBase();
        String waiting = Jobs.submit(transfer(later, adapter + "@1")).then().statusCode(201).extract().path("id");
        given().post("/api/v1/base-models/" + later + "/retire").then().statusCode(200);
        Api.assertProblem(Jobs.claim(waiting, 1), 409).then().body("detail", containsString("retired"));
        given().get("/api/v1/training-jobs/" + waiting).then().body("state", equalTo("FAILED"))
                .body("failureReason", containsString("was retired before the job ran"));
        Api.assertProblem(Jobs.claim(waiting, 1), 409);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anotherMethodOnRequestLandsInAnotherAdapter() {
        String adapter = trainedWithKit(Api.registerTinyBase());
        String target = Api.registerTinyBase();
        String sparse = Api.unique("sparse");
        Map<String, Object> body = transfer(target, adapter + "@production");
        body.put("method", "SHIRA");
        // An adapter has one method: the source's cannot take a SHiRA version, an existing LoRA adapter neither.
        Api.assertProblem(Jobs.submit(body), 400).then().body("detail", containsString("name another adapter"));
        body.put("adapterName", Api.createAdapter(target, "LORA"));
        Api.assertProblem(Jobs.submit(body), 409).then().body("detail", containsString("uses method LORA"));
        body.put("adapterName", sparse);
        ((Map<String, Object>) body.get("transfer")).put("copyFirst", true);
        Api.assertProblem(Jobs.submit(body), 400).then().body("detail", containsString("copy rung"));
        ((Map<String, Object>) body.get("transfer")).remove("copyFirst");

        String id = Jobs.submit(body).then().statusCode(201).body("adapterName", equalTo(sparse))
                .body("method", equalTo("SHIRA")).body("team", equalTo("team-a"))
                .body("transfer.copyFirst", equalTo(false)).body("transfer.promoteAliases", equalTo(List.of()))
                .body("transfer.sourceVersion.adapterName", equalTo(adapter))
                .body("hyperparameters.steps", equalTo(6)).body("hyperparameters.shiraMaskType", equalTo("WEIGHT_MAGNITUDE"))
                .extract().path("id");
        String token = Jobs.claim(id, 1).then().statusCode(200)
                .body("transfer.sourceAdapterFiles", hasSize(2)).extract().path("leaseToken");
        String metrics = "[{\"name\": \"transfer_source_exact_match\", \"value\": 0.8, \"split\": \"eval\"},"
                + "{\"name\": \"transfer_target_base_exact_match\", \"value\": 0.1, \"split\": \"eval\"},"
                + "{\"name\": \"eval_exact_match\", \"value\": 0.85, \"split\": \"eval\"}]";
        RequestSpecification request = given().multiPart("leaseToken", token).multiPart("transferMethod", "TRANS_LORA")
                .multiPart("metrics", metrics);
        Api.files(Fixtures.shira(4, 96)).forEach((name, bytes) -> request.multiPart("file", name, bytes,
                "application/octet-stream"));
        request.when().post("/api/v1/training-jobs/" + id + "/complete").then().statusCode(200)
                .body("version.version", equalTo(1)).body("version.lineage.transferredFrom.adapterName", equalTo(adapter))
                .body("job.gate.decision", equalTo("PROMOTED")).body("job.gate.aliases", equalTo(List.of()));
        given().get("/api/v1/adapters/" + sparse).then().statusCode(200).body("method", equalTo("SHIRA"))
                .body("team", equalTo("team-a")).body("baseModel.name", equalTo(target.split("@")[0]));
        // The source adapter and its production alias are untouched.
        given().get("/api/v1/adapters/" + adapter + "/aliases/production").then().body("version", equalTo(1));
    }

    @Test
    void transfersThatCannotWorkAreRefusedUpFront() {
        String sourceBase = Api.registerTinyBase();
        String adapter = trainedWithKit(sourceBase);
        Api.assertProblem(Jobs.submit(transfer(sourceBase, adapter + "@1")), 409).then()
                .body("detail", containsString("already on"));
        Map<String, Object> withDataset = transfer(Api.registerTinyBase(), adapter + "@1");
        withDataset.put("dataset", "sha256:" + "0".repeat(64));
        Api.assertProblem(Jobs.submit(withDataset), 400);
        Map<String, Object> noSource = transfer(Api.registerTinyBase(), null);
        noSource.put("transfer", Map.of());
        Api.assertProblem(Jobs.submit(noSource), 400);
        Api.assertProblem(Jobs.submit(transfer(Api.registerTinyBase(), adapter + "@7")), 404);
        Map<String, Object> otherAdapter = transfer(Api.registerTinyBase(), adapter + "@1");
        otherAdapter.put("adapterName", "Not A Name!");
        Api.assertProblem(Jobs.submit(otherAdapter), 400);

        // A version uploaded without a kit moves only by the copy rung: same shapes yes, other shapes no.
        String bare = Api.createAdapter(sourceBase, "LORA");
        Api.uploadVersion(bare, Fixtures.lora(4, 91)).then().statusCode(201);
        Jobs.submit(transfer(Api.registerTinyBase(), bare + "@1")).then().statusCode(201)
                .body("transfer.kitStatus", equalTo("NONE")).body("transfer.goal", equalTo(800));
        String wider = Api.unique("wide");
        LlamaConfig config = LlamaConfig.of(32, 64, 2, 4, 2, 64);
        Map<String, byte[]> checkpoint = new LinkedHashMap<>();
        checkpoint.put("config.json", Fixtures.configJson(config));
        checkpoint.put("model.safetensors", Fixtures.safetensors(Fixtures.checkpointTensors(config, 3)));
        checkpoint.put("tokenizer.json", Fixtures.tokenizerJson());
        Api.registerBase(wider, "v1", checkpoint).then().statusCode(201);
        Api.assertProblem(Jobs.submit(transfer(wider + "@v1", bare + "@1")), 409).then()
                .body("detail", containsString("no transfer kit"));
        // With a kit, another shape is fine: Trans-LoRA distils instead of copying.
        Jobs.submit(transfer(wider + "@v1", adapter + "@1")).then().statusCode(201)
                .body("transfer.sameShapes", equalTo(false));
    }

    /** A LoRA adapter whose version 1 came from a job with a complete kit (24 examples, one seed). */
    private static String trainedWithKit(String base) {
        String adapter = Api.unique("movable");
        Map<String, Object> body = Jobs.request(base, Jobs.freshDataset("transfer-data"), "LORA", adapter);
        body.put("hyperparameters", Map.of("rank", 4, "steps", 6));
        body.put("transferKit", Map.of("taskName", "ticket summaries"));
        String id = Jobs.submit(body).then().statusCode(201).extract().path("id");
        String token = Jobs.claim(id, 1).then().statusCode(200).extract().path("leaseToken");
        RequestSpecification request = given().multiPart("leaseToken", token).multiPart("trainingExamples", "24")
                .multiPart("seedExamples", "[{\"prompt\": \"ticket 1: printer jams\", \"completion\": \"summary 1\"}]")
                .multiPart("transferKit", "{\"realInputs\": 20, \"generatedInputs\": 20, \"accuracyOnReal\": 0.9, "
                        + "\"accuracyOnGenerated\": 0.8}");
        Api.files(Fixtures.lora(4, 88)).forEach((name, bytes) -> request.multiPart("file", name, bytes,
                "application/octet-stream"));
        Api.files(Fixtures.lora(2, 89)).forEach((name, bytes) -> request.multiPart("kitFile", name, bytes,
                "application/octet-stream"));
        request.when().post("/api/v1/training-jobs/" + id + "/complete").then().statusCode(200);
        given().contentType("application/json").body(Map.of("version", "1"))
                .put("/api/v1/adapters/" + adapter + "/aliases/production").then().statusCode(201);
        return adapter;
    }

    /** Submits and claims a transfer of {@code adapter}@1 to a fresh base; returns {id, lease token}. */
    private static String[] claimedTransfer(String adapter) {
        return claimedTransfer(adapter, List.of("production"));
    }

    private static String[] claimedTransfer(String adapter, List<String> aliases) {
        String id = Jobs.submit(transfer(Api.registerTinyBase(), adapter + "@1")).then().statusCode(201)
                .body("transfer.promoteAliases", equalTo(aliases)).extract().path("id");
        return new String[] {id, Jobs.claim(id, 1).then().statusCode(200).extract().path("leaseToken")};
    }

    private static Response completeTransfer(String[] job, double source, double targetBase, double transferred) {
        String metrics = "[{\"name\": \"transfer_source_exact_match\", \"value\": " + source + ", \"split\": \"eval\"},"
                + "{\"name\": \"transfer_target_base_exact_match\", \"value\": " + targetBase + ", \"split\": \"eval\"},"
                + "{\"name\": \"eval_exact_match\", \"value\": " + transferred + ", \"split\": \"eval\"}]";
        RequestSpecification request = given().multiPart("leaseToken", job[1]).multiPart("transferMethod", "TRANS_LORA")
                .multiPart("metrics", metrics);
        Api.files(Fixtures.lora(4, 92)).forEach((name, bytes) -> request.multiPart("file", name, bytes,
                "application/octet-stream"));
        return request.when().post("/api/v1/training-jobs/" + job[0] + "/complete");
    }

    private static Map<String, Object> transfer(String targetBase, String source) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "TRANSFER");
        body.put("baseModel", targetBase);
        Map<String, Object> transfer = new LinkedHashMap<>();
        transfer.put("sourceVersion", source);
        body.put("transfer", transfer);
        return body;
    }

    private static Response complete(String id, String token, Map<String, byte[]> files, String method, String seeds) {
        RequestSpecification request = given().multiPart("leaseToken", token);
        if (method != null) {
            request.multiPart("transferMethod", method);
        }
        if (seeds != null) {
            request.multiPart("seedExamples", seeds);
        }
        files.forEach((name, bytes) -> request.multiPart("file", name, bytes, "application/octet-stream"));
        return request.when().post("/api/v1/training-jobs/" + id + "/complete");
    }

}
