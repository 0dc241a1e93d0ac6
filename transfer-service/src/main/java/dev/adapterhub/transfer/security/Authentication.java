package dev.adapterhub.transfer.security;

import dev.adapterhub.registry.client.CallerVerifier;
import dev.adapterhub.registry.client.model.Caller;
import dev.adapterhub.transfer.api.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;

/**
 * Every call of the transfer API carries a registry credential (an API key or a JWT), verified with the registry:
 * the registry is the one place that knows teams and roles (ADR 12). Health and the API description stay open.
 */
public class Authentication {

    private final CallerVerifier verifier;
    private final CurrentCaller current;

    public Authentication(CallerVerifier verifier, CurrentCaller current) {
        this.verifier = verifier;
        this.current = current;
    }

    @ServerRequestFilter
    public Optional<Response> authenticate(ContainerRequestContext request) {
        String credential = CallerVerifier.bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        Optional<Caller> caller = credential == null ? Optional.empty() : verifier.verify(credential);
        if (caller.isEmpty()) {
            return Optional.of(Response.status(401).type(Problem.MEDIA_TYPE)
                    .header("WWW-Authenticate", "Bearer realm=\"adapterhub\"")
                    .entity(new Problem("urn:adapterhub:problem:unauthenticated", "Authentication required", 401,
                            credential == null ? "This API needs 'Authorization: Bearer <API key or token>'"
                                    : "The API key or token is unknown, revoked or expired"))
                    .build());
        }
        current.set(caller.get(), credential);
        return Optional.empty();
    }
}
