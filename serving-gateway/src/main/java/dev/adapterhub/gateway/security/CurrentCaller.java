package dev.adapterhub.gateway.security;

import dev.adapterhub.registry.client.model.Caller;
import jakarta.enterprise.context.RequestScoped;

/** The caller of a REST request ({@code /v1/models}, {@code /admin/v1/*}); set by {@link RestAuthentication}. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;

    public Caller get() {
        return caller;
    }

    void set(Caller caller) {
        this.caller = caller;
    }
}
