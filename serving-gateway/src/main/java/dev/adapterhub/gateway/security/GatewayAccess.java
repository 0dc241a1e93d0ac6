package dev.adapterhub.gateway.security;

import dev.adapterhub.gateway.config.GatewayConfig;
import dev.adapterhub.gateway.error.ApiError;
import dev.adapterhub.gateway.error.ApiException;
import dev.adapterhub.gateway.resolve.ServedModel;
import dev.adapterhub.registry.client.CallerVerifier;
import dev.adapterhub.registry.client.RegistryClient;
import dev.adapterhub.registry.client.model.Adapter;
import dev.adapterhub.registry.client.model.Caller;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who may use the gateway (ADR 12): every call carries a registry credential, verified with the registry and
 * remembered briefly. Inference needs the {@code inference} scope (every team role has it); an adapter may be used
 * by its own team, by everyone when it is INTERNAL, and by the platform admin, and a key limited to some adapters
 * only those. Any other adapter answers 404 as if it did not exist. The admin API is the platform admin's.
 */
@ApplicationScoped
public class GatewayAccess {

    private final CallerVerifier verifier;

    public GatewayAccess(RegistryClient registry, GatewayConfig config) {
        this.verifier = new CallerVerifier(registry, config.callerCacheTtl());
    }

    /** The caller an {@code Authorization} header names; 401 otherwise. */
    public Caller authenticate(String authorization) {
        String credential = CallerVerifier.bearer(authorization);
        if (credential == null) {
            throw new ApiException(ApiError.UNAUTHORIZED, "Send your API key as 'Authorization: Bearer <key>'");
        }
        return verifier.verify(credential).orElseThrow(() -> new ApiException(ApiError.UNAUTHORIZED,
                "The API key or token is unknown, revoked or expired"));
    }

    public void requireInference(Caller caller) {
        if (!caller.platformAdmin() && !caller.has("inference")) {
            throw new ApiException(ApiError.FORBIDDEN, "This key may not call models (it lacks the inference scope)");
        }
    }

    public void requirePlatformAdmin(Caller caller) {
        if (!caller.platformAdmin()) {
            throw new ApiException(ApiError.FORBIDDEN, "The admin API is for the platform admin");
        }
    }

    /** 404 unless the caller may use the model; {@code name} is what the request called it. */
    public void requireModel(Caller caller, ServedModel model, String name) {
        if (model.isAdapter() && !mayUse(caller, model.adapterName(), model.team(), model.internal())) {
            throw new ApiException(ApiError.MODEL_NOT_FOUND, "The model '" + name + "' does not exist: name a base "
                    + "model or an adapter as name, name@alias or name@version (see GET /v1/models)", "model");
        }
    }

    public boolean mayUse(Caller caller, Adapter adapter) {
        return mayUse(caller, adapter.name(), adapter.team(), adapter.internal());
    }

    /** Its team's or INTERNAL, and named by the key when the key is limited to some adapters. */
    private static boolean mayUse(Caller caller, String name, String team, boolean internal) {
        if (!caller.namesAdapter(name)) {
            return false;
        }
        return caller.platformAdmin() || internal || (team != null && caller.teams() != null
                && caller.teams().containsKey(team));
    }
}
