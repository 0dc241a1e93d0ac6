package dev.adapterhub.testsupport.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReferenceTest {

    @ConfigMapping(prefix = "demo")
    interface DemoConfig {
        @WithDefault("PT5S")
        Duration pollInterval();

        Optional<List<String>> servedModels();

        Storage storage();

        interface Storage {
            @WithName("url")
            @WithDefault("http://localhost:9000")
            String endpoint();

            String secretKey();
        }
    }

    @TempDir
    Path tmp;

    @Test
    void keysAreKebabCaseUnderThePrefixWithTheirDefaults() {
        assertEquals(Map.of("demo.poll-interval", "PT5S", "demo.served-models", "(none)",
                "demo.storage.url", "http://localhost:9000", "demo.storage.secret-key", "(none)"),
                ConfigReference.keys(DemoConfig.class));
    }

    @Test
    void aMatchingTablePasses() throws Exception {
        Path readme = readme("| `demo.poll-interval` | `PT5S` | period |",
                "| `demo.served-models` | (none) | all |",
                "| `demo.storage.url` | `http://localhost:9000` | S3 |",
                "| `demo.storage.secret-key` | (none) | required |");
        assertDoesNotThrow(() -> ConfigReference.assertDocumented(readme, DemoConfig.class));
    }

    @Test
    void aWrongDefaultAMissingKeyAndAStaleKeyAreEachReported() throws Exception {
        Path readme = readme("| `demo.poll-interval` | `5s` | period |",
                "| `demo.served-models` | (none) | all |",
                "| `demo.storage.endpoint` | `http://localhost:9000` | S3 |",
                "| `demo.storage.secret-key` | (none) | required |");
        AssertionError error = assertThrows(AssertionError.class,
                () -> ConfigReference.assertDocumented(readme, DemoConfig.class));
        assertTrue(error.getMessage().contains("demo.poll-interval: README says 5s, the code says PT5S"),
                error.getMessage());
        assertTrue(error.getMessage().contains("missing from the README: demo.storage.url"), error.getMessage());
        assertTrue(error.getMessage().contains("in the README but not in the code: demo.storage.endpoint"),
                error.getMessage());
    }

    private Path readme(String... rows) throws Exception {
        StringBuilder text = new StringBuilder("# Demo\n\n" + ReadmeConfigTable.MARKER + "\n| Key | Default | Meaning |\n"
                + "|---|---|---|\n");
        for (String row : rows) {
            text.append(row).append('\n');
        }
        text.append("\nMore text.\n");
        return Files.writeString(tmp.resolve("README.md"), text);
    }
}
