package dev.adapterhub.reliability.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.engine.testkit.RandomAdapters;
import dev.adapterhub.engine.testkit.SyntheticTasks;
import dev.adapterhub.engine.testkit.TinyLlamaGenerator;
import dev.adapterhub.engine.testkit.TinyLlamaSpec;
import dev.adapterhub.formats.hf.LlamaConfig;
import dev.adapterhub.registry.client.RegistryClient;
import dev.adapterhub.registry.client.RegistryNotFoundException;
import dev.adapterhub.testsupport.RegistryStack;
import dev.adapterhub.testsupport.TestKeys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Puts a team, a key of it, a base model and adapters with versions and aliases into a running registry, through
 * its REST API as a user would.
 */
public final class Seed {

    public static final String TEAM = "bench";
    public static final String BASE = "bench-llama";
    public static final String REVISION = "v1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryClient admin;
    private final RegistryClient team;
    private final String teamKey;
    private final Path dir;
    private Path adapterFiles;
    private Path base;

    private Seed(RegistryClient admin, RegistryClient team, String teamKey, Path dir) {
        this.admin = admin;
        this.team = team;
        this.teamKey = teamKey;
        this.dir = dir;
    }

    /** Creates team {@value #TEAM} and an admin key of it, and registers a generated tiny Llama. */
    public static Seed start(RegistryStack stack, Path dir) throws IOException {
        return start(stack, dir, TinyLlamaGenerator.generate(TinyLlamaSpec.tiny().withSeed(3), dir.resolve("base")));
    }

    /** The same with the base model in {@code base} (a Hugging Face checkpoint folder). */
    public static Seed start(RegistryStack stack, Path dir, Path base) throws IOException {
        RegistryClient admin = RegistryClient.builder().setUrl(stack.registryApiUrl()).optApiKey(TestKeys.ADMIN)
                .build();
        admin.sendJson("POST", "/teams", Map.of("name", TEAM));
        String key = admin.sendJson("POST", "/teams/" + TEAM + "/api-keys", Map.of("name", "load", "role", "ADMIN"))
                .path("key").asText();
        RegistryClient team = RegistryClient.builder().setUrl(stack.registryApiUrl()).optApiKey(key).build();
        Seed seed = new Seed(admin, team, key, dir);
        List<Path> files;
        try (Stream<Path> listing = Files.list(base)) {
            // the checkpoint's files, not notes kept beside them (the tour's model has a README)
            files = listing.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(".safetensors")
                    || List.of("config.json", "tokenizer.json", "model.safetensors.index.json")
                    .contains(f.getFileName().toString())).sorted().toList();
        }
        admin.upload("/base-models", Map.of("name", BASE, "revision", REVISION), "file", files, sent -> { });
        seed.base = base;
        seed.adapterFiles = RandomAdapters.lora(LlamaConfig.read(base), dir.resolve("peft"),
                List.of("q_proj", "v_proj"), 2, 2, 7, BASE);
        return seed;
    }

    /** The base model's checkpoint folder. */
    public Path base() {
        return base;
    }

    /** The PEFT directory of the LoRA {@link #uploadVersion} uploads. */
    public Path adapterFiles() {
        return adapterFiles;
    }

    public String teamKey() {
        return teamKey;
    }

    public RegistryClient team() {
        return team;
    }

    public RegistryClient admin() {
        return admin;
    }

    /** Creates adapter {@code name} with one version and alias {@code production} on it. */
    public JsonNode adapterWithVersion(String name) {
        team.sendJson("POST", "/adapters", Map.of("name", name, "team", TEAM, "baseModel", BASE + "@" + REVISION,
                "method", "LORA", "tags", List.of("load")));
        JsonNode version = uploadVersion(name);
        team.sendJson("PUT", "/adapters/" + name + "/aliases/production", Map.of("version", 1));
        return version;
    }

    /** Creates adapter {@code name} with a LoRA of its own (random, from {@code seed}) and alias {@code production}. */
    public void adapterWithOwnWeights(String name, long seed) throws IOException {
        team.sendJson("POST", "/adapters", Map.of("name", name, "team", TEAM, "baseModel", BASE + "@" + REVISION,
                "method", "LORA"));
        Path files = RandomAdapters.lora(LlamaConfig.read(base), dir.resolve("own").resolve(name),
                List.of("q_proj", "v_proj"), 2, 2, seed, BASE);
        team.upload("/adapters/" + name + "/versions", Map.of(), "file",
                List.of(files.resolve("adapter_config.json"), files.resolve("adapter_model.safetensors")), sent -> { });
        team.sendJson("PUT", "/adapters/" + name + "/aliases/production", Map.of("version", 1));
    }

    /** Uploads the seed's LoRA as the adapter's next version. */
    public JsonNode uploadVersion(String name) {
        return team.upload("/adapters/" + name + "/versions", Map.of(), "file",
                List.of(adapterFiles.resolve("adapter_config.json"), adapterFiles.resolve("adapter_model.safetensors")),
                sent -> { });
    }

    /** Uploads {@code n} NUM2WORDS examples (prompt/completion JSONL) for the team; returns the digest. */
    public String dataset(int n) throws IOException {
        Path file = dir.resolve("num2words-" + n + ".jsonl");
        StringBuilder lines = new StringBuilder();
        for (SyntheticTasks.Example example : SyntheticTasks.task(SyntheticTasks.Task.NUM2WORDS, 3).subList(0, n)) {
            lines.append(JSON.writeValueAsString(Map.of("prompt", example.prompt(), "completion",
                    example.completion()))).append('\n');
        }
        Files.writeString(file, lines);
        return team.upload("/datasets", Map.of("team", TEAM), "file", List.of(file), sent -> { })
                .path("digest").asText();
    }

    /** Submits a LoRA training job that creates adapter {@code adapterName}; returns the job id. */
    public String train(String adapterName, String dataset, int steps, int checkpointEvery) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("baseModel", BASE + "@" + REVISION);
        body.put("dataset", dataset);
        body.put("method", "LORA");
        body.put("adapterName", adapterName);
        body.put("team", TEAM);
        body.put("hyperparameters", Map.of("rank", 4, "steps", steps, "checkpointEvery", checkpointEvery,
                "evalEvery", steps, "batchSize", 8, "learningRate", 1e-3, "evalFraction", 0.1));
        return team.sendJson("POST", "/training-jobs", body).path("id").asText();
    }

    /** Whether a GET of {@code path} as the platform admin finds something. */
    public boolean exists(String path) {
        try {
            admin.getJson(path);
            return true;
        } catch (RegistryNotFoundException notFound) {
            return false;
        }
    }

    public Path dir() {
        return dir;
    }
}
