package dev.adapterhub.registry.error;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** Turns every exception that reaches the REST layer into problem details. */
public class ProblemExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMappers.class);

    private final ProblemResponses problems;

    public ProblemExceptionMappers(ProblemResponses problems) {
        this.problems = problems;
    }

    @ServerExceptionMapper
    public Response registry(RegistryException e, HttpServerRequest request) {
        ProblemType type = ProblemStatusMap.lookup(e);
        if (type.status() >= 500) {
            LOG.errorf(e, "Request %s %s failed", request.method(), request.path());
        }
        List<String> violations = e instanceof ArtifactValidationException v ? v.violations()
                : e instanceof InvalidFieldsException f ? f.violations() : List.of();
        return problems.response(type, e.getMessage(), request.path(), violations);
    }

    @ServerExceptionMapper
    public Response framework(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (status == 400 && cause instanceof JsonProcessingException json) {
                // The JSON reader wraps parse errors; report them like the ones that reach us unwrapped.
                return malformedJson(json, request);
            }
        }
        ProblemType type = ProblemResponses.forHttpStatus(status);
        String detail = switch (status) {
            case 404 -> "No resource at " + request.path();
            case 405 -> "Method " + request.method() + " is not allowed on " + request.path();
            case 406 -> "None of the accepted media types can be produced";
            case 415 -> "Content type '" + request.getHeader("Content-Type") + "' is not supported here";
            case 413 -> "The request body exceeds the configured limit";
            case 400 -> "The request body or its parameters could not be read";
            default -> status >= 500 ? "Unexpected server error" : "The request could not be processed";
        };
        if (status >= 500) {
            LOG.errorf(e, "Request %s %s failed", request.method(), request.path());
        }
        return problems.response(type, detail, request.path(), List.of());
    }

    // The JSON body mappers below are declared per Jackson type because the framework ships its own mapper for
    // MismatchedInputException (answering plain JSON with internal class names); the most specific type wins.

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, HttpServerRequest request) {
        return malformedJson(e, request);
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e, HttpServerRequest request) {
        return malformedJson(e, request);
    }

    @ServerExceptionMapper
    public Response unparsableJson(JsonParseException e, HttpServerRequest request) {
        return malformedJson(e, request);
    }

    @ServerExceptionMapper
    public Response unknownFields(UnknownFieldsException e, HttpServerRequest request) {
        // The path ends at the object holding the unknown fields (Jackson prepended the enclosing fields).
        String prefix = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        List<String> violations = e.fields().stream()
                .map(field -> (prefix.isEmpty() ? "" : prefix + ".") + Messages.abbreviate(field) + ": unknown field")
                .toList();
        return registry(new InvalidFieldsException("The request names unknown fields", violations), request);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e, HttpServerRequest request) {
        if (e instanceof UnknownFieldsException unknown) {
            return unknownFields(unknown, request);
        }
        String detail;
        if (e instanceof StreamReadException && String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field")) {
            detail = Messages.abbreviate(e.getOriginalMessage()) + ": every key may appear once per object";
        } else if (e instanceof JsonParseException && e.getLocation() != null) {
            detail = "Malformed JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
        } else if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String field = m.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            detail = "Invalid or unexpected value for field '" + field + "'";
        } else {
            detail = "Malformed JSON body";
        }
        return problems.response(ProblemResponses.forHttpStatus(400), detail, request.path(), List.of());
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.hibernate.exception.ConstraintViolationException) {
                // Two requests raced past the service's own uniqueness check; the database kept one of them.
                return registry(new ConflictException("A concurrent request changed the same resource; retry"),
                        request);
            }
        }
        if (DatabaseUnavailableException.causedBy(e)) {
            return registry(new DatabaseUnavailableException("The database is unavailable; retry shortly", e),
                    request);
        }
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected error %s on %s %s", reference, request.method(), request.path());
        return problems.response(ProblemStatusMap.INTERNAL, "Unexpected error; reference " + reference,
                request.path(), List.of());
    }
}
