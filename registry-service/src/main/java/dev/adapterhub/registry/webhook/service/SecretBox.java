package dev.adapterhub.registry.webhook.service;

import dev.adapterhub.registry.error.NotConfiguredException;
import dev.adapterhub.registry.webhook.config.WebhooksConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts webhook signing secrets at rest with AES-256-GCM. A ciphertext reads {@code v1:<key id>:<base64 of
 * iv + ciphertext>}, the key id being the first 8 hex digits of the key's SHA-256, so any configured key decrypts
 * what it encrypted and the first key encrypts: rotating the key is putting a new one first.
 */
@ApplicationScoped
public class SecretBox {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();

    public SecretBox(WebhooksConfig config) {
        for (String encoded : config.encryptionKeys().orElse(List.of())) {
            if (encoded.isBlank()) {
                continue;
            }
            byte[] key = Base64.getDecoder().decode(encoded.strip());
            if (key.length != 32) {
                throw new IllegalArgumentException("adapterhub.webhooks.encryption-keys: each key is base64 of 32 bytes");
            }
            keys.put(keyId(key), new SecretKeySpec(key, "AES"));
        }
    }

    public boolean configured() {
        return !keys.isEmpty();
    }

    public String seal(String plaintext) {
        if (keys.isEmpty()) {
            throw new NotConfiguredException("Webhook secrets cannot be stored: no "
                    + "adapterhub.webhooks.encryption-keys is configured");
        }
        Map.Entry<String, SecretKeySpec> key = keys.entrySet().iterator().next();
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.getValue(), new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return "v1:" + key.getKey() + ":" + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JVM", e);
        }
    }

    public String open(String ciphertext) {
        String[] parts = ciphertext.split(":", 3);
        SecretKeySpec key = parts.length == 3 ? keys.get(parts[1]) : null;
        if (key == null) {
            throw new NotConfiguredException("A webhook secret was encrypted with a key that is no longer in "
                    + "adapterhub.webhooks.encryption-keys");
        }
        byte[] sealed = Base64.getDecoder().decode(parts[2]);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
            return new String(cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("A webhook secret does not decrypt (tampered or wrong key)", e);
        }
    }

    private static String keyId(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key)).substring(0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
