package dev.adapterhub.registry.security;

import dev.adapterhub.registry.config.RegistryConfig;
import dev.adapterhub.registry.error.UnauthenticatedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;

/**
 * Turns an {@code Authorization} header into the caller. {@code Bearer ahk_…} is an API key (a service account's
 * from configuration, else a team key from the store); any other bearer token is a JWT. No header: anonymous,
 * which every API refuses with 401.
 */
@ApplicationScoped
public class Authenticator {

    /** The caller when security is disabled: a platform admin, so that a sandbox needs no keys. */
    static final Principal UNCHECKED = new Principal("unauthenticated", Principal.Kind.SERVICE, true, Map.of(),
            EnumSet.allOf(Scope.class), null, null);

    private final boolean enabled;
    private final ServiceAccounts serviceAccounts;
    private final JwtVerifier jwt;
    private final Instance<ApiKeyStore> keys;

    public Authenticator(RegistryConfig config, ServiceAccounts serviceAccounts, JwtVerifier jwt,
                         @Any Instance<ApiKeyStore> keys) {
        this.enabled = config.security().enabled();
        this.serviceAccounts = serviceAccounts;
        this.jwt = jwt;
        this.keys = keys;
    }

    public Principal authenticate(String authorization) {
        if (!enabled) {
            return UNCHECKED;
        }
        if (authorization == null || authorization.isBlank()) {
            return Principal.ANONYMOUS;
        }
        String[] parts = authorization.strip().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")) {
            throw new UnauthenticatedException("Use 'Authorization: Bearer <API key or token>'");
        }
        String token = parts[1];
        if (token.startsWith(ApiKeys.PREFIX)) {
            return serviceAccounts.find(token)
                    .or(() -> teamKey(token))
                    .orElseThrow(() -> new UnauthenticatedException("The API key is unknown, revoked or expired"));
        }
        return jwt.verify(token)
                .orElseThrow(() -> new UnauthenticatedException("The bearer token is not valid here"));
    }

    private Optional<Principal> teamKey(String token) {
        Optional<String> id = ApiKeys.id(token);
        if (id.isEmpty() || keys.isUnsatisfied()) {
            return Optional.empty();
        }
        ApiKeyStore store = keys.get();
        Optional<ApiKeyStore.StoredApiKey> found = store.find(id.get());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ApiKeyStore.StoredApiKey key = found.get();
        Instant now = Instant.now();
        if (!ApiKeys.sameHash(ApiKeys.hash(token), key.secretSha256()) || key.revokedAt() != null
                || (key.expiresAt() != null && !now.isBefore(key.expiresAt()))) {
            return Optional.empty();
        }
        store.touch(key, now);
        return Optional.of(new Principal("key:" + key.team() + "/" + key.name(), Principal.Kind.API_KEY, false,
                Map.of(key.team(), key.role()), key.scopes(), key.id(), key.adapters()));
    }
}
