package dev.adapterhub.gateway.error;

/** A failure that becomes an OpenAI-style error body; the message is shown to the client, so no internals. */
public class ApiException extends RuntimeException {

    private final ApiError error;
    private final String param;

    public ApiException(ApiError error, String message) {
        this(error, message, null);
    }

    public ApiException(ApiError error, String message, String param) {
        super(message);
        this.error = error;
        this.param = param;
    }

    public ApiError error() {
        return error;
    }

    /** The request field at fault, or null. */
    public String param() {
        return param;
    }

    public static ApiException badParam(String param, String message) {
        return new ApiException(ApiError.INVALID_PARAMETER, message, param);
    }
}
