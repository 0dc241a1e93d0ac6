package dev.adapterhub.registry.validation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterhub.formats.FormatException;
import dev.adapterhub.formats.hf.HfCheckpoint;
import dev.adapterhub.formats.hf.LinearModules;
import dev.adapterhub.formats.hf.LlamaConfig;
import dev.adapterhub.formats.safetensors.SafetensorsHeader;
import dev.adapterhub.registry.config.RegistryConfig;
import dev.adapterhub.registry.error.ArtifactValidationException;
import dev.adapterhub.registry.storage.ObjectStorage;
import dev.adapterhub.registry.storage.ObjectSummary;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Validates a base model checkpoint and extracts what adapter validation needs: the parsed config and the shapes of
 * every linear layer. All parsing goes through the formats module; this class only decides which files to read.
 */
@ApplicationScoped
public class CheckpointInspector {

    private final ObjectMapper objectMapper;
    private final RegistryConfig config;

    public CheckpointInspector(ObjectMapper objectMapper, RegistryConfig config) {
        this.objectMapper = objectMapper;
        this.config = config;
    }

    /** Inspects uploaded files (file name to local path). Throws {@link ArtifactValidationException} if invalid. */
    public InspectedCheckpoint inspectUploaded(Map<String, Path> files) {
        List<String> violations = new ArrayList<>(fileSetViolations(files.keySet(), true));
        if (!violations.isEmpty()) {
            throw new ArtifactValidationException("The checkpoint's file set is invalid", violations);
        }
        String configJson = readSmallJson(CheckpointFiles.CONFIG, files.get(CheckpointFiles.CONFIG));
        LlamaConfig llama = parseConfig(configJson);
        requireJsonDocument(CheckpointFiles.TOKENIZER, files.get(CheckpointFiles.TOKENIZER));

        Path directory = null;
        try {
            // HfCheckpoint reads a directory; link the uploads under their HF names instead of copying gigabytes.
            directory = Files.createTempDirectory("checkpoint-");
            for (Map.Entry<String, Path> file : files.entrySet()) {
                Files.createSymbolicLink(directory.resolve(file.getKey()), file.getValue().toAbsolutePath());
            }
            LinearModules fromCheckpoint = HfCheckpoint.open(directory).linearModules();
            checkAgainstConfig(llama, fromCheckpoint);
            return new InspectedCheckpoint(llama, configJson, fromCheckpoint, ShapesSource.CHECKPOINT);
        } catch (FormatException e) {
            throw new ArtifactValidationException("The checkpoint weights are invalid", List.of(e.getMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(directory);
        }
    }

    /**
     * Inspects a checkpoint already in object storage under {@code prefix}. Safetensors headers are read with
     * ranged reads; when the prefix holds no weights, shapes come from config.json.
     */
    public InspectedCheckpoint inspectReferenced(ObjectStorage storage, String bucket, String prefix,
                                                 List<ObjectSummary> objects) {
        List<String> names = objects.stream().map(o -> o.key().substring(prefix.length())).toList();
        List<String> violations = new ArrayList<>(fileSetViolations(names, false));
        if (!violations.isEmpty()) {
            throw new ArtifactValidationException("The referenced checkpoint's file set is invalid", violations);
        }
        ObjectSummary configObject = objects.stream()
                .filter(o -> o.key().equals(prefix + CheckpointFiles.CONFIG)).findFirst().orElseThrow();
        if (configObject.size() > config.limits().maxJsonFileBytes()) {
            throw new ArtifactValidationException(CheckpointFiles.CONFIG + " is larger than "
                    + config.limits().maxJsonFileBytes() + " bytes");
        }
        String configJson;
        try (InputStream in = storage.open(bucket, configObject.key())) {
            configJson = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LlamaConfig llama = parseConfig(configJson);

        List<SafetensorsHeader> headers = new ArrayList<>();
        for (ObjectSummary object : objects) {
            if (!object.key().endsWith(".safetensors")) {
                continue;
            }
            try (InputStream in = storage.open(bucket, object.key())) {
                headers.add(SafetensorsHeader.read(in, object.size()));
            } catch (FormatException e) {
                throw new ArtifactValidationException("The referenced checkpoint weights are invalid",
                        List.of(object.key().substring(prefix.length()) + ": " + e.getMessage()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (headers.isEmpty()) {
            return new InspectedCheckpoint(llama, configJson, LinearModules.forLlama(llama), ShapesSource.CONFIG);
        }
        LinearModules fromCheckpoint = LinearModules.fromCheckpointHeaders(headers);
        checkAgainstConfig(llama, fromCheckpoint);
        return new InspectedCheckpoint(llama, configJson, fromCheckpoint, ShapesSource.CHECKPOINT);
    }

    private List<String> fileSetViolations(java.util.Collection<String> names, boolean weightsRequired) {
        List<String> violations = new ArrayList<>();
        for (String name : names) {
            if (CheckpointFiles.isPickle(name)) {
                violations.add(name + ": pickle files are never accepted; convert the weights to safetensors");
            } else if (!name.endsWith(".safetensors") && !CheckpointFiles.isAllowedSideFile(name)) {
                violations.add(name + ": unexpected file in a HF checkpoint");
            }
        }
        if (!names.contains(CheckpointFiles.CONFIG)) {
            violations.add("config.json is missing");
        }
        if (!names.contains(CheckpointFiles.TOKENIZER)) {
            violations.add("tokenizer.json is missing");
        }
        boolean single = names.contains(CheckpointFiles.SINGLE_WEIGHTS);
        boolean index = names.contains(CheckpointFiles.INDEX);
        if (single && index) {
            violations.add("send either model.safetensors or model.safetensors.index.json with its shards, not both");
        }
        if (weightsRequired && !single && !index) {
            violations.add("model.safetensors (or model.safetensors.index.json with its shards) is missing");
        }
        return violations;
    }

    private String readSmallJson(String name, Path file) {
        try {
            if (Files.size(file) > config.limits().maxJsonFileBytes()) {
                throw new ArtifactValidationException(name + " is larger than "
                        + config.limits().maxJsonFileBytes() + " bytes");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static LlamaConfig parseConfig(String json) {
        try {
            return LlamaConfig.parse(json);
        } catch (FormatException e) {
            throw new ArtifactValidationException("config.json is invalid", List.of(e.getMessage()));
        }
    }

    /** Streams through a possibly large JSON file (tokenizer.json) to prove it is one well-formed JSON object. */
    private void requireJsonDocument(String name, Path file) {
        try (JsonParser parser = objectMapper.getFactory().createParser(file.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new ArtifactValidationException(name + " must be a JSON object");
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new ArtifactValidationException(name + " has content after the JSON object");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ArtifactValidationException(name + " is not valid JSON");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The checkpoint must hold every linear layer the config implies, with the same shape. */
    private static void checkAgainstConfig(LlamaConfig llama, LinearModules checkpoint) {
        List<String> violations = new ArrayList<>();
        LinearModules expected = LinearModules.forLlama(llama);
        for (Map.Entry<String, LinearModules.Shape> module : expected.modules().entrySet()) {
            var actual = checkpoint.shape(module.getKey());
            if (actual.isEmpty()) {
                violations.add("checkpoint has no weight for " + module.getKey() + " implied by config.json");
            } else if (!actual.get().equals(module.getValue())) {
                violations.add(module.getKey() + ".weight has shape " + actual.get() + " but config.json implies "
                        + module.getValue());
            }
            if (violations.size() >= 20) {
                violations.add("(further violations omitted)");
                break;
            }
        }
        if (!violations.isEmpty()) {
            throw new ArtifactValidationException("The checkpoint does not match its config.json", violations);
        }
    }

    private static void deleteQuietly(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a few symlinks in the temp directory; nothing to do
        }
    }
}
