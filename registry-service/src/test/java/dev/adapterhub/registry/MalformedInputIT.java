package dev.adapterhub.registry;

import dev.adapterhub.registry.storage.ObjectStorage;
import dev.adapterhub.registry.support.Api;
import dev.adapterhub.registry.support.Fixtures;
import dev.adapterhub.registry.support.Jobs;
import dev.adapterhub.registry.support.PersistedState;
import dev.adapterhub.testsupport.BackendsTestResource;
import dev.adapterhub.testsupport.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A corpus of malformed requests for every endpoint that takes a body (issue 13): truncated, wrong types, NaN and
 * infinities, huge numbers, duplicate keys, deep nesting, the wrong media type, path traversal in names and
 * multipart file names, bodies over the limit (declared and chunked). Each must be answered 4xx problem+json and
 * change nothing: rows, blobs and events are compared before and after every request.
 */
@QuarkusTest
@WithTestResource(value = BackendsTestResource.class, scope = TestResourceScope.GLOBAL)
class MalformedInputIT {

    @Inject
    DataSource dataSource;
    @Inject
    ObjectStorage storage;

    private String team;
    private String adapter;
    private String dataset;

    @BeforeEach
    void world() {
        team = Api.unique("mi-team");
        Api.ensureTeam(team);
        String base = Api.registerTinyBase();
        adapter = Api.unique("mi-adapter");
        Api.createAdapter(adapter, team, base, "LORA", List.of()).then().statusCode(201);
        Api.uploadVersion(adapter, Fixtures.lora(4, 1)).then().statusCode(201);
        dataset = given().multiPart("file", "d.jsonl", Jobs.jsonl(20), "application/jsonl").multiPart("team", team)
                .post("/api/v1/datasets").then().statusCode(201).extract().path("digest");
    }

    /** The JSON bodies: every endpoint that reads one, with each way of breaking it. */
    @Test
    void everyJsonEndpointRefusesEveryMalformedBodyAndChangesNothing() {
        String a = "/api/v1/adapters/" + adapter;
        List<String> endpoints = List.of("POST /api/v1/teams", "POST /api/v1/teams/" + team + "/api-keys",
                "POST /api/v1/adapters", "PATCH " + a, "PUT " + a + "/aliases/staging",
                "POST " + a + "/versions/1/metrics", "POST " + a + "/versions/1/seed-examples",
                "POST " + a + "/versions/1/deprecate", "PUT " + a + "/evaluation-set", "POST /api/v1/training-jobs",
                "POST /api/v1/teams/" + team + "/webhooks");
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("empty", "");
        bodies.put("truncated", "{\"name\": \"x");
        bodies.put("not JSON", "name=x&team=y");
        bodies.put("a bare string", "\"hello\"");
        bodies.put("wrong types", "{\"name\": [1], \"team\": {}, \"version\": [], \"value\": {}, \"prompt\": 7,"
                + " \"baseModel\": true, \"method\": 3, \"dataset\": [], \"url\": 5, \"role\": [], \"reason\": {},"
                + " \"taskDescription\": [1], \"tags\": \"x\", \"visibility\": 7, \"protectedAliases\": 3}");
        bodies.put("NaN", "{\"name\": \"n\", \"value\": NaN, \"version\": NaN}");
        bodies.put("infinity", "[{\"name\": \"m\", \"value\": Infinity}]");
        bodies.put("huge numbers", "{\"version\": 99999999999999999999999999, \"value\": 1e400,"
                + " \"hyperparameters\": {\"steps\": 1e400}}");
        bodies.put("duplicate keys", "{\"name\": \"dup-a\", \"name\": \"dup-b\", \"version\": 1, \"version\": 1}");
        bodies.put("deep nesting", "[".repeat(5000) + "]".repeat(5000));
        bodies.put("traversal in names", "{\"name\": \"../../etc/passwd\", \"team\": \"../" + team + "\","
                + " \"baseModel\": \"../x@v1\", \"method\": \"LORA\", \"role\": \"READER\","
                + " \"tags\": [\"../../etc\"], \"protectedAliases\": [\"../x\"]}");
        List<String> mismatches = new ArrayList<>();
        for (String endpoint : endpoints) {
            String[] parts = endpoint.split(" ", 2);
            for (Map.Entry<String, String> body : bodies.entrySet()) {
                if (notApplicable(endpoint, body.getKey())) {
                    continue;
                }
                check(mismatches, parts[0] + " " + parts[1] + " with " + body.getKey(),
                        r -> r.contentType("application/json").body(body.getValue()), parts[0], parts[1]);
            }
            check(mismatches, endpoint + " as text/plain", r -> r.contentType("text/plain").body("{}"), parts[0],
                    parts[1]);
        }
        report(mismatches, endpoints.size() * (bodies.size() + 1));
    }

