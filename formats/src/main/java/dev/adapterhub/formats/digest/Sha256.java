package dev.adapterhub.formats.digest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * SHA-256 as the platform writes it everywhere: 64 lower-case hex digits ({@code sha256sum}'s format). Blobs,
 * cache entries and downloads are all addressed and checked by this value.
 */
public final class Sha256 {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    private static final int BUFFER = 1 << 16;

    private Sha256() {
    }

    /** A fresh SHA-256 {@link MessageDigest}. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    /** Completes a digest from {@link #newDigest()} that a stream filled (e.g. a {@code DigestInputStream}). */
    public static String finish(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Reads {@code in} to its end (without closing it). */
    public static String hex(InputStream in) throws IOException {
        return copy(in, OutputStream.nullOutputStream());
    }

    public static String hex(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return hex(in);
        }
    }

    /** Copies {@code in} to {@code out} (neither is closed) and returns the SHA-256 of the bytes copied. */
    public static String copy(InputStream in, OutputStream out) throws IOException {
        MessageDigest digest = newDigest();
        DigestOutputStream hashing = new DigestOutputStream(out, digest);
        byte[] buffer = new byte[BUFFER];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            hashing.write(buffer, 0, n);
        }
        hashing.flush();
        return finish(digest);
    }

    /** Whether {@code value} is a SHA-256 in this format (lower-case hex, no {@code sha256:} prefix). */
    public static boolean isHex(String value) {
        return value != null && HEX.matcher(value).matches();
    }
}
