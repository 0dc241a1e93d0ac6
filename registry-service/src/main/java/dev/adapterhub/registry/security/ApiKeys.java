package dev.adapterhub.registry.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API key format, {@code ahk_<id>_<secret>}: a public id to find the key by and 256 random bits of secret.
 * Only the SHA-256 of the whole key is stored; a slow hash would add nothing to a secret of full entropy.
 */
public final class ApiKeys {

    public static final String PREFIX = "ahk_";
    private static final Pattern FORMAT = Pattern.compile("ahk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private ApiKeys() {
    }

    /** A new key; show it once, store {@link #hash} of it. */
    public static Generated generate() {
        char[] id = new char[12];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_ALPHABET[RANDOM.nextInt(ID_ALPHABET.length)];
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String keyId = new String(id);
        return new Generated(keyId, PREFIX + keyId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    public record Generated(String id, String key) {
    }

    /** The id of a well-formed key. */
    public static Optional<String> id(String key) {
        Matcher matcher = FORMAT.matcher(key);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** Compares two hex hashes in time independent of where they differ. */
    public static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
