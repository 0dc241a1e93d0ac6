package dev.adapterhub.registry;

import dev.adapterhub.formats.peft.PeftConfig;
import dev.adapterhub.formats.peft.PeftKeys;
import dev.adapterhub.formats.peft.TargetModules;
import dev.adapterhub.formats.safetensors.DType;
import dev.adapterhub.formats.safetensors.Tensor;
import dev.adapterhub.registry.storage.ObjectStorage;
import dev.adapterhub.registry.support.Api;
import dev.adapterhub.registry.support.Fixtures;
import dev.adapterhub.registry.support.State;
import dev.adapterhub.testsupport.BackendsTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.sql.DataSource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every validation rule of a version upload, each with an input that must be rejected with problem+json while
 * nothing is persisted: no row, no blob under the final prefix, nothing left in staging.
 */
@QuarkusTest
@WithTestResource(value = BackendsTestResource.class, scope = TestResourceScope.GLOBAL)
class VersionValidationIT {

    private static String loraAdapter;
    private static String shiraAdapter;

    @Inject
    DataSource dataSource;

    @Inject
    ObjectStorage storage;

    @BeforeEach
    void createAdapters() {
        if (loraAdapter == null) {
            String base = Api.registerTinyBase();
            loraAdapter = Api.createAdapter(base, "LORA_SB");
            shiraAdapter = Api.createAdapter(base, "SHIRA");
        }
    }

