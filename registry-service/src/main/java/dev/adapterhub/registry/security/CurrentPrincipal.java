package dev.adapterhub.registry.security;

import jakarta.enterprise.context.RequestScoped;

/** The caller of the request being served; set once by {@link AuthenticationFilter}. */
@RequestScoped
public class CurrentPrincipal {

    private Principal principal = Principal.ANONYMOUS;

    public Principal get() {
        return principal;
    }

    void set(Principal principal) {
        this.principal = principal;
    }
}