    /** The uploads: broken files, names that try to leave their folder, missing and doubled parts. */
    @Test
    void everyUploadRefusesBrokenPartsAndChangesNothing() {
        Fixtures.AdapterFiles good = Fixtures.lora(4, 2);
        byte[] truncated = java.util.Arrays.copyOf(good.weights(), good.weights().length / 2);
        byte[] hugeHeader = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(Long.MAX_VALUE).putLong(0).array();
        byte[] nanConfig = "{\"peft_type\": \"LORA\", \"r\": 4, \"lora_alpha\": NaN, \"target_modules\": [\"q_proj\"]}"
                .getBytes(StandardCharsets.UTF_8);
        String versions = "/api/v1/adapters/" + adapter + "/versions";
        List<String> mismatches = new ArrayList<>();
        Map<String, Function<RequestSpecification, RequestSpecification>> uploads = new LinkedHashMap<>();
        uploads.put("a truncated safetensors file", r -> r.multiPart("file", "adapter_config.json", good.config())
                .multiPart("file", "adapter_model.safetensors", truncated));
        uploads.put("a header length of 2^63", r -> r.multiPart("file", "adapter_config.json", good.config())
                .multiPart("file", "adapter_model.safetensors", hugeHeader));
        uploads.put("NaN in adapter_config.json", r -> r.multiPart("file", "adapter_config.json", nanConfig)
                .multiPart("file", "adapter_model.safetensors", good.weights()));
        uploads.put("a traversing file name", r -> r.multiPart("file", "../../adapter_config.json", good.config())
                .multiPart("file", "adapter_model.safetensors", good.weights()));
        uploads.put("a file name with a folder", r -> r.multiPart("file", "a/adapter_config.json", good.config())
                .multiPart("file", "adapter_model.safetensors", good.weights()));
        uploads.put("an absolute file name", r -> r.multiPart("file", "/etc/adapter_config.json", good.config())
                .multiPart("file", "adapter_model.safetensors", good.weights()));
        uploads.put("the same file twice", r -> r.multiPart("file", "adapter_config.json", good.config())
                .multiPart("file", "adapter_config.json", good.config())
                .multiPart("file", "adapter_model.safetensors", good.weights()));
        uploads.put("no files", r -> r.multiPart("datasetDigest", "sha256:" + "0".repeat(64)));
        uploads.put("a dataset digest of the wrong shape", r -> r.multiPart("file", "adapter_config.json",
                good.config()).multiPart("file", "adapter_model.safetensors", good.weights())
                .multiPart("datasetDigest", "../../x"));
        uploads.put("JSON instead of a form", r -> r.contentType("application/json").body("{}"));
        for (Map.Entry<String, Function<RequestSpecification, RequestSpecification>> upload : uploads.entrySet()) {
            check(mismatches, "POST versions with " + upload.getKey(), upload.getValue(), "POST", versions);
        }
        Map<String, Function<RequestSpecification, RequestSpecification>> datasets = new LinkedHashMap<>();
        datasets.put("a traversing file name", r -> r.multiPart("file", "../../d.jsonl", Jobs.jsonl(7),
                "application/jsonl").multiPart("team", team));
        datasets.put("no examples", r -> r.multiPart("file", "d.jsonl", "\n\n".getBytes(StandardCharsets.UTF_8),
                "application/jsonl").multiPart("team", team));
        datasets.put("invalid UTF-8", r -> r.multiPart("file", "d.jsonl", new byte[] {(byte) 0xff, (byte) 0xfe, '\n'},
                "application/jsonl").multiPart("team", team));
        datasets.put("a traversing team", r -> r.multiPart("file", "d.jsonl", Jobs.jsonl(8), "application/jsonl")
                .multiPart("team", "../" + team));
        for (Map.Entry<String, Function<RequestSpecification, RequestSpecification>> upload : datasets.entrySet()) {
            check(mismatches, "POST datasets with " + upload.getKey(), upload.getValue(), "POST", "/api/v1/datasets");
        }
        Map<String, Function<RequestSpecification, RequestSpecification>> bases = new LinkedHashMap<>();
        bases.put("a traversing revision", r -> withCheckpoint(r.multiPart("name", Api.unique("b"))
                .multiPart("revision", "../v1")));
        bases.put("a traversing file name", r -> r.multiPart("name", Api.unique("b")).multiPart("revision", "v1")
                .multiPart("file", "../config.json", Fixtures.configJson())
                .multiPart("file", "model.safetensors", Fixtures.modelSafetensors()));
        bases.put("a config with NaN", r -> r.multiPart("name", Api.unique("b")).multiPart("revision", "v1")
                .multiPart("file", "config.json", "{\"model_type\": \"llama\", \"hidden_size\": NaN}"
                        .getBytes(StandardCharsets.UTF_8))
                .multiPart("file", "model.safetensors", Fixtures.modelSafetensors()));
        bases.put("a config with huge numbers", r -> r.multiPart("name", Api.unique("b")).multiPart("revision", "v1")
                .multiPart("file", "config.json", new String(Fixtures.configJson(), StandardCharsets.UTF_8)
                        .replaceFirst("\"hidden_size\"\\s*:\\s*\\d+", "\"hidden_size\": 99999999999999999999")
                        .getBytes(StandardCharsets.UTF_8))
                .multiPart("file", "model.safetensors", Fixtures.modelSafetensors()));
        for (Map.Entry<String, Function<RequestSpecification, RequestSpecification>> upload : bases.entrySet()) {
            check(mismatches, "POST base-models with " + upload.getKey(), upload.getValue(), "POST",
                    "/api/v1/base-models");
        }
        report(mismatches, uploads.size() + datasets.size() + bases.size());
    }

