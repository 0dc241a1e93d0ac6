package dev.adapterhub.transfer.api;

import dev.adapterhub.registry.client.RegistryRejectedException;
import dev.adapterhub.registry.client.RegistryUnavailableException;
import dev.adapterhub.transfer.plan.NotFoundException;
import dev.adapterhub.transfer.security.ForbiddenException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place errors become HTTP answers: what the registry refused is passed on with its status and detail
 * (the registry is the authority on transfers), bad input here is 400, an unreachable registry 503.
 */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response rejected(RegistryRejectedException e) {
        String detail = e.problem() != null && e.problem().detail() != null ? e.problem().detail() : e.getMessage();
        String type = e.problem() != null && e.problem().type() != null ? e.problem().type()
                : "urn:adapterhub:problem:rejected";
        return problem(e.status(), type, e.problem() != null ? e.problem().title() : "Rejected", detail);
    }

    @ServerExceptionMapper
    public Response unavailable(RegistryUnavailableException e) {
        return problem(503, "urn:adapterhub:problem:registry-unavailable", "Registry unavailable", e.getMessage());
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return problem(403, "urn:adapterhub:problem:forbidden", "Not allowed", e.getMessage());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return problem(404, "urn:adapterhub:problem:not-found", "Not found", e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalid(IllegalArgumentException e) {
        return problem(400, "urn:adapterhub:problem:invalid-request", "Invalid request", e.getMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return problem(status, "urn:adapterhub:problem:http-" + status,
                Response.Status.fromStatusCode(status) == null ? "Error"
                        : Response.Status.fromStatusCode(status).getReasonPhrase(), e.getMessage());
    }

    private static Response problem(int status, String type, String title, String detail) {
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(new Problem(type, title, status, detail))
                .build();
    }
}
