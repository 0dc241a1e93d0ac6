package dev.adapterhub.formats.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigestTest {

    /** {@code printf abc | sha256sum} */
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @TempDir
    Path dir;

    @Test
    void hexOfBytesStreamsAndFilesIsSha256sumsOutput() throws IOException {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        Path file = Files.write(dir.resolve("abc"), abc);
        assertEquals(ABC, Sha256.hex(abc));
        assertEquals(ABC, Sha256.hex(new ByteArrayInputStream(abc)));
        assertEquals(ABC, Sha256.hex(file));
        assertTrue(Sha256.isHex(ABC));
        assertFalse(Sha256.isHex("sha256:" + ABC));
        assertFalse(Sha256.isHex(ABC.toUpperCase()));
    }

    @Test
    void versionDigestHashesTheSha256sumManifestInFileNameOrder() {
        String manifest = "2222  adapter_config.json\n1111  adapter_model.safetensors\n";
        Map<String, String> files = Map.of("adapter_model.safetensors", "1111", "adapter_config.json", "2222");
        assertEquals(manifest, VersionDigest.manifest(files));
        assertEquals("sha256:" + Sha256.hex(manifest.getBytes(StandardCharsets.UTF_8)), VersionDigest.of(files));
    }

    @Test
    void verifiedCopyMovesOnlyMatchingBytesToTheTarget() throws IOException {
        Path target = dir.resolve("sub").resolve("file.bin");
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        assertEquals(ABC, VerifiedCopy.copy(new ByteArrayInputStream(abc), target, "file.bin", ABC));
        assertEquals("abc", Files.readString(target));

        byte[] other = "abd".getBytes(StandardCharsets.US_ASCII);
        DigestMismatchException e = assertThrows(DigestMismatchException.class,
                () -> VerifiedCopy.copy(new ByteArrayInputStream(other), target, "file.bin", ABC));
        assertEquals(ABC, e.expected());
        assertEquals(Sha256.hex(other), e.actual());
        assertEquals("abc", Files.readString(target), "a mismatch leaves the old target alone");
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }

        assertEquals(Sha256.hex(other), VerifiedCopy.copy(new ByteArrayInputStream(other), target, "file.bin", null));
        assertEquals("abd", Files.readString(target));
    }
}