    /** A body over the limit is refused with problem+json whether it declares its length or comes chunked. */
    @Test
    void bodiesOverTheLimitAreProblemsDeclaredOrChunked() throws Exception {
        int limit = 8 * 1024 * 1024;
        PersistedState before = PersistedState.take(dataSource, storage, team);
        for (String path : List.of("/api/v1/adapters", "/api/v1/datasets")) {
            for (boolean chunked : new boolean[] {false, true}) {
                String answer = send(path, limit + 1024 * 1024, chunked);
                String what = path + (chunked ? " chunked" : " with Content-Length") + ": "
                        + answer.substring(0, Math.min(600, answer.length()));
                assertTrue(answer.startsWith("HTTP/1.1 413"), what);
                assertTrue(answer.toLowerCase(Locale.ROOT).contains("content-type: application/problem+json"), what);
                assertTrue(answer.contains("\"status\":413"), what);
                // the detail names the limit that applies: a chunked JSON body is read whole, up to 16 MiB
                assertTrue(answer.contains("at most " + limit + " bytes") || !chunked || path.endsWith("datasets"), what);
            }
        }
        PersistedState after = PersistedState.take(dataSource, storage, team);
        assertTrue(before.equals(after), "refused bodies changed " + before.differences(after));
    }

    /**
     * Chunked multipart bodies within the limit take another path through the HTTP layer than those with a
     * Content-Length (they are parsed before the REST layer, so that going over the limit is a problem): a version
     * and a dataset sent chunked are stored, and a traversal file name sent chunked is still refused.
     */
    @Test
    void chunkedMultipartUploadsWithinTheLimitAreStoredAndChecked() throws Exception {
        Map<String, byte[]> files = Api.files(Fixtures.lora(4, 2));
        HttpResponse<String> version = postChunked("/api/v1/adapters/" + adapter + "/versions",
                Map.of("parentVersion", "1", "trainingExamples", "42"), files);
        assertEquals(201, version.statusCode(), version.body());
        Response stored = given().get("/api/v1/adapters/" + adapter + "/versions/2").then().statusCode(200).extract()
                .response();
        assertEquals(1, stored.jsonPath().getInt("lineage.parentVersion.version"), stored.asString());
        assertEquals(42, stored.jsonPath().getInt("lineage.trainingExamples"));
        assertEquals(List.of("adapter_config.json", "adapter_model.safetensors"),
                stored.jsonPath().getList("files.name", String.class).stream().sorted().toList());
        String download = stored.jsonPath().getString("files.find { it.name == 'adapter_model.safetensors' }"
                + ".downloadPath");
        byte[] weights = given().get(download).then().statusCode(200).extract().asByteArray();
        assertArrayEquals(files.get("adapter_model.safetensors"), weights);

        HttpResponse<String> data = postChunked("/api/v1/datasets", Map.of("team", team),
                Map.of("chunked.jsonl", Jobs.jsonl(7)));
        assertEquals(201, data.statusCode(), data.body());

        PersistedState before = PersistedState.take(dataSource, storage, team);
        HttpResponse<String> traversal = postChunked("/api/v1/adapters/" + adapter + "/versions", Map.of(),
                Map.of("../adapter_config.json", files.get("adapter_config.json"),
                        "adapter_model.safetensors", files.get("adapter_model.safetensors")));
        assertEquals(400, traversal.statusCode(), traversal.body());
        assertTrue(traversal.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(before.equals(PersistedState.take(dataSource, storage, team)), "a refused chunked upload changed "
                + before.differences(PersistedState.take(dataSource, storage, team)));
    }

    /** Posts a multipart form as a body of unknown length, which the client sends chunked. */
    private static HttpResponse<String> postChunked(String path, Map<String, String> fields,
                                                    Map<String, byte[]> files) throws Exception {
        String boundary = "chunked-b0undary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                    + "\"\r\n\r\n" + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                    + file.getKey() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.write(file.getValue());
            body.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        byte[] bytes = body.toByteArray();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + path))
                .header("Authorization", "Bearer " + TestKeys.ADMIN)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes)))
                .build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Bodies that are valid requests for an endpoint: deprecate's one field (a free-text reason) is optional, and
     * unknown fields are ignored (README), so a body without it deprecates; PATCH has no number fields.
     */
    private static boolean notApplicable(String endpoint, String body) {
        if (endpoint.endsWith("/deprecate")) {
            return List.of("empty", "huge numbers", "traversal in names").contains(body);
        }
        return endpoint.startsWith("PATCH") && body.equals("huge numbers");
    }

    private void check(List<String> mismatches, String what,
                       Function<RequestSpecification, RequestSpecification> request, String method, String path) {
        PersistedState before = PersistedState.take(dataSource, storage, team);
        Response response = request.apply(given()).request(method, path);
        int status = response.statusCode();
        String contentType = String.valueOf(response.contentType());
        if (status < 400 || status >= 500 || !contentType.startsWith("application/problem+json")) {
            mismatches.add(what + ": " + status + " " + contentType + " " + abbreviate(response.asString()));
            return;
        }
        PersistedState after = PersistedState.take(dataSource, storage, team);
        if (!before.equals(after)) {
            mismatches.add(what + ": answered " + status + " but changed " + before.differences(after));
        }
    }

    private static void report(List<String> mismatches, int total) {
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " of " + total + " malformed requests were not refused cleanly:\n"
                    + String.join("\n", mismatches));
        }
    }

    private static RequestSpecification withCheckpoint(RequestSpecification request) {
        Api.tinyCheckpoint().forEach((name, bytes) -> request.multiPart("file", name, bytes));
        return request;
    }

    /** Sends {@code size} bytes of body over a raw connection (chunked or not) and reads whatever comes back. */
    private static String send(String path, int size, boolean chunked) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            String head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestKeys.ADMIN
                    + "\r\nContent-Type: " + (path.endsWith("datasets")
                    ? "multipart/form-data; boundary=b0undary" : "application/json") + "\r\n"
                    + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + size + "\r\n") + "\r\n";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            if (path.endsWith("datasets")) {
                // a well-formed file part that never ends: only its size is wrong
                byte[] part = ("--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.jsonl\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
                if (chunked) {
                    out.write((Integer.toHexString(part.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                }
                out.write(part);
                if (chunked) {
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
            }
            byte[] block = new byte[64 * 1024];
            java.util.Arrays.fill(block, (byte) ' ');
            try {
                for (int sent = 0; sent < size; sent += block.length) {
                    if (chunked) {
                        out.write((Integer.toHexString(block.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    }
                    out.write(block);
                    if (chunked) {
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                }
                if (chunked) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.flush();
            } catch (java.io.IOException closedEarly) {
                // the server may answer and close before the whole body is sent; its answer is what counts
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n = in.read(buffer); n > 0 && answer.size() < 64 * 1024; n = in.read(buffer)) {
                    answer.write(buffer, 0, n);
                    if (answer.toString(StandardCharsets.ISO_8859_1).contains("}")) {
                        break;
                    }
                }
            } catch (java.io.IOException reset) {
                // a reset after the answer still leaves the answer
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