    static Stream<Arguments> badLoraUploads() {
        Fixtures.AdapterFiles good = Fixtures.lora(4, 11);
        return Stream.of(
                Arguments.of("weights missing", Map.of("adapter_config.json", good.config()),
                        "missing adapter_model.safetensors"),
                Arguments.of("config missing", Map.of("adapter_model.safetensors", good.weights()),
                        "missing adapter_config.json"),
                Arguments.of("pickle weights", Map.of("adapter_config.json", good.config(),
                        "adapter_model.bin", new byte[] {(byte) 0x80, 2, 'c', 'o', 's'}), "pickle"),
                Arguments.of("pickle next to safetensors", files(good.config(), good.weights(),
                        "adapter_model.bin", new byte[] {1}), "pickle"),
                Arguments.of("unexpected file", files(good.config(), good.weights(), "README.md", new byte[] {'#'}),
                        "unexpected file"),
                Arguments.of("config not JSON", files("{not json".getBytes(StandardCharsets.UTF_8), good.weights()),
                        "adapter_config.json"),
                Arguments.of("unknown peft_type", files(replace(good.config(), "\"LORA\"", "\"IA3\""), good.weights()),
                        "IA3"),
                Arguments.of("peft_type does not match the method", files(Fixtures.shira(1, 2)), "requires peft_type LORA"),
                Arguments.of("rank 0", files(replace(good.config(), "\"r\": 4", "\"r\": 0"), good.weights()),
                        "r"),
                Arguments.of("garbage weights", files(good.config(), "not safetensors at all".getBytes()), "header"),
                Arguments.of("header length beyond the bound", files(good.config(), hugeHeaderPrefix()), "header"),
                Arguments.of("truncated weights", files(good.config(),
                        Arrays.copyOf(good.weights(), good.weights().length - 16)), ""),
                Arguments.of("wrong lora_A shape", files(Fixtures.lora(lora(4), 1, t -> {
                    String key = PeftKeys.loraA("model.layers.0.self_attn.q_proj");
                    t.put(key, Fixtures.random2d(new java.util.Random(1), key, 4, 15));
                    return t;
                })), "model.layers.0.self_attn.q_proj"),
                Arguments.of("integer dtype", files(Fixtures.lora(lora(4), 1, t -> {
                    String key = PeftKeys.loraB("model.layers.1.self_attn.v_proj");
                    t.put(key, Tensor.ofInts(key, DType.I32, new long[] {8, 4}, new int[32]));
                    return t;
                })), "lora_B"),
                Arguments.of("rank differs from config", files(Fixtures.lora(lora(4), 1, t -> {
                    String module = "model.layers.0.self_attn.v_proj";
                    t.put(PeftKeys.loraA(module), Fixtures.random2d(new java.util.Random(2), PeftKeys.loraA(module), 8, 16));
                    t.put(PeftKeys.loraB(module), Fixtures.random2d(new java.util.Random(3), PeftKeys.loraB(module), 8, 8));
                    return t;
                })), "v_proj"),
                Arguments.of("target module does not exist", files(Fixtures.lora(
                        PeftConfig.lora(4, 8, TargetModules.of("nonexistent_proj")), 1, t -> t)), "nonexistent_proj"),
                Arguments.of("missing tensor for a targeted module", files(Fixtures.lora(lora(4), 1, t -> {
                    t.remove(PeftKeys.loraB("model.layers.1.self_attn.q_proj"));
                    return t;
                })), "model.layers.1.self_attn.q_proj"),
                Arguments.of("non-finite values", files(Fixtures.lora(lora(4), 1, t -> {
                    String key = PeftKeys.loraA("model.layers.0.self_attn.q_proj");
                    float[] values = new float[4 * 16];
                    values[5] = Float.NaN;
                    t.put(key, Tensor.ofFloats(key, new long[] {4, 16}, values));
                    return t;
                })), "non-finite"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLoraUploads")
    void badUploadIsRejectedAndLeavesNothing(String description, Map<String, byte[]> files, String expectedText) {
        State before = State.take(dataSource, storage);
        Response response = Api.assertProblem(Api.uploadVersion(loraAdapter, files, Map.of()), 422);
        String body = response.asString();
        assertTrue(body.contains(expectedText), () -> description + ": expected '" + expectedText + "' in " + body);
        assertTrue(response.jsonPath().getList("violations").size() >= 1, body);
        assertEquals(before, State.take(dataSource, storage), description + ": state changed");
        assertTrue(State.take(dataSource, storage).staging().isEmpty(), "staging not cleaned");
    }

    @Test
    void shiraWithWrongKIsRejected() {
        Fixtures.AdapterFiles good = Fixtures.shira(1, 5);
        // r = 2 in the config makes the expected K twice what the tensors hold
        byte[] config = replace(good.config(), "\"r\": 1", "\"r\": 2");
        State before = State.take(dataSource, storage);
        Api.assertProblem(Api.uploadVersion(shiraAdapter, files(config, good.weights()), Map.of()), 422);
        assertEquals(before, State.take(dataSource, storage));
    }

    @Test
    void shiraIndicesOutOfRangeAreRejected() {
        Fixtures.AdapterFiles good = Fixtures.shira(1, 6);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        String module = "model.layers.0.self_attn.q_proj";
        int k = 32;
        int[] indices = new int[2 * k];
        for (int i = 0; i < k; i++) {
            indices[i] = i % 16;
            indices[k + i] = i / 16 + (i == 0 ? 99 : 0);
        }
        tensors.put(PeftKeys.shiraWeight(module), Tensor.ofFloats(PeftKeys.shiraWeight(module), new long[] {k}, new float[k]));
        tensors.put(PeftKeys.shiraIndices(module), Tensor.ofInts(PeftKeys.shiraIndices(module), DType.I32,
                new long[] {2, k}, indices));
        String module1 = "model.layers.1.self_attn.q_proj";
        int[] valid = new int[2 * k];
        for (int i = 0; i < k; i++) {
            valid[i] = i % 16;
            valid[k + i] = i / 16;
        }
        tensors.put(PeftKeys.shiraWeight(module1), Tensor.ofFloats(PeftKeys.shiraWeight(module1), new long[] {k}, new float[k]));
        tensors.put(PeftKeys.shiraIndices(module1), Tensor.ofInts(PeftKeys.shiraIndices(module1), DType.I32,
                new long[] {2, k}, valid));
        State before = State.take(dataSource, storage);
        Response response = Api.assertProblem(Api.uploadVersion(shiraAdapter,
                files(good.config(), Fixtures.safetensors(tensors)), Map.of()), 422);
        assertTrue(response.asString().contains("outside"), response.asString());
        assertEquals(before, State.take(dataSource, storage));
    }

    @Test
    void badLineageFieldsAreRejectedBeforeAnythingIsStored() {
        Fixtures.AdapterFiles good = Fixtures.lora(4, 12);
        State before = State.take(dataSource, storage);
        Api.assertProblem(Api.uploadVersion(loraAdapter, files(good), Map.of("trainingJobId", "not-a-uuid")), 400);
        Api.assertProblem(Api.uploadVersion(loraAdapter, files(good), Map.of("datasetDigest", "md5")), 400);
        Api.assertProblem(Api.uploadVersion(loraAdapter, files(good), Map.of("parentVersion", "99")), 404);
        Api.assertProblem(Api.uploadVersion(loraAdapter, files(good),
                Map.of("transferredFromVersion", "no-such-adapter@1")), 404);
        Api.assertProblem(Api.uploadVersion("no-such-adapter", files(good), Map.of()), 404);
        assertEquals(before, State.take(dataSource, storage));
    }

    @Test
    void aValidUploadAfterFailuresGetsVersionOne() {
        String adapter = Api.createAdapter(Api.registerTinyBase(), "LORA");
        Api.assertProblem(Api.uploadVersion(adapter, files(Fixtures.shira(1, 1)), Map.of()), 422);
        Api.uploadVersion(adapter, Fixtures.lora(4, 13)).then().statusCode(201).body("version", equalTo(1));
        given().get("/api/v1/adapters/" + adapter + "/versions").then().body("total", equalTo(1));
    }

    private static PeftConfig lora(int r) {
        return PeftConfig.lora(r, 2.0 * r, TargetModules.of("q_proj", "v_proj"));
    }

    private static Map<String, byte[]> files(Fixtures.AdapterFiles adapter) {
        return Api.files(adapter);
    }

    private static Map<String, byte[]> files(byte[] config, byte[] weights) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("adapter_config.json", config);
        files.put("adapter_model.safetensors", weights);
        return files;
    }

    private static Map<String, byte[]> files(byte[] config, byte[] weights, String extraName, byte[] extra) {
        Map<String, byte[]> files = files(config, weights);
        files.put(extraName, extra);
        return files;
    }

    private static byte[] replace(byte[] json, String from, String to) {
        String text = new String(json, StandardCharsets.UTF_8);
        if (!text.contains(from)) {
            throw new IllegalArgumentException("'" + from + "' not in " + text);
        }
        return text.replace(from, to).getBytes(StandardCharsets.UTF_8);
    }

    /** A file whose 8-byte prefix announces a 1 GiB header, far over the 16 MiB bound. */
    private static byte[] hugeHeaderPrefix() {
        ByteBuffer buffer = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(1L << 30);
        buffer.put("{\"a\":".getBytes(StandardCharsets.UTF_8));
        return buffer.array();
    }
}
