package dev.adapterhub.registry.security;

import java.time.Instant;
import java.util.Optional;

/**
 * Where team API keys are kept; the team feature implements it, so that authentication (infrastructure) never
 * depends on a feature.
 */
public interface ApiKeyStore {

    /** The key with this id, revoked and expired ones included (the authenticator tells them apart). */
    Optional<StoredApiKey> find(String id);

    /**
     * Records that the key was used now. Implementations write at most about once a minute per key, and not at all
     * when the key as read says it was used within that minute, so that a busy key costs no write per call.
     */
    void touch(StoredApiKey key, Instant when);

    record StoredApiKey(String id, String team, String name, Role role, java.util.Set<Scope> scopes,
                        String secretSha256, Instant expiresAt, Instant revokedAt, Instant lastUsedAt,
                        java.util.List<String> adapters) {
    }
}
