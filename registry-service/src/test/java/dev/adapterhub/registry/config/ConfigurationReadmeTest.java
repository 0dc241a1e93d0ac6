package dev.adapterhub.registry.config;

import dev.adapterhub.registry.webhook.config.WebhooksConfig;
import dev.adapterhub.registry.job.config.JobsConfig;
import dev.adapterhub.testsupport.config.ConfigReference;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration table is the documentation users read; it must say what the code does. */
class ConfigurationReadmeTest {

    @Test
    void readmeListsEveryConfigKeyWithItsDefault() {
        ConfigReference.assertDocumented(Path.of("README.md"), RegistryConfig.class, JobsConfig.class,
                WebhooksConfig.class);
    }
}
