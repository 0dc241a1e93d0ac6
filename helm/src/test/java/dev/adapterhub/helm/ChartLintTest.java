package dev.adapterhub.helm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code helm lint --strict} on the chart as shipped, and what a user sees installing it without values.
 */
class ChartLintTest {

    @TempDir
    Path tmp;

    @Test
    void lintPassesStrict() {
        // Helm lints in "lint mode", where `fail` only logs, so the default values (which cannot install) still lint.
        LintResult result = new Helm(ChartRenderer.chartDir()).lint().strict().call();

        String messages = String.join("\n", result.getMessages());
        assertFalse(result.isFailed(), messages);
        assertTrue(result.getMessages().stream().noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")),
                messages);
    }

    @Test
    void renderingTheDefaultValuesNamesEveryRequiredValue() {
        String message = assertThrows(IllegalStateException.class,
                () -> ChartRenderer.templateText(Map.of(), tmp)).getMessage();

        assertTrue(message.contains("externalDatabase.jdbcUrl"), message);
        assertTrue(message.contains("externalKafka.bootstrapServers"), message);
        assertTrue(message.contains("externalS3.endpoint"), message);
        assertTrue(message.contains("auth.existingSecret"), message);
    }
}
