package dev.adapterhub.transfer.security;

import dev.adapterhub.registry.client.model.Caller;
import jakarta.enterprise.context.RequestScoped;

/** Who made the request being served, and the credential it made it with; set by {@link Authentication}. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;
    private String credential;

    public Caller caller() {
        return caller;
    }

    /** Passed on to the registry for what the caller reads or changes there, so the registry decides. */
    public String credential() {
        return credential;
    }

    void set(Caller caller, String credential) {
        this.caller = caller;
        this.credential = credential;
    }
}
