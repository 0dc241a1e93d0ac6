package dev.adapterhub.gateway.cache;

import dev.adapterhub.formats.digest.DigestMismatchException;
import dev.adapterhub.formats.digest.VersionDigest;
import dev.adapterhub.gateway.config.GatewayConfig;
import dev.adapterhub.registry.client.RegistryClient;
import dev.adapterhub.registry.client.model.AdapterVersion;
import dev.adapterhub.registry.client.model.BaseModel;
import dev.adapterhub.registry.client.model.StoredFile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Local copies of registry artifacts, content-addressed: base models under {@code base-models/<id>/}, adapter
 * versions under {@code adapters/<base id>/<digest hex>/}. A directory appears only complete (downloaded into a temporary
 * sibling, checked, then renamed), and every file is checked against the registry's SHA-256 as it is downloaded; an
 * adapter directory also against the version digest, so what is served is exactly what the registry validated.
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
    public Path baseModel(BaseModel base) {
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
    public Path adapter(AdapterVersion version) {
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

    /** Downloads one verified file; returns its SHA-256 (hex). */
    @FunctionalInterface
    private interface Download {
        String to(StoredFile file, Path target);
    }

    private Path fetch(Path dir, List<StoredFile> files, Download download, String expectedDigest) {
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
            Map<String, String> sha256ByName = new TreeMap<>();
            List<StoredFile> ordered = files.stream().sorted(Comparator.comparing(StoredFile::name)).toList();
            for (StoredFile f : ordered) {
                if (!f.name().matches("[A-Za-z0-9._-]+") || f.name().startsWith(".")) {
                    throw new AdapterLoadException("The registry lists an unsafe file name", null);
                }
                try {
                    sha256ByName.put(f.name(), download.to(f, tmp.resolve(f.name())));
                } catch (DigestMismatchException e) {
                    throw new AdapterLoadException("Integrity check failed for " + f.name()
                            + ": its SHA-256 differs from the registry's", e);
                }
            }
            if (expectedDigest != null && !VersionDigest.of(sha256ByName).equals(expectedDigest)) {
                throw new AdapterLoadException("Integrity check failed: the downloaded files do not match the "
                        + "version digest " + expectedDigest, null);
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
