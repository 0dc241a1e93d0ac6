package dev.adapterhub.registry.client;

import dev.adapterhub.registry.client.model.Caller;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies the credentials of a service's own callers with the registry ({@code GET /whoami}), remembering each
 * answer for a short time so that a busy gateway does not ask on every request. Credentials are remembered by
 * their SHA-256, never in clear; a revoked key stops working within {@code ttl}.
 */
public final class CallerVerifier {

    /** Bound on remembered credentials; past it the memory starts over (a flood of bad keys cannot grow it). */
    static final int MAX_ENTRIES = 10_000;

    private record Remembered(Optional<Caller> caller, Instant until) {
    }

    private final RegistryClient registry;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    public CallerVerifier(RegistryClient registry, Duration ttl) {
        this(registry, ttl, Clock.systemUTC());
    }

    CallerVerifier(RegistryClient registry, Duration ttl, Clock clock) {
        this.registry = registry;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The caller a credential stands for; empty when the registry refuses it. */
    public Optional<Caller> verify(String credential) {
        if (credential == null || credential.isBlank()) {
            return Optional.empty();
        }
        String key = sha256(credential);
        Instant now = clock.instant();
        Remembered known = remembered.get(key);
        if (known != null && now.isBefore(known.until())) {
            return known.caller();
        }
        Optional<Caller> caller = registry.whoami(credential);
        if (remembered.size() >= MAX_ENTRIES) {
            remembered.clear();
        }
        remembered.put(key, new Remembered(caller, now.plus(ttl)));
        return caller;
    }

    /** The credential of an {@code Authorization: Bearer <credential>} header; null for anything else. */
    public static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String credential = authorization.substring(7).strip();
        return credential.isEmpty() ? null : credential;
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
