package dev.adapterhub.formats.digest;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The version digest. It is the SHA-256 of the version's manifest, which is exactly what {@code sha256sum}
 * prints for the version's files in file-name order: one line {@code <hex>  <file name>\n} per file. So
 * {@code sha256sum adapter_config.json adapter_model.safetensors | sha256sum} reproduces it from a download.
 */
public final class VersionDigest {

    /** The prefix of every digest the registry prints. */
    public static final String PREFIX = "sha256:";

    private VersionDigest() {
    }

    /** {@code sha256:<hex>} over the manifest of {file name: SHA-256 hex}. */
    public static String of(Map<String, String> fileSha256ByName) {
        return PREFIX + Sha256.hex(manifest(fileSha256ByName).getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code sha256sum}-style manifest: {@code <hex>  <file name>\n} per file, in file-name order. */
    public static String manifest(Map<String, String> fileSha256ByName) {
        StringBuilder manifest = new StringBuilder();
        for (Map.Entry<String, String> entry : new TreeMap<>(fileSha256ByName).entrySet()) {
            manifest.append(entry.getValue()).append("  ").append(entry.getKey()).append('\n');
        }
        return manifest.toString();
    }
}
