package dev.adapterhub.registry.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * Builds {@code application/problem+json} bodies. Serialises to a string here so the media type never depends on
 * which message body writer a framework picks for {@code +json} types.
 */
@ApplicationScoped
public class ProblemResponses {

    private final ObjectMapper objectMapper;

    public ProblemResponses(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    /** What a 503 asks clients to wait: about how long a database or object-store restart takes. */
    static final String RETRY_AFTER_SECONDS = "5";

    public Response response(ProblemType type, String detail, String instance, List<String> violations) {
        Response.ResponseBuilder response = Response.status(type.status())
                .type(Problem.MEDIA_TYPE)
                .entity(json(type, detail, instance, violations));
        if (type.status() == 401) {
            // RFC 9110: a 401 names the scheme the client should use.
            response.header("WWW-Authenticate", "Bearer realm=\"adapterhub\"");
        }
        if (type.status() == 503) {
            // a backend is down or restarting: say when to try again rather than leave clients to guess
            response.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        return response.build();
    }

    public String json(ProblemType type, String detail, String instance, List<String> violations) {
        Problem problem = new Problem(type.typeUri(), type.title(), type.status(), detail, instance,
                violations == null || violations.isEmpty() ? null : violations);
        try {
            return objectMapper.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            // A record of strings always serialises; this only guards against a broken ObjectMapper.
            return "{\"type\":\"" + type.typeUri() + "\",\"status\":" + type.status() + "}";
        }
    }

    /** Problem type for a plain HTTP status raised by the framework (404 unknown path, 405, 415, 413, ...). */
    public static ProblemType forHttpStatus(int status) {
        return switch (status) {
            case 400 -> new ProblemType(400, "bad-request", "Bad request");
            case 404 -> new ProblemType(404, "not-found", "Resource not found");
            case 405 -> new ProblemType(405, "method-not-allowed", "Method not allowed");
            case 406 -> new ProblemType(406, "not-acceptable", "Not acceptable");
            case 413 -> new ProblemType(413, "payload-too-large", "Request body too large");
            case 415 -> new ProblemType(415, "unsupported-media-type", "Unsupported media type");
            default -> {
                Response.Status known = Response.Status.fromStatusCode(status);
                String title = known != null ? known.getReasonPhrase() : "HTTP " + status;
                yield new ProblemType(status, "http-" + status, title);
            }
        };
    }
}
