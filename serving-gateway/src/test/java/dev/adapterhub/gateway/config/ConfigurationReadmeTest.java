package dev.adapterhub.gateway.config;

import dev.adapterhub.testsupport.config.ConfigReference;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration table is the documentation users read; it must say what the code does. */
class ConfigurationReadmeTest {

    @Test
    void readmeListsEveryConfigKeyWithItsDefault() {
        ConfigReference.assertDocumented(Path.of("README.md"), GatewayConfig.class);
    }
}
