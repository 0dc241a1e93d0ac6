package dev.adapterhub.gateway.cache;

import dev.adapterhub.gateway.config.GatewayConfig;
import dev.adapterhub.gateway.registry.RegistryBaseModel;
import dev.adapterhub.gateway.registry.RegistryClient;
import dev.adapterhub.gateway.registry.RegistryFile;
import dev.adapterhub.gateway.registry.RegistryVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Local copies of registry artifacts, content-addressed: base models under {@code base-models/<id>/}, adapter
 * versions under {@code adapters/<base id>/<digest hex>/}. A directory appears only complete (downloaded into a temporary
 * sibling, checked, then renamed), and every file is checked against the registry's SHA-256; an adapter
 * directory also against the version digest, so what is served is exactly what the registry validated.
 */
@ApplicationScoped
public class ArtifactStore {

    private final RegistryClient registry;
    private final Path root;
    private final Object baseLock = new Object();

    @Inject
    public ArtifactStore(RegistryClient registry, GatewayConfig config) {
        this(registry, Path.of(config.cacheDir()));
    }

    public ArtifactStore(RegistryClient registry, Path root) {
        this.registry = registry;
        this.root = root;
    }

    /**
     * The base model's checkpoint directory, downloaded when absent. Serialized on its own lock: a multi-GB
     * download must not block adapter downloads or evictions.
     */
    public Path baseModel(RegistryBaseModel base) {
        synchronized (baseLock) {
            Path dir = root.resolve("base-models").resolve(safe(base.id()));
            synchronized (this) {
                if (Files.isDirectory(dir)) {
                    return dir;
                }
            }
            return fetch(dir, base.files(), (file, target) -> registry.downloadBaseModelFile(base.id(), file,
                    target), null);
        }
    }

    /** The adapter version's PEFT directory, downloaded and verified when absent. */
    public Path adapter(RegistryVersion version) {
        Path dir = adapterDir(version.base().id(), version.digest());
        synchronized (this) {
            if (Files.isDirectory(dir)) {
                return dir;
            }
        }
        // downloads run outside the lock: several adapters may load at once; the rename makes the result atomic
        return fetch(dir, version.files(), (file, target) -> registry.downloadVersionFile(version.adapterName(),
                version.version(), file, target), version.digest());
    }

    /** Removes the local copy of an adapter version (after eviction: disk stays bounded by the cache). */
    public synchronized void deleteAdapter(String baseModelId, String digest) {
        deleteTree(adapterDir(baseModelId, digest));
    }

    /** One directory per (base, digest): the same files published on two bases are two cache entries. */
    public Path adapterDir(String baseModelId, String digest) {
        return root.resolve("adapters").resolve(safe(baseModelId)).resolve(safe(digest.replace("sha256:", "")));
    }

    @FunctionalInterface
    private interface Download {
        void to(String fileName, Path target);
    }

    private Path fetch(Path dir, List<RegistryFile> files, Download download, String expectedDigest) {
        if (files == null || files.isEmpty()) {
            throw new AdapterLoadException("The registry lists no files for " + dir.getFileName(), null);
        }
        Path tmp;
        try {
            Files.createDirectories(dir.getParent());
            tmp = Files.createTempDirectory(dir.getParent(), ".fetch-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a directory under " + dir.getParent(), e);
        }
        try {
            StringBuilder manifest = new StringBuilder();
            List<RegistryFile> ordered = files.stream().sorted(Comparator.comparing(RegistryFile::name)).toList();
            for (RegistryFile f : ordered) {
                if (!f.name().matches("[A-Za-z0-9._-]+") || f.name().startsWith(".")) {
                    throw new AdapterLoadException("The registry lists an unsafe file name", null);
                }
                Path target = tmp.resolve(f.name());
                download.to(f.name(), target);
                String hex = sha256(target);
                if (f.sha256() != null && !f.sha256().equalsIgnoreCase(hex)) {
                    throw new AdapterLoadException("Integrity check failed for " + f.name()
                            + ": its SHA-256 differs from the registry's", null);
                }
                manifest.append(hex).append("  ").append(f.name()).append('\n');
            }
            if (expectedDigest != null) {
                String actual = "sha256:" + sha256(manifest.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                if (!actual.equals(expectedDigest)) {
                    throw new AdapterLoadException("Integrity check failed: the downloaded files do not match the "
                            + "version digest " + expectedDigest, null);
                }
            }
            synchronized (this) {
                if (Files.isDirectory(dir)) {
                    return dir;
                }
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store " + dir, e);
        } finally {
            deleteTree(tmp);
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String safe(String s) {
        if (!s.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("unsafe path component");
        }
        return s;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a leftover file is retried by the next deletion of the same directory
                }
            });
        } catch (IOException ignored) {
            // same as above
        }
    }
}
