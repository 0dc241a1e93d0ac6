package dev.adapterhub.gateway.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.adapterhub.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Read-only client of registry-service's REST API (the gateway never changes the registry). 404 becomes an empty
 * Optional; any other failure a {@link RegistryUnavailableException}.
 */
@ApplicationScoped
public class RegistryClient {

    private static final int PAGE_SIZE = 100;

    private final String apiUrl;
    private final Duration timeout;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @Inject
    public RegistryClient(GatewayConfig config) {
        this(config.registryUrl(), config.registryTimeout());
    }

    public RegistryClient(String registryUrl, Duration timeout) {
        this.apiUrl = apiUrl(registryUrl);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** {@code http://host:port} or {@code http://host:port/api/v1}, with or without a trailing slash. */
    static String apiUrl(String registryUrl) {
        String u = registryUrl.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u.endsWith("/api/v1") ? u : u + "/api/v1";
    }

    public String apiUrl() {
        return apiUrl;
    }

    /** {@code GET /resolve/{ref}}: an adapter version by reference. */
    public Optional<RegistryVersion> resolve(String ref) {
        return get("/resolve/" + seg(ref), RegistryVersion.class);
    }

    /** {@code GET /base-models/{ref}}: id, name (newest ACTIVE revision) or name@revision. */
    public Optional<RegistryBaseModel> baseModel(String ref) {
        return get("/base-models/" + seg(ref), RegistryBaseModel.class);
    }

    /** Every registered base model, all pages. */
    public List<RegistryBaseModel> baseModels() {
        return pages("/base-models", RegistryBaseModel.class);
    }

    /** Every adapter on the given base model (id), all pages. */
    public List<RegistryAdapter> adaptersOn(String baseModelId) {
        return pages("/adapters?baseModel=" + seg(baseModelId), RegistryAdapter.class);
    }

    /** Streams a version file to {@code target} (replaced atomically). */
    public void downloadVersionFile(String adapterName, int version, String fileName, Path target) {
        download("/adapters/" + seg(adapterName) + "/versions/" + version + "/files/" + seg(fileName), target);
    }

    /** Streams a base model checkpoint file to {@code target} (replaced atomically). */
    public void downloadBaseModelFile(String baseModelId, String fileName, Path target) {
        download("/base-models/" + seg(baseModelId) + "/files/" + seg(fileName), target);
    }

    private <T> Optional<T> get(String path, Class<T> type) {
        HttpResponse<InputStream> r = send(path);
        try (InputStream body = r.body()) {
            if (r.statusCode() == 404) {
                return Optional.empty();
            }
            if (r.statusCode() == 400) {
                // the registry refuses malformed references (bad characters): nothing can match them
                return Optional.empty();
            }
            requireOk(r, path);
            return Optional.of(json.readValue(body, type));
        } catch (IOException e) {
            throw new RegistryUnavailableException("Reading the registry's answer to " + path + " failed", e);
        }
    }

    private <T> List<T> pages(String path, Class<T> type) {
        List<T> all = new ArrayList<>();
        JavaType listType = json.getTypeFactory().constructCollectionType(List.class, type);
        String sep = path.contains("?") ? "&" : "?";
        for (int page = 0; ; page++) {
            String p = path + sep + "page=" + page + "&size=" + PAGE_SIZE;
            HttpResponse<InputStream> r = send(p);
            try (InputStream body = r.body()) {
                requireOk(r, p);
                JsonNode node = json.readTree(body);
                List<T> items = json.convertValue(node.path("items"), listType);
                all.addAll(items);
                if (items.size() < PAGE_SIZE || all.size() >= node.path("total").asLong()) {
                    return all;
                }
            } catch (IOException e) {
                throw new RegistryUnavailableException("Reading the registry's answer to " + p + " failed", e);
            }
        }
    }

    private void download(String path, Path target) {
        HttpResponse<InputStream> r = send(path);
        try (InputStream body = r.body()) {
            requireOk(r, path);
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".download-", ".part");
            try {
                Files.copy(body, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new RegistryUnavailableException("Downloading " + path + " failed", e);
        }
    }

    private HttpResponse<InputStream> send(String path) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(apiUrl + path)).timeout(timeout).GET()
                .header("Accept", "application/json, application/octet-stream").build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new RegistryUnavailableException("The registry is unreachable at " + apiUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("Interrupted while calling the registry", e);
        }
    }

    private static void requireOk(HttpResponse<?> r, String path) {
        if (r.statusCode() / 100 != 2) {
            throw new RegistryUnavailableException("The registry answered " + r.statusCode() + " to GET " + path,
                    null);
        }
    }

    private static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
