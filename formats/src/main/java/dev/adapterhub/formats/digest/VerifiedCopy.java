package dev.adapterhub.formats.digest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The digest-verified download: a stream is written to a temporary file next to its target while it is hashed,
 * and only bytes with the expected SHA-256 are moved (atomically) to the target. A reader of the target therefore
 * never sees a partial or corrupted file.
 */
public final class VerifiedCopy {

    private VerifiedCopy() {
    }

    /**
     * Copies {@code in} (not closed) to {@code target}, replacing it.
     *
     * @param what           names the bytes in the mismatch message, e.g. the file name
     * @param expectedSha256 lower-case hex; null when nothing was recorded (the bytes are then only hashed)
     * @return the SHA-256 of the bytes now at {@code target}
     * @throws DigestMismatchException when the bytes differ from {@code expectedSha256}; nothing is left behind
     */
    public static String copy(InputStream in, Path target, String what, String expectedSha256) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + "-", ".part");
        try {
            String actual;
            try (OutputStream out = Files.newOutputStream(tmp)) {
                actual = Sha256.copy(in, out);
            }
            if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(actual)) {
                throw new DigestMismatchException(what, expectedSha256, actual);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return actual;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
