package dev.adapterhub.registry.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.adapterhub.formats.digest.DigestMismatchException;
import dev.adapterhub.formats.digest.VerifiedCopy;
import dev.adapterhub.registry.client.model.Adapter;
import dev.adapterhub.registry.client.model.AdapterVersion;
import dev.adapterhub.registry.client.model.BaseModel;
import dev.adapterhub.registry.client.model.Caller;
import dev.adapterhub.registry.client.model.Completion;
import dev.adapterhub.registry.client.model.CompletionResult;
import dev.adapterhub.registry.client.model.Dataset;
import dev.adapterhub.registry.client.model.Heartbeat;
import dev.adapterhub.registry.client.model.Job;
import dev.adapterhub.registry.client.model.LeaseRenewal;
import dev.adapterhub.registry.client.model.Page;
import dev.adapterhub.registry.client.model.StoredFile;
import dev.adapterhub.registry.client.model.TrainingJobClaim;
import dev.adapterhub.registry.client.model.TransferKit;
import dev.adapterhub.registry.client.model.TransferOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.LongConsumer;

/**
 * Typed client of registry-service's REST API ({@code /api/v1}): the catalogue reads the serving gateway makes and
 * the lease protocol of training workers (ADR 0005). Thread-safe; build one per process with {@link #builder()}.
 *
 * <p>Failures are {@link RegistryException}s: {@link RegistryNotFoundException} (404),
 * {@link RegistryConflictException} (409), {@link RegistryRejectedException} (other 4xx) and
 * {@link RegistryUnavailableException} (transport errors, 5xx, unreadable answers). {@code find...} methods
 * answer a 404 with an empty Optional instead. Idempotent calls (every read and download, and {@code complete})
 * are retried while the registry is unavailable, as the {@link RetryPolicy} says; {@code claim}, {@code heartbeat}
 * and {@code fail} are sent once (see each method why).
 */
public final class RegistryClient {

    /** Page size of the {@code listAll...} methods. */
    static final int PAGE_SIZE = 100;

    private static final String JSON = "application/json";

    private final String apiUrl;
    private final Duration timeout;
    private final ObjectMapper json;
    private final RegistryHttp http;
    private final String apiKey;

    private RegistryClient(Builder builder) {
        this.apiUrl = apiUrl(builder.url);
        this.apiKey = builder.apiKey;
        this.timeout = builder.timeout;
        this.json = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .build();
        this.http = new RegistryHttp(builder.connectTimeout, builder.retry, json);
    }

