package dev.adapterhub.gateway.error;

import dev.adapterhub.gateway.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The JAX-RS side of the error table: models and admin endpoints answer OpenAI-style error bodies. */
public class ApiExceptionMapper {

    private static final Logger LOG = Logger.getLogger(ApiExceptionMapper.class);

    @Inject
    GatewayConfig config;

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return toResponse(e, config.retryAfterSeconds());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        ApiError error = switch (status) {
            case 404 -> ApiError.NOT_FOUND;
            case 401, 403 -> ApiError.UNAUTHORIZED;
            default -> status >= 500 ? ApiError.INTERNAL : ApiError.INVALID_REQUEST;
        };
        String message = status == 404 ? "Not found" : status >= 500 ? "Internal error" : "Invalid request";
        ApiException mapped = new ApiException(error, message);
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(ErrorBody.of(mapped)).build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("Unexpected failure", e);
        return toResponse(new ApiException(ApiError.INTERNAL, "Internal error"), config.retryAfterSeconds());
    }

    public static Response toResponse(ApiException e, int retryAfterSeconds) {
        Response.ResponseBuilder b = Response.status(e.error().status()).type(MediaType.APPLICATION_JSON)
                .entity(ErrorBody.of(e));
        if (e.error().retryable()) {
            b.header("Retry-After", retryAfterSeconds);
        }
        return b.build();
    }
}
