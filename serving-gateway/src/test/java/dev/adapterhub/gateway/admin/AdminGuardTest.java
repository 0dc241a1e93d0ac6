package dev.adapterhub.gateway.admin;

import dev.adapterhub.gateway.config.GatewayConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guard's decisions; the end-to-end 401/200 cases run in ErrorsAndAdminIT. */
class AdminGuardTest {

    private static GatewayConfig token(String token) {
        GatewayConfig.Admin admin = () -> Optional.ofNullable(token);
        return (GatewayConfig) Proxy.newProxyInstance(GatewayConfig.class.getClassLoader(),
                new Class<?>[] {GatewayConfig.class}, (p, m, a) -> {
                    if (m.getName().equals("admin")) {
                        return admin;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    private static ContainerRequestContext request(String path, String authorization) {
        UriInfo uri = (UriInfo) Proxy.newProxyInstance(UriInfo.class.getClassLoader(), new Class<?>[] {UriInfo.class},
                (p, m, a) -> m.getName().equals("getPath") ? path : null);
        return (ContainerRequestContext) Proxy.newProxyInstance(ContainerRequestContext.class.getClassLoader(),
                new Class<?>[] {ContainerRequestContext.class}, (p, m, a) -> switch (m.getName()) {
                    case "getUriInfo" -> uri;
                    case "getHeaderString" -> "Authorization".equals(a[0]) ? authorization : null;
                    default -> null;
                });
    }

    @Test
    void withoutAConfiguredTokenTheAdminApiDoesNotExist() {
        AdminGuard guard = new AdminGuard(token(null));
        Optional<Response> r = guard.guard(request("/admin/v1/cache", "Bearer anything"));
        assertEquals(404, r.orElseThrow().getStatus());
        assertEquals(404, new AdminGuard(token("  ")).guard(request("/admin/v1/cache", "Bearer   ")).orElseThrow()
                .getStatus());
        assertTrue(guard.guard(request("/v1/completions", null)).isEmpty());
    }

    @Test
    void withATokenOnlyTheExactBearerPasses() {
        AdminGuard guard = new AdminGuard(token("s3cret"));
        assertEquals(401, guard.guard(request("/admin/v1/cache", null)).orElseThrow().getStatus());
        assertEquals(401, guard.guard(request("/admin/v1/cache", "Bearer s3cre")).orElseThrow().getStatus());
        assertEquals(401, guard.guard(request("/admin/v1/cache", "Basic s3cret")).orElseThrow().getStatus());
        assertTrue(guard.guard(request("/admin/v1/cache", "Bearer s3cret")).isEmpty());
        assertTrue(guard.guard(request("/admin/v1/adapters/x/pin", "bearer s3cret")).isEmpty());
        assertTrue(guard.guard(request("/administrator", null)).isEmpty());
    }
}
