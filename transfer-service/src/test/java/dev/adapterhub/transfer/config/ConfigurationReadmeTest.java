package dev.adapterhub.transfer.config;

import dev.adapterhub.testsupport.config.ConfigReference;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

/** The README's configuration table is the documentation users read; it must say what the code does. */
class ConfigurationReadmeTest {

    @Test
    void readmeListsEveryConfigKeyWithItsDefault() {
        ConfigReference.assertDocumented(Path.of("README.md"), TransferConfig.class);
    }
}
