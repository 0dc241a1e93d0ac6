package dev.adapterhub.registry.security;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every REST call before its resource runs (health, metrics and the OpenAPI document are not REST
 * resources and stay open). A bad credential is refused here with 401; what the caller may do is decided by
 * {@link Access}.
 */
public class AuthenticationFilter {

    private final Authenticator authenticator;
    private final CurrentPrincipal current;

    public AuthenticationFilter(Authenticator authenticator, CurrentPrincipal current) {
        this.authenticator = authenticator;
        this.current = current;
    }

    @ServerRequestFilter
    public void authenticate(ContainerRequestContext request) {
        current.set(authenticator.authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION)));
    }
}
