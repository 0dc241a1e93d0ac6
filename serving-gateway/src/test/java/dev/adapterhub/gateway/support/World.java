package dev.adapterhub.gateway.support;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.adapterhub.engine.checkpoint.CheckpointIO;
import dev.adapterhub.engine.generate.GenerationRequest;
import dev.adapterhub.engine.generate.Generator;
import dev.adapterhub.engine.method.lora.LoraPeft;
import dev.adapterhub.engine.method.shira.ShiraPeft;
import dev.adapterhub.engine.model.ForwardContext;
import dev.adapterhub.engine.model.LlamaModel;
import dev.adapterhub.engine.testkit.RandomAdapters;
import dev.adapterhub.engine.testkit.TinyLlamaGenerator;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import dev.adapterhub.engine.tokenizer.TextTokenizer;
import dev.adapterhub.formats.hf.LlamaConfig;
import dev.adapterhub.testsupport.RegistryStackTestResource;
import dev.adapterhub.testsupport.TestKeys;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/**
 * The registry content every gateway test uses, created once per test JVM through the registry's real API: the
 * tiny base model {@value #BASE}, LoRA and SHiRA adapters produced with the engine, and a second base model the
 * gateway is configured not to serve. Also computes reference outputs: the plain engine {@code Generator} on a
 * separate model instance with only the one adapter applied, greedy.
 */
public final class World {

    /** The base model the gateway serves ({@code served-base-models} in the test profile). */
    public static final String BASE = "tiny-gw";
    public static final String REVISION = "r1";
    /** The team that owns the test adapters. */
    public static final String TEAM = "team-gw";
    /** A base model the gateway does not serve. */
    public static final String OTHER_BASE = "tiny-other";

    /** LoRA with two versions (v1 seed 11, v2 seed 12). */
    public static final String LORA_A = "gw-lora-a";
    public static final String LORA_B = "gw-lora-b";
    public static final String SHIRA = "gw-shira";
    /** An adapter on {@link #OTHER_BASE}. */
    public static final String FOREIGN = "gw-foreign";

    private static World instance;
    private static Throwable setupFailure;

    private final Path dir;
    private final LlamaModel reference;
    private final TextTokenizer tokenizer;
    /** {@code name@version} -> local PEFT directory. */
    private final Map<String, Path> adapters = new LinkedHashMap<>();
    private final Map<String, Boolean> shira = new LinkedHashMap<>();

    private World(Path dir, LlamaModel reference, TextTokenizer tokenizer) {
        this.dir = dir;
        this.reference = reference;
        this.tokenizer = tokenizer;
    }

    public static synchronized World get() {
        if (setupFailure != null) {
            // the registry already holds part of the world: repeating the setup would only report conflicts
            throw new IllegalStateException("The test world could not be set up (first failure attached)",
                    setupFailure);
        }
        if (instance == null) {
            try {
                instance = create();
            } catch (IOException e) {
                setupFailure = e;
                throw new UncheckedIOException(e);
            } catch (RuntimeException | Error e) {
                setupFailure = e;
                throw e;
            }
        }
        return instance;
    }