    private RegistryClient(RegistryClient base, String apiKey) {
        this.apiUrl = base.apiUrl;
        this.timeout = base.timeout;
        this.json = base.json;
        this.http = base.http;
        this.apiKey = apiKey;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The same client (connections, timeouts, retries) calling as someone else: a service acting for its caller
     * passes the caller's credential on, so that the registry decides what the caller may see and do.
     */
    public RegistryClient withCredential(String credential) {
        return new RegistryClient(this, credential);
    }

    /** {@code http://host:port} or {@code http://host:port/api/v1}, with or without a trailing slash. */
    static String apiUrl(String registryUrl) {
        String u = registryUrl.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u.endsWith("/api/v1") ? u : u + "/api/v1";
    }

    /** The REST base every call goes to, e.g. {@code http://registry:8080/api/v1}. */
    public String apiUrl() {
        return apiUrl;
    }

    // ---- identity ----------------------------------------------------------------------------------------------

    /**
     * {@code GET /whoami} with someone else's credential (an API key or a JWT): who the registry says it is, or
     * empty when the registry refuses it (401). How the gateway and the transfer service verify their callers.
     */
    public Optional<Caller> whoami(String credential) {
        HttpRequest request = request("/whoami", JSON, credential).GET().build();
        try {
            return Optional.of(http.send(request, true, body -> json.readValue(body, Caller.class)));
        } catch (RegistryRejectedException e) {
            if (e.status() == 401) {
                return Optional.empty();
            }
            throw e;
        }
    }

    // ---- base models -------------------------------------------------------------------------------------------

    /** {@code GET /base-models/{ref}}: by id, name (newest ACTIVE revision) or {@code name@revision}. */
    public Optional<BaseModel> findBaseModel(String ref) {
        return find("/base-models/" + seg(ref), BaseModel.class);
    }

    /** {@code GET /base-models}: one page. */
    public Page<BaseModel> listBaseModels(int page, int size) {
        return page("/base-models?page=" + page + "&size=" + size, BaseModel.class);
    }

    /** Every registered base model, all pages. */
    public List<BaseModel> listAllBaseModels() {
        return all((page, size) -> listBaseModels(page, size));
    }

    /**
     * {@code GET /base-models/{ref}/files/{name}}, streamed to {@code target} (replaced atomically) and verified
     * against {@code file.sha256()} when the registry recorded one.
     *
     * @return the SHA-256 (hex) of the bytes now at {@code target}
     * @throws DigestMismatchException when the bytes differ from the registry's SHA-256 (nothing is written)
     */
    public String downloadBaseModelFile(String baseModelRef, StoredFile file, Path target) {
        return download("/base-models/" + seg(baseModelRef) + "/files/" + seg(file.name()), file, target);
    }

    // ---- adapters and versions ---------------------------------------------------------------------------------

    /** {@code GET /adapters/{name}}. */
    public Optional<Adapter> findAdapter(String name) {
        return find("/adapters/" + seg(name), Adapter.class);
    }

    /** {@code GET /adapters}: one page, optionally only the adapters on one base model (id or reference). */
    public Page<Adapter> listAdapters(String baseModel, int page, int size) {
        String filter = baseModel == null ? "" : "baseModel=" + seg(baseModel) + "&";
        return page("/adapters?" + filter + "page=" + page + "&size=" + size, Adapter.class);
    }

    /** Every adapter on the base model (id or reference), all pages. */
    public List<Adapter> listAllAdapters(String baseModel) {
        return all((page, size) -> listAdapters(baseModel, page, size));
    }

    /** {@code GET /adapters/{name}/versions}: one page; the adapter must exist. */
    public Page<AdapterVersion> listVersions(String adapterName, int page, int size) {
        return page("/adapters/" + seg(adapterName) + "/versions?page=" + page + "&size=" + size,
                AdapterVersion.class);
    }

    /** {@code GET /adapters/{name}/versions/{selector}}: selector is a number, an alias or {@code latest}. */
    public Optional<AdapterVersion> findVersion(String adapterName, String selector) {
        return find("/adapters/" + seg(adapterName) + "/versions/" + seg(selector), AdapterVersion.class);
    }

    /** {@code GET /resolve/{ref}}: the version {@code name}, {@code name@alias} or {@code name@version} names. */
    public Optional<AdapterVersion> resolve(String ref) {
        return find("/resolve/" + seg(ref), AdapterVersion.class);
    }

    /**
     * {@code GET /adapters/{name}/versions/{version}/files/{name}}, streamed to {@code target} (replaced
     * atomically) and verified against {@code file.sha256()}.
     *
     * @return the SHA-256 (hex) of the bytes now at {@code target}
     * @throws DigestMismatchException when the bytes differ from the registry's SHA-256 (nothing is written)
     */
    public String downloadVersionFile(String adapterName, int version, StoredFile file, Path target) {
        return download("/adapters/" + seg(adapterName) + "/versions/" + version + "/files/" + seg(file.name()),
                file, target);
    }

    /**
     * {@code GET /adapters/{name}/versions/{selector}/transfer-kit}: what Trans-LoRA can use to move the version
     * (every existing version has an answer, NONE included).
     */
    public Optional<TransferKit> findTransferKit(String adapterName, String selector) {
        return find("/adapters/" + seg(adapterName) + "/versions/" + seg(selector) + "/transfer-kit",
                TransferKit.class);
    }

    /** A file of a kit's discriminator, streamed and verified like {@link #downloadVersionFile}. */
    public String downloadTransferKitFile(String adapterName, int version, StoredFile file, Path target) {
        return download("/adapters/" + seg(adapterName) + "/versions/" + version + "/transfer-kit/files/"
                + seg(file.name()), file, target);
    }

    /** {@code GET /adapters?team=}: every adapter of a team, all pages. */
    public List<Adapter> listAllAdaptersOfTeam(String team) {
        return all((page, size) -> page("/adapters?team=" + seg(team) + "&page=" + page + "&size=" + size,
                Adapter.class));
    }

    // ---- datasets and training jobs ----------------------------------------------------------------------------

    /** {@code GET /datasets/{ref}}: by id or {@code sha256:} digest. */
    public Optional<Dataset> findDataset(String ref) {
        return find("/datasets/" + seg(ref), Dataset.class);
    }

    /**
     * Submits a TRANSFER job ({@code POST /training-jobs} with {@code kind: TRANSFER}): moves {@code sourceVersion}
     * (name@version, name@alias or an id) to {@code targetBaseModel}. With an idempotency key a repeat returns the
     * first job, so the call is retried like a read; without one it is sent once.
     */
    public Job submitTransfer(String sourceVersion, String targetBaseModel, TransferOptions options,
                              String idempotencyKey, String actor) {
        Map<String, Object> transfer = new LinkedHashMap<>();
        transfer.put("sourceVersion", sourceVersion);
        if (options.goal() != null) {
            transfer.put("goal", options.goal());
        }
        if (options.copyFirst() != null) {
            transfer.put("copyFirst", options.copyFirst());
        }
        if (options.gateMargin() != null) {
            transfer.put("gateMargin", options.gateMargin());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "TRANSFER");
        body.put("baseModel", targetBaseModel);
        body.put("transfer", transfer);
        if (idempotencyKey != null) {
            body.put("idempotencyKey", idempotencyKey);
        }
        if (actor != null) {
            body.put("actor", actor);
        }
        return postJson("/training-jobs", body, idempotencyKey != null, Job.class);
    }

    /** {@code GET /training-jobs}: one page, newest first; null filters are left out. */
    public Page<Job> listTrainingJobs(String kind, String state, String adapterName, int page, int size) {
        StringBuilder query = new StringBuilder("/training-jobs?page=").append(page).append("&size=").append(size);
        if (kind != null) {
            query.append("&kind=").append(seg(kind));
        }
        if (state != null) {
            query.append("&state=").append(seg(state));
        }
        if (adapterName != null) {
            query.append("&adapter=").append(seg(adapterName));
        }
        return page(query.toString(), Job.class);
    }

    /** {@code POST /training-jobs/{id}/cancel}; 409 ({@link RegistryConflictException}) once it has ended. */
    public Job cancelTrainingJob(UUID jobId, String reason, String actor) {
        return postJson(jobPath(jobId, "cancel"), review("reason", reason, actor), false, Job.class);
    }

    /** {@code POST /training-jobs/{id}/promote}: a transferred version that awaits review takes its aliases. */
    public Job promoteTransfer(UUID jobId, String note, String actor) {
        return postJson(jobPath(jobId, "promote"), review("note", note, actor), false, Job.class);
    }

    /** {@code POST /training-jobs/{id}/reject}: a transferred version that awaits review stays unserved. */
    public Job rejectTransfer(UUID jobId, String note, String actor) {
        return postJson(jobPath(jobId, "reject"), review("note", note, actor), false, Job.class);
    }

    private static Map<String, Object> review(String field, String text, String actor) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (text != null) {
            body.put(field, text);
        }
        if (actor != null) {
            body.put("actor", actor);
        }
        return body;
    }

