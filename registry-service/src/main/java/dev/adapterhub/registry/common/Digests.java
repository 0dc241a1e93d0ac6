package dev.adapterhub.registry.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The version digest. It is the SHA-256 of the version's manifest, which is exactly what {@code sha256sum}
 * prints for the version's files in file-name order: one line {@code <hex>  <file name>\n} per file. So
 * {@code sha256sum adapter_config.json adapter_model.safetensors | sha256sum} reproduces it from a download.
 */
public final class Digests {

    private Digests() {
    }

    /** {@code sha256:<hex>} over the manifest of {file name: SHA-256 hex}. */
    public static String versionDigest(Map<String, String> fileSha256ByName) {
        StringBuilder manifest = new StringBuilder();
        for (Map.Entry<String, String> entry : new TreeMap<>(fileSha256ByName).entrySet()) {
            manifest.append(entry.getValue()).append("  ").append(entry.getKey()).append('\n');
        }
        return "sha256:" + sha256Hex(manifest.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
