package dev.adapterhub.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local stack's credentials (issue 11): the registry's platform-admin and service-account keys and the key that
 * encrypts webhook secrets, made on the
 * first start, and an admin key of the team {@value #TEAM} the README tour works in, made through the registry's
 * API once it is up. Kept in {@code keys.env} in the data directory (owner-only), so a restart reuses them and a
 * shell can {@code source} them.
 */
final class LocalKeys {

    /** The team the README tour's adapters belong to. */
    static final String TEAM = "nlp";
    static final String FILE = "keys.env";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern KEY_IN_JSON = Pattern.compile("\"key\"\\s*:\\s*\"(ahk_[^\"]+)\"");

    private final Path file;
    private final Map<String, String> keys;

    private LocalKeys(Path file, Map<String, String> keys) {
        this.file = file;
        this.keys = keys;
    }

    /** The keys kept in {@code dataDir}, with the service keys made now when there are none yet. */
    static LocalKeys load(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        Map<String, String> keys = new LinkedHashMap<>();
        if (Files.isRegularFile(file)) {
            Properties stored = new Properties();
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.startsWith("export ")) {
                        stored.load(new java.io.StringReader(line.substring("export ".length())));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
            stored.stringPropertyNames().forEach(name -> keys.put(name, stored.getProperty(name)));
        }
        for (String name : new String[]{"ADAPTERHUB_ADMIN_KEY", "ADAPTERHUB_WORKER_KEY", "ADAPTERHUB_GATEWAY_KEY",
                "ADAPTERHUB_TRANSFER_KEY"}) {
            keys.computeIfAbsent(name, n -> generate());
        }
        keys.computeIfAbsent("ADAPTERHUB_WEBHOOKS_ENCRYPTION_KEY", n -> {
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            return Base64.getEncoder().encodeToString(key);
        });
        LocalKeys local = new LocalKeys(file, keys);
        local.save();
        return local;
    }

    String admin() {
        return keys.get("ADAPTERHUB_ADMIN_KEY");
    }

    /** The team key, once {@link #ensureTeamKey} made it. */
    String team() {
        return keys.get("ADAPTERHUB_TEAM_KEY");
    }

    Path file() {
        return file;
    }

    /**
     * What the registry needs: the keys to accept, the key that encrypts webhook secrets, and loopback as an
     * allowed webhook target (a developer's receiver runs on this machine; production allows none).
     */
    Map<String, String> registryEnvironment() {
        return Map.of("ADAPTERHUB_SECURITY_ADMIN_KEYS", admin(),
                "ADAPTERHUB_SECURITY_WORKER_KEYS", keys.get("ADAPTERHUB_WORKER_KEY"),
                "ADAPTERHUB_SECURITY_GATEWAY_KEYS", keys.get("ADAPTERHUB_GATEWAY_KEY"),
                "ADAPTERHUB_SECURITY_TRANSFER_KEYS", keys.get("ADAPTERHUB_TRANSFER_KEY"),
                "ADAPTERHUB_WEBHOOKS_ENCRYPTION_KEYS", keys.get("ADAPTERHUB_WEBHOOKS_ENCRYPTION_KEY"),
                "ADAPTERHUB_WEBHOOKS_ALLOWED_TARGETS", "localhost,127.0.0.1/32,::1/128");
    }

    /** The key {@code module} calls the registry with; none for the registry itself. */
    Map<String, String> clientEnvironment(String module) {
        String key = switch (module) {
            case "training-worker" -> keys.get("ADAPTERHUB_WORKER_KEY");
            case "serving-gateway" -> keys.get("ADAPTERHUB_GATEWAY_KEY");
            case "transfer-service" -> keys.get("ADAPTERHUB_TRANSFER_KEY");
            default -> null;
        };
        return key == null ? Map.of() : Map.of("ADAPTERHUB_REGISTRY_API_KEY", key);
    }

    /**
     * Makes team {@value #TEAM} and an admin key of it through the registry, unless a working one is kept already.
     */
    void ensureTeamKey(String registryApiUrl) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        if (team() != null && send(http, registryApiUrl + "/whoami", team(), null).statusCode() == 200) {
            return;
        }
        int created = send(http, registryApiUrl + "/teams", admin(), "{\"name\": \"" + TEAM + "\"}").statusCode();
        if (created != 201 && created != 409) {
            throw new IOException("The registry refused to create team " + TEAM + ": HTTP " + created);
        }
        String name = "local-admin-" + Long.toString(System.currentTimeMillis(), 36);
        HttpResponse<String> key = send(http, registryApiUrl + "/teams/" + TEAM + "/api-keys", admin(),
                "{\"name\": \"" + name + "\", \"role\": \"ADMIN\"}");
        Matcher matcher = KEY_IN_JSON.matcher(key.body());
        if (key.statusCode() != 201 || !matcher.find()) {
            throw new IOException("The registry refused to create an API key for team " + TEAM + ": HTTP "
                    + key.statusCode() + " " + key.body());
        }
        keys.put("ADAPTERHUB_TEAM_KEY", matcher.group(1));
        save();
    }

    private static HttpResponse<String> send(HttpClient http, String url, String key, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key);
        if (json != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void save() {
        StringBuilder text = new StringBuilder("# AdapterHub local stack credentials; `source` this file. Keep it private.\n");
        keys.forEach((name, value) -> text.append("export ").append(name).append('=').append(value).append('\n'));
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the data directory's own permissions protect it
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /** {@code ahk_<12 lower-case letters or digits>_<43 base64url characters>}, the registry's key format. */
    static String generate() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            id.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return "ahk_" + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }
}
