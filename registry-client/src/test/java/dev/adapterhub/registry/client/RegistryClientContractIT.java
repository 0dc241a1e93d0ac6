package dev.adapterhub.registry.client;

import dev.adapterhub.testsupport.TestKeys;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adapterhub.formats.digest.Sha256;
import dev.adapterhub.formats.digest.VersionDigest;
import dev.adapterhub.registry.client.model.Adapter;
import dev.adapterhub.registry.client.model.AdapterVersion;
import dev.adapterhub.registry.client.model.BaseModel;
import dev.adapterhub.registry.client.model.Completion;
import dev.adapterhub.registry.client.model.CompletionResult;
import dev.adapterhub.registry.client.model.TransferKit;
import dev.adapterhub.registry.client.model.Dataset;
import dev.adapterhub.registry.client.model.Heartbeat;
import dev.adapterhub.registry.client.model.Job;
import dev.adapterhub.registry.client.model.LeaseRenewal;
import dev.adapterhub.registry.client.model.ObjectStorageFile;
import dev.adapterhub.registry.client.model.Page;
import dev.adapterhub.registry.client.model.StoredFile;
import dev.adapterhub.registry.client.model.TrainingJobClaim;
import dev.adapterhub.registry.client.model.TransferOptions;
import dev.adapterhub.testsupport.RegistryStack;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client against the real registry (its packaged application on real PostgreSQL, Kafka and S3, started by
 * test-support's {@link RegistryStack}): every call of the client at least once, an error of each kind the
 * registry sends, and digest-verified downloads whose files reproduce the version digest.
 */
class RegistryClientContractIT {

    private static final String BASE = "contract-base";
    private static final String ADAPTER = "contract-lora";

    private static RegistryStack stack;
    private static RegistryClient client;
    private static Path dir;
    private static String datasetDigest;

    @BeforeAll
    static void startRegistryAndRegisterContent() throws IOException {
        stack = RegistryStack.start();
        client = RegistryClient.builder().setUrl(stack.registryBaseUrl()).optTimeout(Duration.ofSeconds(30))
                .optRetry(RetryPolicy.none()).optApiKey(TestKeys.ADMIN).build();
        for (String team : List.of("team-c", "team-m")) {
            api().contentType("application/json").body(Map.of("name", team)).when().post("/teams")
                    .then().statusCode(201);
        }
        dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "registry-client-contract-");

        Path base = ContractFixtures.baseModel(dir.resolve("base"));
        RequestSpecification upload = api().multiPart("name", BASE).multiPart("revision", "r1");
        for (String f : List.of("config.json", "tokenizer.json", "model.safetensors")) {
            upload.multiPart("file", f, Files.readAllBytes(base.resolve(f)), "application/octet-stream");
        }
        upload.when().post("/base-models").then().statusCode(201);

        api().contentType("application/json").body(Map.of("name", ADAPTER, "team", "team-c",
                        "baseModel", BASE + "@r1", "method", "LORA", "taskDescription", "contract test",
                        "tags", List.of("contract")))
                .when().post("/adapters").then().statusCode(201);
        Path lora = ContractFixtures.lora(dir.resolve("lora"), 3);
        RequestSpecification version = api();
        for (String f : Completion.ADAPTER_FILES) {
            version.multiPart("file", f, Files.readAllBytes(lora.resolve(f)), "application/octet-stream");
        }
        version.when().post("/adapters/" + ADAPTER + "/versions").then().statusCode(201);
        api().contentType("application/json").body(Map.of("version", 1))
                .when().put("/adapters/" + ADAPTER + "/aliases/production").then().statusCode(anyOf(is(200), is(201)));

        datasetDigest = api().multiPart("file", "train.jsonl", ContractFixtures.jsonl(40, "contract"),
                        "application/jsonl").multiPart("team", "team-c")
                .when().post("/datasets").then().statusCode(201).extract().path("digest");
    }

    @AfterAll
    static void stopRegistry() {
        if (stack != null) {
            stack.close();
        }
    }

    private static RequestSpecification api() {
        return given().baseUri(stack.registryApiUrl()).auth().oauth2(TestKeys.ADMIN);
    }

    @Test
    void readsTheCatalogue() {
        assertEquals(stack.registryApiUrl(), client.apiUrl());
        BaseModel base = client.findBaseModel(BASE + "@r1").orElseThrow();
        assertEquals(BASE + "@r1", base.ref());
        assertEquals("ACTIVE", base.status());
        assertEquals(16, base.hiddenSize());
        assertNotNull(base.registeredAt());
        assertEquals(3, base.files().size());
        assertEquals(base.id(), client.findBaseModel(base.id()).orElseThrow().id(), "by id as well");
        assertTrue(client.findBaseModel("no-such-base").isEmpty());

        Page<BaseModel> page = client.listBaseModels(0, 10);
        assertEquals(0, page.page());
        assertTrue(page.total() >= 1);
        assertTrue(page.items().stream().anyMatch(b -> b.id().equals(base.id())));
        assertTrue(client.listAllBaseModels().stream().anyMatch(b -> b.id().equals(base.id())));

        Adapter adapter = client.findAdapter(ADAPTER).orElseThrow();
        assertEquals("LORA", adapter.method());
        assertEquals(base.id(), adapter.baseModel().id());
        assertEquals(1, adapter.latestVersion());
        assertEquals(Map.of("production", 1), adapter.aliases());
        assertTrue(client.findAdapter("no-such-adapter").isEmpty());
        assertEquals(List.of(ADAPTER), client.listAdapters(base.id(), 0, 10).items().stream().map(Adapter::name)
                .toList());
        assertEquals(List.of(ADAPTER), client.listAllAdapters(base.id()).stream().map(Adapter::name).toList());

        Page<AdapterVersion> versions = client.listVersions(ADAPTER, 0, 10);
        assertEquals(1, versions.total());
        AdapterVersion v1 = versions.items().get(0);
        assertEquals(v1, client.findVersion(ADAPTER, "production").orElseThrow());
        AdapterVersion resolved = client.resolve(ADAPTER + "@production").orElseThrow();
        assertEquals(v1.digest(), resolved.digest());
        assertEquals(1, resolved.version());
        assertEquals(base.id(), resolved.base().id());
        assertEquals(List.of("production"), resolved.aliases());
        assertEquals(2, resolved.files().size());
        assertEquals(resolved.files().stream().mapToLong(StoredFile::sizeBytes).sum(), resolved.sizeBytes());
        assertTrue(client.resolve(ADAPTER + "@7").isEmpty());
        assertTrue(client.findVersion(ADAPTER, "7").isEmpty());

        Dataset dataset = client.findDataset(datasetDigest).orElseThrow();
        assertEquals(40, dataset.exampleCount());
        assertTrue(client.findDataset("sha256:" + "0".repeat(64)).isEmpty());
    }

    @Test
    void downloadsAreVerifiedAndReproduceTheVersionDigest() throws IOException {
        AdapterVersion version = client.resolve(ADAPTER + "@1").orElseThrow();
        Path target = dir.resolve("downloaded-" + UUID.randomUUID());
        Map<String, String> sha256ByName = new TreeMap<>();
        for (StoredFile f : version.files()) {
            String sha = client.downloadVersionFile(ADAPTER, 1, f, target.resolve(f.name()));
            assertEquals(f.sha256(), sha);
            assertEquals(Files.readAllBytes(dir.resolve("lora").resolve(f.name())).length, f.sizeBytes());
            sha256ByName.put(f.name(), Sha256.hex(target.resolve(f.name())));
        }
        assertEquals(version.digest(), VersionDigest.of(sha256ByName));

        BaseModel base = client.findBaseModel(BASE).orElseThrow();
        for (StoredFile f : base.files()) {
            Path file = target.resolve("base").resolve(f.name());
            assertEquals(f.sha256(), client.downloadBaseModelFile(base.ref(), f, file));
            assertEquals(Sha256.hex(dir.resolve("base").resolve(f.name())), Sha256.hex(file));
        }
    }

    @Test
    void errorsArriveAsTypedExceptions() {
        RegistryNotFoundException notFound = assertThrows(RegistryNotFoundException.class,
                () -> client.listVersions("no-such-adapter", 0, 10));
        assertEquals("urn:adapterhub:problem:not-found", notFound.problemType());
        assertThrows(RegistryNotFoundException.class, () -> client.claim(UUID.randomUUID(), "contract-worker", 1));
        RegistryRejectedException invalid = assertThrows(RegistryRejectedException.class,
                () -> client.listBaseModels(-1, 10));
        assertEquals(400, invalid.status());
        assertEquals("invalid-request", invalid.problem().slug());
    }

    @Test
    void runsTheLeaseProtocolToCompletion() throws IOException {
        UUID jobId = submit("contract-trained");
        Job queued = client.findTrainingJob(jobId).orElseThrow();
        assertEquals("QUEUED", queued.state());
        assertEquals(1, queued.attempt());
        assertTrue(client.findTrainingJob(UUID.randomUUID()).isEmpty());

        TrainingJobClaim claim = client.claim(jobId, "contract-worker", 1);
        assertEquals(jobId, claim.job().id());
        assertEquals("LORA", claim.job().method());
        assertEquals(BASE, claim.job().baseModel().name());
        assertEquals(datasetDigest, claim.job().dataset().digest());
        assertEquals(10, claim.job().totalSteps());
        assertNotNull(claim.job().hyperparameters().learningRate(), "defaults are filled in");
        assertEquals(3, claim.baseModelFiles().size());
        ObjectStorageFile dataset = claim.datasetFile();
        assertEquals(datasetDigest, "sha256:" + dataset.sha256());
        assertTrue(claim.baseModelFiles().stream().allMatch(f -> Sha256.isHex(f.sha256())));
        assertNotNull(claim.checkpointPrefix());
        RegistryConflictException second = assertThrows(RegistryConflictException.class,
                () -> client.claim(jobId, "another-worker", 1));
        assertFalse(second.isLeaseLost());

        String token = claim.leaseToken().toString();
        client.heartbeat(jobId, Heartbeat.phase(token, "synthesis", 3, 8, "Synthesis: 3 of 8 inputs kept"));
        Job.Phase synthesis = client.findTrainingJob(jobId).orElseThrow().phase();
        assertEquals("synthesis", synthesis.name());
        assertEquals(37.5, synthesis.percent());
        LeaseRenewal renewal = client.heartbeat(jobId, new Heartbeat(token, true, 1, 2.5, 1e-3, 100.0, 9.0, null,
                null, null, "training started", null, null, null));
        assertEquals("RUNNING", renewal.state());
        Job.Phase training = client.findTrainingJob(jobId).orElseThrow().phase();
        assertEquals("training", training.name());
        assertEquals(1, training.done());
        assertNotNull(renewal.leaseExpiresAt());
        client.heartbeat(jobId, Heartbeat.message(token, "still here"));
        RegistryConflictException lost = assertThrows(RegistryConflictException.class,
                () -> client.heartbeat(jobId, Heartbeat.renew(UUID.randomUUID().toString())));
        assertTrue(lost.isLeaseLost(), lost.getMessage());

        Path discriminator = ContractFixtures.lora(dir.resolve("discriminator"), 6);
        Completion completion = new Completion(ContractFixtures.lora(dir.resolve("trained"), 5),
                List.of(new Completion.Metric("eval_loss", 1.25, "eval", 10)),
                List.of(new Completion.SeedExample("contract 1", "answer 1")), 20,
                new Completion.Kit(discriminator, 16, 14, 0.75, 0.5, null));
        CompletionResult result = client.complete(jobId, token, completion);
        assertEquals("SUCCEEDED", result.job().state());
        assertTrue(result.job().makesTransferKit());
        assertEquals("contract-trained", result.job().transferKit().taskName(), "the adapter name by default");
        assertEquals("contract-trained", result.version().adapterName());
        assertEquals(1, result.version().version());
        assertEquals(jobId.toString(), result.version().lineage().trainingJobId());
        assertEquals(20, result.version().lineage().trainingExamples());
        assertEquals(result.version().id(), result.job().resultVersionId());
        CompletionResult again = client.complete(jobId, token, completion);
        assertEquals(result.version().id(), again.version().id(), "complete is idempotent by job id");

        TransferKit kit = client.findTransferKit("contract-trained", "1").orElseThrow();
        assertTrue(kit.complete(), kit.toString());
        assertEquals(1, kit.seedExamples());
        assertEquals(14, kit.discriminator().generatedInputs());
        assertEquals(0.75, kit.discriminator().accuracyOnReal());
        for (StoredFile file : kit.discriminator().files()) {
            Path target = dir.resolve("kit-download").resolve(file.name());
            assertEquals(Sha256.hex(Files.readAllBytes(discriminator.resolve(file.name()))),
                    client.downloadTransferKitFile("contract-trained", 1, file, target));
        }
        assertTrue(client.findTransferKit("contract-trained", "7").isEmpty());
    }

    @Test
    void submitsFollowsAndReviewsATransfer() throws IOException {
        Path twin = ContractFixtures.baseModel(dir.resolve("twin"));
        RequestSpecification upload = api().multiPart("name", "contract-twin").multiPart("revision", "r1");
        for (String f : List.of("config.json", "tokenizer.json", "model.safetensors")) {
            upload.multiPart("file", f, Files.readAllBytes(twin.resolve(f)), "application/octet-stream");
        }
        upload.when().post("/base-models").then().statusCode(201);
        api().contentType("application/json").body(Map.of("name", "contract-movable", "team", "team-m",
                "baseModel", BASE + "@r1", "method", "LORA")).when().post("/adapters").then().statusCode(201);
        Path lora = ContractFixtures.lora(dir.resolve("movable"), 8);
        RequestSpecification version = api();
        for (String f : Completion.ADAPTER_FILES) {
            version.multiPart("file", f, Files.readAllBytes(lora.resolve(f)), "application/octet-stream");
        }
        version.when().post("/adapters/contract-movable/versions").then().statusCode(201);
        api().contentType("application/json").body(Map.of("version", 1))
                .when().put("/adapters/contract-movable/aliases/production").then().statusCode(201);
        assertEquals(List.of("contract-movable"), client.listAllAdaptersOfTeam("team-m").stream()
                .map(a -> a.name()).toList());

        // No kit, same shapes: only the copy rung can move it, and the registry plans that.
        Job job = client.submitTransfer("contract-movable@1", "contract-twin@r1",
                new TransferOptions(12, null, 0.05), "contract-transfer-1", "ci");
        assertTrue(job.isTransfer());
        assertEquals("NONE", job.transfer().kitStatus());
        assertEquals(List.of("production"), job.transfer().promoteAliases());
        assertEquals(12, job.transfer().goal());
        assertEquals(0.05, job.transfer().gateMargin());
        assertEquals(job.id(), client.submitTransfer("contract-movable@1", "contract-twin@r1",
                new TransferOptions(12, null, 0.05), "contract-transfer-1", "ci").id(),
                "the same request with the same idempotency key, the same job");
        assertEquals(List.of(job.id()), client.listTrainingJobs("TRANSFER", "QUEUED", "contract-movable", 0, 10)
                .items().stream().map(Job::id).toList());

        TrainingJobClaim claim = client.claim(job.id(), "contract-worker", 1);
        assertNull(claim.datasetFile());
        assertEquals(2, claim.transfer().sourceAdapterFiles().size());
        assertEquals(3, claim.transfer().sourceBaseModelFiles().size());
        assertTrue(claim.transfer().discriminatorFiles().isEmpty());
        CompletionResult result = client.complete(job.id(), claim.leaseToken().toString(), Completion.transfer(lora,
                List.of(new Completion.Metric("transfer_source_exact_match", 0.9, "eval", null),
                        new Completion.Metric("transfer_target_base_exact_match", 0.1, "eval", null),
                        new Completion.Metric("eval_exact_match", 0.5, "eval", null)), null, "COPY"));
        assertEquals("NEEDS_REVIEW", result.job().gate().decision());
        assertEquals("COPY", result.version().lineage().transferMethod());
        assertEquals("PROMOTED_BY_REVIEW", client.promoteTransfer(job.id(), "fine", "carol").gate().decision());
        assertThrows(RegistryConflictException.class, () -> client.rejectTransfer(job.id(), null, "carol"));

        Job second = client.submitTransfer("contract-movable@1", "contract-twin@r1", TransferOptions.DEFAULTS, null,
                null);
        assertEquals("CANCELLED", client.cancelTrainingJob(second.id(), "not now", "carol").state());
        assertThrows(RegistryConflictException.class, () -> client.cancelTrainingJob(second.id(), null, null));
    }

    @Test
    void failEndsTheAttempt() {
        UUID jobId = submit("contract-failed");
        TrainingJobClaim claim = client.claim(jobId, "contract-worker", 1);
        client.fail(jobId, claim.leaseToken().toString(), "the dataset does not tokenize", false);
        Job failed = client.findTrainingJob(jobId).orElseThrow();
        assertEquals("FAILED", failed.state());
        assertTrue(failed.failureReason().contains("does not tokenize"), failed.failureReason());
        assertThrows(RegistryConflictException.class,
                () -> client.fail(jobId, claim.leaseToken().toString(), "again", false));
    }

    private static UUID submit(String adapterName) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("baseModel", BASE + "@r1");
        body.put("dataset", datasetDigest);
        body.put("method", "LORA");
        body.put("adapterName", adapterName);
        body.put("team", "team-c");
        body.put("hyperparameters", Map.of("rank", 2, "steps", 10));
        String id = api().contentType("application/json").body(body).when().post("/training-jobs")
                .then().statusCode(201).extract().path("id");
        return UUID.fromString(id);
    }
}
