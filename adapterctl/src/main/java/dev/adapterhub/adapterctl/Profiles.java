package dev.adapterhub.adapterctl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Named registries and the keys to call them with, kept in one JSON file ({@code ~/.config/adapterctl/config.json},
 * owner-only): {@code {"current": "prod", "profiles": {"prod": {"url": …, "key": …}}}}.
 */
final class Profiles {

    record Profile(String url, String key) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private String current;
    private final Map<String, Profile> profiles = new TreeMap<>();

    private Profiles(Path file) {
        this.file = file;
    }

    static Path defaultFile(Map<String, String> env) {
        String configured = env.get("ADAPTERCTL_CONFIG");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String home = env.getOrDefault("XDG_CONFIG_HOME", System.getProperty("user.home") + "/.config");
        return Path.of(home, "adapterctl", "config.json");
    }

    static Profiles load(Path file) {
        Profiles profiles = new Profiles(file);
        if (Files.isRegularFile(file)) {
            try {
                ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
                profiles.current = root.path("current").asText(null);
                root.path("profiles").fields().forEachRemaining(entry -> profiles.profiles.put(entry.getKey(),
                        new Profile(entry.getValue().path("url").asText(null),
                                entry.getValue().path("key").asText(null))));
            } catch (IOException | ClassCastException e) {
                throw new IllegalStateException("Cannot read the profiles in " + file + ": " + e.getMessage());
            }
        }
        return profiles;
    }

    /** The named profile, or the current one for {@code null}. */
    Optional<Profile> get(String name) {
        String chosen = name == null ? current : name;
        return chosen == null ? Optional.empty() : Optional.ofNullable(profiles.get(chosen));
    }

    String current() {
        return current;
    }

    Map<String, Profile> all() {
        return profiles;
    }

    void put(String name, Profile profile, boolean makeCurrent) {
        profiles.put(name, profile);
        if (makeCurrent || current == null) {
            current = name;
        }
        save();
    }

    void use(String name) {
        if (!profiles.containsKey(name)) {
            throw new IllegalArgumentException("no profile named " + name + " (adapterctl profiles list)");
        }
        current = name;
        save();
    }

    private void save() {
        ObjectNode root = JSON.createObjectNode();
        root.put("current", current);
        ObjectNode all = root.putObject("profiles");
        profiles.forEach((name, profile) -> all.putObject(name).put("url", profile.url()).put("key", profile.key()));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
