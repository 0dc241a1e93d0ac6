package dev.adapterhub.registry;

import dev.adapterhub.registry.storage.ObjectStorage;
import dev.adapterhub.registry.support.Api;
import dev.adapterhub.registry.support.Fixtures;
import dev.adapterhub.registry.support.State;
import dev.adapterhub.testsupport.BackendsTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failure of the metadata transaction after the blobs were copied to their final keys must leave nothing
 * reachable: no row, no new blob, nothing in staging. The failure is injected with a real PostgreSQL trigger.
 */
@QuarkusTest
@WithTestResource(value = BackendsTestResource.class, scope = TestResourceScope.GLOBAL)
class CommitFailureIT {

    @Inject
    DataSource dataSource;

    @Inject
    ObjectStorage storage;

    @Test
    void failedCommitRemovesTheBlobsItCreated() throws Exception {
        String adapter = Api.createAdapter(Api.registerTinyBase(), "LORA");
        // version 1 shares its adapter_config.json bytes with the failing upload below
        Fixtures.AdapterFiles first = Fixtures.lora(4, 200);
        Api.uploadVersion(adapter, first).then().statusCode(201);
        String poisonedJob = UUID.randomUUID().toString();
        Fixtures.AdapterFiles second = Fixtures.lora(4, 201);
        String newWeightsBlob = ObjectStorage.blobKey(CoreFlowIT.sha256(second.weights()));
        String sharedConfigBlob = ObjectStorage.blobKey(CoreFlowIT.sha256(second.config()));

        execute("create function adapterhub_test_fail() returns trigger language plpgsql as $$ begin "
                + "if new.training_job_id = '" + poisonedJob + "' then raise exception 'injected failure'; end if; "
                + "return new; end $$");
        execute("create trigger adapterhub_test_fail before insert on adapter_version for each row "
                + "execute function adapterhub_test_fail()");
        try {
            State before = State.take(dataSource, storage);
            Api.assertProblem(Api.uploadVersion(adapter, Api.files(second), Map.of("trainingJobId", poisonedJob)),
                    500);
            State after = State.take(dataSource, storage);
            assertEquals(before, after);
            assertTrue(!after.blobs().contains(newWeightsBlob), "the blob this upload created must be removed");
            assertTrue(after.blobs().contains(sharedConfigBlob), "a blob other versions use must stay");
        } finally {
            execute("drop trigger adapterhub_test_fail on adapter_version");
            execute("drop function adapterhub_test_fail()");
        }
        // the same files publish fine afterwards, and version 1 is still complete
        Api.uploadVersion(adapter, second).then().statusCode(201).body("version", equalTo(2));
        io.restassured.RestAssured.given()
                .get("/api/v1/adapters/" + adapter + "/versions/1/files/adapter_config.json")
                .then().statusCode(200);
    }

    private void execute(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
