package dev.adapterhub.gateway.admin;

import dev.adapterhub.gateway.config.GatewayConfig;
import dev.adapterhub.gateway.error.ApiError;
import dev.adapterhub.gateway.error.ApiException;
import dev.adapterhub.gateway.error.ErrorBody;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Guards {@code /admin/*}: without {@code adapterhub.gateway.admin.token} configured the admin API does not exist
 * (404); with it, every call needs {@code Authorization: Bearer <token>} (401 otherwise). Reaching the inference
 * port is never enough to manage adapters.
 */
public class AdminGuard {

    private final Optional<byte[]> token;

    public AdminGuard(GatewayConfig config) {
        this.token = config.admin().token().filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> guard(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.equals("/admin") && !path.startsWith("/admin/")) {
            return Optional.empty();
        }
        if (token.isEmpty()) {
            return Optional.of(error(new ApiException(ApiError.NOT_FOUND,
                    "The admin API is disabled (set adapterhub.gateway.admin.token to enable it)")));
        }
        String auth = request.getHeaderString("Authorization");
        byte[] given = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                ? auth.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(given, token.get())) {
            return Optional.of(Response.fromResponse(error(new ApiException(ApiError.UNAUTHORIZED,
                    "A valid admin bearer token is required"))).header("WWW-Authenticate", "Bearer").build());
        }
        return Optional.empty();
    }

    private static Response error(ApiException e) {
        return Response.status(e.error().status()).type(MediaType.APPLICATION_JSON).entity(ErrorBody.of(e)).build();
    }
}
