package dev.adapterhub.registry.storage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The files of one upload while they sit under {@code staging/<upload id>/}. */
public record StagedUpload(String uploadId, Map<String, StagedFile> files) {

    public StagedUpload {
        files = new LinkedHashMap<>(files);
    }

    public Optional<StagedFile> file(String name) {
        return Optional.ofNullable(files.get(name));
    }

    /** {file name: SHA-256 hex}, the input of the version digest. */
    public Map<String, String> sha256ByName() {
        Map<String, String> result = new LinkedHashMap<>();
        files.forEach((name, file) -> result.put(name, file.sha256()));
        return result;
    }
}
