package dev.adapterhub.registry;

import dev.adapterhub.registry.storage.ObjectStorage;
import dev.adapterhub.registry.storage.StagingSweeper;
import dev.adapterhub.registry.support.Api;
import dev.adapterhub.registry.support.Fixtures;
import dev.adapterhub.testsupport.BackendsTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health, metrics, the OpenAPI document, Swagger UI and the staging sweeper. */
@QuarkusTest
@WithTestResource(value = BackendsTestResource.class, scope = TestResourceScope.GLOBAL)
class OperationsIT {

    @Inject
    ObjectStorage storage;

    @Inject
    StagingSweeper sweeper;

    @Test
    void readinessChecksDatabaseAndObjectStorage() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("object-storage", "Database connections health check"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void prometheusMetricsIncludeTheOutbox() {
        String adapter = Api.createAdapter(Api.registerTinyBase(), "LORA");
        Api.uploadVersion(adapter, Fixtures.lora(4, 99)).then().statusCode(201);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("adapterhub_outbox_pending"))
                .body(containsString("adapterhub_outbox_published_total"))
                .body(containsString("http_server_requests_seconds_count"));
    }

    @Test
    void openApiDocumentsTheApi() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("info.title", equalTo("AdapterHub Registry API"))
                .body("paths.'/api/v1/adapters/{name}/versions'.post.summary", equalTo("Upload a new version"))
                .body("paths.'/api/v1/resolve/{ref}'.get.tags", hasItems("Adapter versions"))
                .body("paths.'/api/v1/adapters/{name}/aliases/{alias}'.put.responses.'409'.content."
                        + "'application/problem+json'", notNullValue())
                .body("tags.name", hasItems("Base models", "Adapters", "Adapter versions", "Aliases"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @ConfigProperty(name = "quarkus.http.body.uploads-directory")
    String uploadsDirectory;

    @Test
    void sweeperRemovesOnlyOldStagingObjects() throws Exception {
        String key = ObjectStorage.STAGING_PREFIX + UUID.randomUUID() + "/adapter_model.safetensors";
        String keep = "external/" + UUID.randomUUID() + "/config.json";
        Path file = Files.createTempFile("orphan", ".bin");
        try {
            Files.write(file, new byte[] {1, 2, 3});
            storage.putFile(key, file, "application/octet-stream");
            storage.putFile(keep, file, "application/octet-stream");
        } finally {
            Files.deleteIfExists(file);
        }
        sweeper.sweepOlderThan(Instant.now().minusSeconds(3600));
        assertTrue(storage.exists(key), "a young staging object must survive");
        assertTrue(sweeper.sweepOlderThan(Instant.now().plusSeconds(60)) >= 1);
        assertFalse(storage.exists(key), "an old staging object must be removed");
        assertTrue(storage.exists(keep), "objects outside staging are never touched");
    }

    @Test
    void sweeperRemovesOnlyOldSpooledUploadFiles() throws Exception {
        Path spool = Files.createDirectories(Path.of(uploadsDirectory));
        Path orphan = Files.createTempFile(spool, "resteasy-reactive", "upload");
        // how the body handler for chunked multipart bodies names its files
        Path chunkedOrphan = Files.createFile(spool.resolve(UUID.randomUUID().toString()));
        Path other = Files.createTempFile(spool, "kept-", ".txt");
        try {
            sweeper.sweepUploadsOlderThan(Instant.now().minusSeconds(3600));
            assertTrue(Files.exists(orphan), "a young spooled file must survive");
            assertTrue(sweeper.sweepUploadsOlderThan(Instant.now().plusSeconds(60)) >= 2);
            assertFalse(Files.exists(orphan), "an old spooled file must be removed");
            assertFalse(Files.exists(chunkedOrphan), "an old spooled file of a chunked body must be removed");
            assertTrue(Files.exists(other), "files the framework did not spool are never touched");
        } finally {
            Files.deleteIfExists(orphan);
            Files.deleteIfExists(chunkedOrphan);
            Files.deleteIfExists(other);
        }
    }
}
