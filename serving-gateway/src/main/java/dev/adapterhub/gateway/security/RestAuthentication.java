package dev.adapterhub.gateway.security;

import dev.adapterhub.gateway.config.GatewayConfig;
import dev.adapterhub.gateway.error.ApiError;
import dev.adapterhub.gateway.error.ApiException;
import dev.adapterhub.gateway.error.ErrorBody;
import dev.adapterhub.registry.client.model.Caller;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;

/**
 * Authenticates the REST endpoints ({@code /v1/models}: inference callers; {@code /admin/*}: the platform admin).
 * The completions endpoints are Vert.x routes and authenticate in {@code CompletionRoutes}.
 */
public class RestAuthentication {

    private final GatewayAccess access;
    private final CurrentCaller current;
    private final boolean adminEnabled;

    public RestAuthentication(GatewayAccess access, CurrentCaller current, GatewayConfig config) {
        this.access = access;
        this.current = current;
        this.adminEnabled = config.admin().enabled();
    }

    @ServerRequestFilter
    public Optional<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        boolean admin = path.equals("/admin") || path.startsWith("/admin/");
        try {
            if (admin && !adminEnabled) {
                throw new ApiException(ApiError.NOT_FOUND,
                        "The admin API is disabled (adapterhub.gateway.admin.enabled=false)");
            }
            Caller caller = access.authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION));
            if (admin) {
                access.requirePlatformAdmin(caller);
            } else {
                access.requireInference(caller);
            }
            current.set(caller);
            return Optional.empty();
        } catch (ApiException e) {
            Response.ResponseBuilder response = Response.status(e.error().status()).type(MediaType.APPLICATION_JSON)
                    .entity(ErrorBody.of(e));
            if (e.error() == ApiError.UNAUTHORIZED) {
                response.header("WWW-Authenticate", "Bearer realm=\"adapterhub\"");
            }
            return Optional.of(response.build());
        }
    }
}
