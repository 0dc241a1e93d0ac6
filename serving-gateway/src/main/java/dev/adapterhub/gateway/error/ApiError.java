package dev.adapterhub.gateway.error;

/**
 * Every error the gateway answers, with its HTTP status, OpenAI error {@code type} and stable {@code code}. The
 * one table of domain failures to HTTP: callers throw {@link ApiException} with one of these.
 */
public enum ApiError {
    INVALID_REQUEST(400, "invalid_request_error", "invalid_request"),
    INVALID_PARAMETER(400, "invalid_request_error", "invalid_parameter"),
    UNSUPPORTED_PARAMETER(400, "invalid_request_error", "unsupported_parameter"),
    UNAUTHORIZED(401, "invalid_request_error", "invalid_api_key"),
    FORBIDDEN(403, "invalid_request_error", "permission_denied"),
    MODEL_NOT_FOUND(404, "invalid_request_error", "model_not_found"),
    NOT_FOUND(404, "invalid_request_error", "not_found"),
    BASE_MODEL_NOT_SERVED(422, "invalid_request_error", "base_model_not_served"),
    ADAPTER_INCOMPATIBLE(422, "invalid_request_error", "adapter_incompatible"),
    ADAPTER_IN_USE(409, "invalid_request_error", "adapter_in_use"),
    OVERLOADED(503, "server_error", "overloaded"),
    CACHE_FULL(503, "server_error", "adapter_cache_full"),
    ADAPTER_LOAD_FAILED(503, "server_error", "adapter_load_failed"),
    REGISTRY_UNAVAILABLE(503, "server_error", "registry_unavailable"),
    TIMEOUT(504, "server_error", "timeout"),
    INTERNAL(500, "server_error", "internal_error");

    private final int status;
    private final String type;
    private final String code;

    ApiError(int status, String type, String code) {
        this.status = status;
        this.type = type;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    /** True for the 503 answers that carry a Retry-After header. */
    public boolean retryable() {
        return status == 503;
    }
}
