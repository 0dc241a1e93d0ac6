package dev.adapterhub.registry;

import dev.adapterhub.registry.error.ProblemStatusMap;
import dev.adapterhub.registry.error.AlreadyExistsException;
import dev.adapterhub.registry.error.ArtifactValidationException;
import dev.adapterhub.registry.error.ConflictException;
import dev.adapterhub.registry.error.ExpectationMismatchException;
import dev.adapterhub.registry.error.InvalidRequestException;
import dev.adapterhub.registry.error.RegistryException;
import dev.adapterhub.registry.error.ResourceNotFoundException;
import dev.adapterhub.registry.error.StorageUnavailableException;
import dev.adapterhub.registry.support.Api;
import dev.adapterhub.testsupport.BackendsTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import io.restassured.RestAssured;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every 4xx/5xx is application/problem+json, including the ones the framework answers. */
@QuarkusTest
@WithTestResource(value = BackendsTestResource.class, scope = TestResourceScope.GLOBAL)
class ErrorHandlingIT {

    @Test
    void unknownPathsAreProblems() {
        Api.assertProblem(given().get("/api/v1/nothing-here"), 404);
        Api.assertProblem(given().get("/not-an-api"), 404);
        Api.assertProblem(given().accept(ContentType.JSON).get("/api/v1/adapters/x/versions/1/nope/deeper"), 404);
    }

    @Test
    void wrongMethodIsAProblem() {
        Api.assertProblem(given().delete("/api/v1/adapters"), 405);
        Api.assertProblem(given().put("/api/v1/base-models"), 405);
    }

    @Test
    void unsupportedMediaTypeIsAProblem() {
        Api.assertProblem(given().contentType(ContentType.TEXT).body("hello").post("/api/v1/adapters"), 415);
        Api.assertProblem(given().contentType(ContentType.XML).body("<a/>")
                .put("/api/v1/adapters/x/aliases/production"), 415);
    }

    @Test
    void malformedJsonIsAProblem() {
        Api.assertProblem(given().contentType(ContentType.JSON).body("{\"version\": ")
                .put("/api/v1/adapters/x/aliases/production"), 400).then().body("detail", containsString("JSON"));
        Api.assertProblem(given().contentType(ContentType.JSON).body("{\"version\": {\"a\": 1}}")
                .put("/api/v1/adapters/x/aliases/production"), 400).then().body("detail", containsString("version"));
    }

    @Test
    void tooLargeBodyIsAProblem() throws Exception {
        // 9 MiB against the test profile's 8 MiB limit, sent with a Content-Length as curl and most clients do
        String boundary = "----adapterhub" + System.nanoTime();
        ByteArrayOutputStream multipart = new ByteArrayOutputStream();
        multipart.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; "
                + "filename=\"model.safetensors\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        multipart.write(new byte[9 * 1024 * 1024]);
        multipart.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> upload = send(HttpRequest.newBuilder(uri("/api/v1/base-models"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart.toByteArray())).build());
        assertTooLarge(upload);
        HttpResponse<String> json = send(HttpRequest.newBuilder(uri("/api/v1/adapters"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[9 * 1024 * 1024])).build());
        assertTooLarge(json);
    }

    private static void assertTooLarge(HttpResponse<String> response) {
        assertEquals(413, response.statusCode());
        assertEquals("application/problem+json", response.headers().firstValue("content-type").orElse(""));
        assertTrue(response.body().contains("\"status\":413"), response.body());
        assertTrue(response.body().contains("payload-too-large"), response.body());
    }

    private static URI uri(String path) {
        return URI.create("http://localhost:" + RestAssured.port + path);
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theStatusTableWalksTheSuperclassChain() {
        assertEquals(404, ProblemStatusMap.lookup(new ResourceNotFoundException("x")).status());
        assertEquals(409, ProblemStatusMap.lookup(new ConflictException("x")).status());
        assertEquals("already-exists", ProblemStatusMap.lookup(new AlreadyExistsException("x")).slug());
        assertEquals(409, ProblemStatusMap.lookup(new ExpectationMismatchException("x")).status());
        assertEquals(400, ProblemStatusMap.lookup(new InvalidRequestException("x")).status());
        assertEquals(422, ProblemStatusMap.lookup(new ArtifactValidationException("x")).status());
        assertEquals(503, ProblemStatusMap.lookup(new StorageUnavailableException("x", null)).status());
        // an unlisted subclass inherits its parent's row
        class LockedException extends ConflictException {
            LockedException() {
                super("locked");
            }
        }
        assertEquals(409, ProblemStatusMap.lookup(new LockedException()).status());
        assertEquals("conflict", ProblemStatusMap.lookup(new LockedException()).slug());
        assertEquals(500, ProblemStatusMap.lookup(new RegistryException("x") { }).status());
        assertEquals(500, ProblemStatusMap.lookup(new IllegalStateException()).status());
    }
}