    private static World create() throws IOException {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "gateway-world-");
        Path baseDir = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(7), dir.resolve("base"));
        Path otherDir = TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSize(2, 32, 64, 4, 2, 259),
                dir.resolve("other"));
        LlamaModel reference = CheckpointIO.load(baseDir, Device.cpu(), DataType.FLOAT32);
        World w = new World(dir, reference, TextTokenizer.load(baseDir));

        registry().contentType(ContentType.JSON).body(Map.of("name", TEAM)).when().post("/teams")
                .then().statusCode(201);
        registerBase(BASE, REVISION, baseDir);
        registerBase(OTHER_BASE, REVISION, otherDir);
        String baseRef = BASE + "@" + REVISION;
        LlamaConfig base = LlamaConfig.read(baseDir);
        List<String> attn = List.of("q_proj", "k_proj", "v_proj", "o_proj");
        List<String> all = List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

        createAdapter(LORA_A, baseRef, "LORA");
        w.publish(LORA_A, 1, RandomAdapters.lora(base, dir.resolve("lora-a-1"), attn, 4, 4, 11, BASE), false);
        w.publish(LORA_A, 2, RandomAdapters.lora(base, dir.resolve("lora-a-2"), attn, 4, 4, 12, BASE), false);
        createAdapter(LORA_B, baseRef, "LORA");
        w.publish(LORA_B, 1, RandomAdapters.lora(base, dir.resolve("lora-b-1"), all, 8, 8, 13, BASE), false);
        createAdapter(SHIRA, baseRef, "SHIRA");
        w.publish(SHIRA, 1, RandomAdapters.shira(base, dir.resolve("shira-1"), all, 2, 0.5f, 14, BASE), true);

        createAdapter(FOREIGN, OTHER_BASE + "@" + REVISION, "LORA");
        w.publish(FOREIGN, 1, RandomAdapters.lora(LlamaConfig.read(otherDir), dir.resolve("foreign-1"), attn, 2, 2, 15,
                OTHER_BASE), false);
        return w;
    }

    /** An API key of {@link #TEAM} with {@code role}, made once per name. */
    public static String teamKey(String role, String name) {
        return teamKey(role, name, null);
    }

    public static synchronized String teamKey(String role, String name, List<String> scopes) {
        return KEYS.computeIfAbsent(name, n -> createKey(TEAM, n, role, scopes));
    }

    /** A reader key of {@link #TEAM} limited to {@code adapters}. */
    public static synchronized String limitedKey(String name, List<String> adapters) {
        return KEYS.computeIfAbsent(name, n -> registry().contentType(ContentType.JSON)
                .body(Map.of("name", n, "role", "READER", "adapters", adapters)).when()
                .post("/teams/" + TEAM + "/api-keys").then().statusCode(201).extract().path("key"));
    }

    /** An admin key of another team, which owns none of the test adapters. */
    public static synchronized String outsiderKey() {
        return KEYS.computeIfAbsent("outsider", n -> {
            registry().contentType(ContentType.JSON).body(Map.of("name", "team-elsewhere")).when().post("/teams")
                    .then().statusCode(201);
            return createKey("team-elsewhere", n, "ADMIN", null);
        });
    }

    private static String createKey(String team, String name, String role, List<String> scopes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("role", role);
        if (scopes != null) {
            body.put("scopes", scopes);
        }
        return registry().contentType(ContentType.JSON).body(body).when().post("/teams/" + team + "/api-keys")
                .then().statusCode(201).extract().path("key");
    }

    private static final Map<String, String> KEYS = new LinkedHashMap<>();

    /** A request to the registry's API (base URI {@code .../api/v1}). */
    public static RequestSpecification registry() {
        return given().baseUri(RegistryStackTestResource.registryUrl()).auth().oauth2(TestKeys.ADMIN);
    }

    private static void registerBase(String name, String revision, Path checkpoint) throws IOException {
        RequestSpecification r = registry().multiPart("name", name).multiPart("revision", revision);
        for (String f : List.of("config.json", "tokenizer.json", "model.safetensors")) {
            r.multiPart("file", f, Files.readAllBytes(checkpoint.resolve(f)), "application/octet-stream");
        }
        r.when().post("/base-models").then().statusCode(201);
    }

    private static void createAdapter(String name, String baseRef, String method) {
        registry().contentType(ContentType.JSON)
                .body(Map.of("name", name, "team", TEAM, "baseModel", baseRef, "method", method,
                        "taskDescription", "gateway tests", "tags", List.of("test")))
                .when().post("/adapters").then().statusCode(201);
    }

    private void publish(String name, int expectedVersion, Path peftDir, boolean isShira) throws IOException {
        RequestSpecification r = registry();
        for (String f : List.of("adapter_config.json", "adapter_model.safetensors")) {
            r.multiPart("file", f, Files.readAllBytes(peftDir.resolve(f)), "application/octet-stream");
        }
        int version = r.when().post("/adapters/" + name + "/versions").then().statusCode(201)
                .extract().path("version");
        if (version != expectedVersion) {
            throw new IllegalStateException(name + ": expected version " + expectedVersion + ", got " + version);
        }
        adapters.put(name + "@" + version, peftDir);
        shira.put(name + "@" + version, isShira);
    }

    /** Moves (or creates) an alias through the registry API. */
    public static void moveAlias(String adapter, String alias, int version) {
        registry().contentType(ContentType.JSON).body(Map.of("version", String.valueOf(version)))
                .when().put("/adapters/" + adapter + "/aliases/" + alias).then()
                .statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200), org.hamcrest.Matchers.is(201)));
    }

    public Path dir() {
        return dir;
    }

    /**
     * The greedy text the plain engine generates for {@code prompt} with only {@code adapterVersion} applied
     * ({@code name@version}; null = base model), stopping at EOS, {@code maxTokens} or a stop string.
     */
    public synchronized String expected(String adapterVersion, String prompt, int maxTokens, List<String> stops) {
        int[] ids = tokenizer.encode(prompt, true);
        GenerationRequest req = GenerationRequest.greedy(ids, maxTokens)
                .withStops(new int[] {tokenizer.eosId()}, stops);
        Generator g = new Generator(reference, tokenizer);
        try {
            if (adapterVersion == null) {
                return g.generate(req.withAdapter(ForwardContext.BASE)).text();
            }
            Path peft = adapters.get(adapterVersion);
            if (peft == null) {
                throw new IllegalArgumentException("unknown fixture " + adapterVersion);
            }
            String name = "ref-" + adapterVersion.replace('@', '-');
            if (shira.get(adapterVersion)) {
                ShiraPeft.fuse(reference, peft, name);
                try {
                    return g.generate(req.withAdapter(ForwardContext.BASE)).text();
                } finally {
                    ShiraPeft.unfuse(reference, name);
                }
            }
            LoraPeft.apply(reference, peft, name);
            try {
                return g.generate(req.withAdapter(name)).text();
            } finally {
                reference.removeAdapter(name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