    /** {@code GET /training-jobs/{id}}. */
    public Optional<Job> findTrainingJob(UUID jobId) {
        return find("/training-jobs/" + jobId, Job.class);
    }

    /**
     * Claims the attempt named by a dispatch record; {@link RegistryConflictException} when another worker has it
     * or the record is stale. Not retried: the claim is a compare-and-set, and a repeat after a lost answer would
     * find the job already claimed (by this very call) and answer 409.
     */
    public TrainingJobClaim claim(UUID jobId, String workerId, int attempt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("workerId", workerId);
        body.put("attempt", attempt);
        return postJson(jobPath(jobId, "claim"), body, false, TrainingJobClaim.class);
    }

    /**
     * Renews the lease and reports progress; {@link RegistryConflictException} {@code lease-lost} means the lease
     * is gone: stop without publishing. Not retried: the lease timer sends the next heartbeat soon anyway, and a
     * repeat could write the heartbeat's progress and message to the job's log twice.
     */
    public LeaseRenewal heartbeat(UUID jobId, Heartbeat heartbeat) {
        return postJson(jobPath(jobId, "heartbeat"), heartbeat, false, LeaseRenewal.class);
    }

    /**
     * Gives up the attempt; the registry re-queues it while attempts are left when {@code retryable}. Not retried:
     * the first call ends the lease, so a repeat could only answer 409.
     */
    public void fail(UUID jobId, String leaseToken, String reason, boolean retryable) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("leaseToken", leaseToken);
        body.put("reason", reason);
        body.put("retryable", retryable);
        postJson(jobPath(jobId, "fail"), body, false, Void.class);
    }

    /**
     * Hands in the adapter (multipart: the PEFT files, metrics, seed examples). Retried: it is idempotent by job
     * id on the registry's side (ADR 0005), so a repeat after a lost answer returns the version already published.
     */
    public CompletionResult complete(UUID jobId, String leaseToken, Completion completion) {
        MultipartBody form = new MultipartBody()
                .field("leaseToken", leaseToken)
                .field("metrics", write(completion.metrics()))
                .field("seedExamples", write(completion.seedExamples()));
        if (completion.transferMethod() != null) {
            form.field("transferMethod", completion.transferMethod());
        }
        if (completion.trainingExamples() != null) {
            form.field("trainingExamples", completion.trainingExamples().toString());
        }
        for (String fileName : Completion.ADAPTER_FILES) {
            form.file("file", fileName, completion.adapterDirectory().resolve(fileName));
        }
        Completion.Kit kit = completion.kit();
        if (kit != null && kit.discriminatorDirectory() != null) {
            form.field("transferKit", write(Map.of("realInputs", kit.realInputs(),
                    "generatedInputs", kit.generatedInputs(), "accuracyOnReal", kit.accuracyOnReal(),
                    "accuracyOnGenerated", kit.accuracyOnGenerated())));
            for (String fileName : Completion.ADAPTER_FILES) {
                form.file("kitFile", fileName, kit.discriminatorDirectory().resolve(fileName));
            }
        } else if (kit != null) {
            form.field("transferKit", write(Map.of("missingReason", kit.missingReason())));
        }
        HttpRequest request = request(jobPath(jobId, "complete"), JSON)
                .header("Content-Type", form.contentType())
                .POST(form.publisher())
                .build();
        return http.send(request, true, body -> json.readValue(body, CompletionResult.class));
    }

    // ---- any endpoint as JSON (adapterctl) -------------------------------------------------------------------

    /**
     * {@code GET} any endpoint under the REST base ({@code path} like {@code /adapters?team=nlp}) as a JSON tree;
     * for tools that print what the registry answers. Errors are the same typed exceptions as everywhere.
     */
    public JsonNode getJson(String path) {
        return http.send(request(path, JSON).GET().build(), true, json::readTree);
    }

    /** {@code POST}, {@code PUT}, {@code PATCH} or {@code DELETE} with a JSON body (or none); not retried. */
    public JsonNode sendJson(String method, String path, Object body) {
        HttpRequest.Builder request = request(path, JSON);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", JSON)
                    .method(method, HttpRequest.BodyPublishers.ofString(write(body), StandardCharsets.UTF_8));
        }
        return http.send(request.build(), false, in -> {
            byte[] bytes = in.readAllBytes();
            return bytes.length == 0 ? json.nullNode() : json.readTree(bytes);
        });
    }

    /**
     * {@code POST} a multipart form: text fields, and files as parts named {@code part} (file name = the file's
     * own). {@code progress} hears the bytes sent so far; not retried.
     */
    public JsonNode upload(String path, Map<String, String> fields, String part, List<Path> files,
                           LongConsumer progress) {
        MultipartBody form = new MultipartBody();
        fields.forEach(form::field);
        for (Path file : files) {
            form.file(part, file.getFileName().toString(), file);
        }
        HttpRequest request = request(path, JSON)
                .header("Content-Type", form.contentType())
                .POST(new ProgressPublisher(form.publisher(), progress))
                .build();
        return http.send(request, false, json::readTree);
    }

    // ---- plumbing ----------------------------------------------------------------------------------------------

    private static String jobPath(UUID jobId, String action) {
        return "/training-jobs/" + jobId + "/" + action;
    }

    private HttpRequest.Builder request(String path, String accept) {
        return request(path, accept, apiKey);
    }

    private HttpRequest.Builder request(String path, String accept, String credential) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl + path)).timeout(timeout)
                .header("Accept", accept);
        if (credential != null && !credential.isBlank()) {
            request.header("Authorization", "Bearer " + credential);
        }
        return request;
    }

    private <T> Optional<T> find(String path, Class<T> type) {
        try {
            return Optional.of(get(path, json.constructType(type)));
        } catch (RegistryNotFoundException e) {
            return Optional.empty();
        }
    }

    private <T> Page<T> page(String path, Class<T> itemType) {
        return get(path, json.getTypeFactory().constructParametricType(Page.class, itemType));
    }

    private static <T> List<T> all(BiFunction<Integer, Integer, Page<T>> pages) {
        List<T> all = new ArrayList<>();
        for (int page = 0; ; page++) {
            Page<T> p = pages.apply(page, PAGE_SIZE);
            List<T> items = p.items() == null ? List.of() : p.items();
            all.addAll(items);
            if (items.size() < PAGE_SIZE || all.size() >= p.total()) {
                return all;
            }
        }
    }

    private <T> T get(String path, JavaType type) {
        HttpRequest request = request(path, JSON).GET().build();
        return http.send(request, true, body -> json.readValue(body, type));
    }

    private <T> T postJson(String path, Object body, boolean idempotent, Class<T> answer) {
        HttpRequest request = request(path, JSON)
                .header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofString(write(body), StandardCharsets.UTF_8))
                .build();
        return http.send(request, idempotent, in -> answer == Void.class ? null : json.readValue(in, answer));
    }

    private String download(String path, StoredFile file, Path target) {
        // The file endpoints produce the bytes, or problem+json when they fail.
        HttpRequest request = request(path, "application/json, application/octet-stream").GET().build();
        return http.send(request, true, body -> VerifiedCopy.copy(body, target, file.name(), file.sha256()));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    private static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Settings of a client: {@code setX} for the required, {@code optX} for the optional ones. */
    public static final class Builder {
        private String url;
        private Duration timeout = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private RetryPolicy retry = RetryPolicy.defaults();
        private String apiKey;

        private Builder() {
        }

        /** The API key sent as {@code Authorization: Bearer} on every call (the service account's). */
        public Builder optApiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** The registry, {@code http://host:port} or its REST base {@code http://host:port/api/v1}. */
        public Builder setUrl(String url) {
            this.url = url;
            return this;
        }

        /** Timeout of one request (a download or an upload is one request). Default 30 s. */
        public Builder optTimeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Timeout of opening a connection. Default 10 s. */
        public Builder optConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** Retries of idempotent calls. Default {@link RetryPolicy#defaults()}. */
        public Builder optRetry(RetryPolicy retry) {
            this.retry = retry;
            return this;
        }

        public RegistryClient build() {
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("the registry url is required");
            }
            return new RegistryClient(this);
        }
    }
}
