package dev.adapterhub.formats.hf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adapterhub.formats.Json;
import dev.adapterhub.formats.safetensors.SafetensorsHeader;
import dev.adapterhub.formats.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tensor layout of a HF checkpoint directory: either a single {@code model.safetensors} or shards listed in
 * {@code model.safetensors.index.json} ({@code {"weight_map": {tensor: shard file}}}). Only headers are read.
 * Pickle checkpoints ({@code pytorch_model.bin}) are rejected, never loaded.
 */
public final class HfCheckpoint {

    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private final Path directory;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, Path> files;
    private final Map<Path, SafetensorsHeader> headers;

    private HfCheckpoint(Path directory, Map<String, TensorInfo> tensors, Map<String, Path> files,
                         Map<Path, SafetensorsHeader> headers) {
        this.directory = directory;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.files = Collections.unmodifiableMap(files);
        this.headers = Collections.unmodifiableMap(headers);
    }

    /**
     * Reads and validates the headers of every weight file of a checkpoint directory.
     *
     * @throws InvalidModelException if no safetensors weights exist, the index is malformed or inconsistent
     * @throws dev.adapterhub.formats.safetensors.InvalidSafetensorsException if a weight file is malformed
     */
    public static HfCheckpoint open(Path directory) throws IOException {
        Path single = directory.resolve(SINGLE_FILE);
        Path index = directory.resolve(INDEX_FILE);
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, Path> files = new LinkedHashMap<>();
        Map<Path, SafetensorsHeader> headers = new LinkedHashMap<>();
        if (Files.isRegularFile(single)) {
            SafetensorsHeader h = SafetensorsHeader.read(single);
            headers.put(single, h);
            h.tensors().forEach((name, info) -> {
                tensors.put(name, info);
                files.put(name, single);
            });
        } else if (Files.isRegularFile(index)) {
            JsonNode root = Json.parse(Files.readAllBytes(index), INDEX_FILE, InvalidModelException::new);
            JsonNode map = root.get("weight_map");
            if (map == null || !map.isObject() || map.isEmpty()) {
                throw new InvalidModelException(INDEX_FILE + ": \"weight_map\" must be a non-empty object");
            }
            Map<String, String> weightMap = new LinkedHashMap<>();
            Set<String> shardNames = new TreeSet<>();
            map.fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual()) {
                    throw new InvalidModelException(INDEX_FILE + ": shard of tensor \"" + e.getKey()
                            + "\" must be a file name");
                }
                weightMap.put(e.getKey(), e.getValue().textValue());
                shardNames.add(e.getValue().textValue());
            });
            for (String shard : shardNames) {
                if (shard.contains("/") || shard.contains("\\") || shard.equals("..") || shard.equals(".")
                        || !shard.endsWith(".safetensors")) {
                    throw new InvalidModelException(INDEX_FILE + ": shard \"" + shard
                            + "\" must be a .safetensors file name in the same directory");
                }
                Path p = directory.resolve(shard);
                if (!Files.isRegularFile(p)) {
                    throw new InvalidModelException(INDEX_FILE + " names shard \"" + shard + "\" which is missing");
                }
                headers.put(p, SafetensorsHeader.read(p));
            }
            for (Map.Entry<String, String> e : weightMap.entrySet()) {
                Path p = directory.resolve(e.getValue());
                TensorInfo info = headers.get(p).tensors().get(e.getKey());
                if (info == null) {
                    throw new InvalidModelException(INDEX_FILE + " places tensor \"" + e.getKey() + "\" in shard \""
                            + e.getValue() + "\" which does not contain it");
                }
                tensors.put(e.getKey(), info);
                files.put(e.getKey(), p);
            }
        } else if (Files.exists(directory.resolve("pytorch_model.bin"))
                || Files.exists(directory.resolve("pytorch_model.bin.index.json"))) {
            throw new InvalidModelException("checkpoint has only pickle weights (pytorch_model.bin); pickled "
                    + "weights are never loaded: convert the model to safetensors");
        } else {
            throw new InvalidModelException("checkpoint has neither " + SINGLE_FILE + " nor " + INDEX_FILE);
        }
        return new HfCheckpoint(directory, tensors, files, headers);
    }

    public Path directory() {
        return directory;
    }

    /** Every tensor of the checkpoint (index order for sharded checkpoints). */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** The file holding each tensor. */
    public Map<String, Path> files() {
        return files;
    }

    /** The validated header of each weight file. */
    public Map<Path, SafetensorsHeader> headers() {
        return headers;
    }

    /** The linear layers found in this checkpoint. */
    public LinearModules linearModules() {
        return LinearModules.fromCheckpointHeaders(tensors);
    }
}
