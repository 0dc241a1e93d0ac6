package dev.adapterhub.formats.peft;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetModulesTest {

    @Test
    void aRegexMatchesWholeModulePaths() {
        TargetModules targets = TargetModules.regex(".*\\.(q_proj|v_proj)");
        assertTrue(targets.matches("model.layers.0.self_attn.q_proj"));
        assertFalse(targets.matches("model.layers.0.self_attn.k_proj"));
    }

    @Test
    void aBacktrackingRegexIsRefusedInsteadOfHangingTheThread() {
        TargetModules targets = TargetModules.regex("(.*a){12}b");
        String path = "a".repeat(28) + "!";
        InvalidAdapterException refused = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(InvalidAdapterException.class, () -> targets.matches(path)));
        assertTrue(refused.getMessage().contains("too expensive"), refused.getMessage());
    }

    @Test
    void anOverlongOrMalformedRegexIsRefused() {
        assertThrows(InvalidAdapterException.class, () -> TargetModules.regex("a".repeat(1025)));
        assertThrows(InvalidAdapterException.class, () -> TargetModules.regex("all-lin[ar"));
    }
}
